import type { ApprovalStatus } from '../../kernel/model/derived.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { InValue } from '../../kernel/store/driver.js';
import { appendAuditEvent, type NewAuditEvent, type StatementRunner } from '../audit/index.js';

/** One state change of an approval, with the audit entry that records it. */
export interface ApprovalTransition {
  id: string;
  /** The change happens only if the approval is in one of these states right now. */
  from: readonly ApprovalStatus[];
  to: ApprovalStatus;
  /** Other columns to set, by column name. */
  set?: Record<string, InValue>;
  audit: Omit<NewAuditEvent, 'approvalId'>;
}

/**
 * Moves an approval from one of `from` to `to` with a conditional `UPDATE … WHERE status IN (from)` and
 * appends the audit entry (with the new `status` in its data) in the same transaction. Returns false,
 * changing nothing, when the approval was not in `from`: another decision, claim or expiry won.
 */
export async function transitionApproval(tx: StatementRunner, workspace: string, at: number, change: ApprovalTransition): Promise<boolean> {
  const columns = Object.entries(change.set ?? {});
  const assignments = ['status = ?', 'version = version + 1', ...columns.map(([column]) => `${column} = ?`)].join(', ');
  const result = await tx.execute({
    sql: `UPDATE approvals SET ${assignments} WHERE workspace = ? AND id = ? AND status IN (${change.from.map(() => '?').join(', ')})`,
    args: [change.to, ...columns.map(([, value]) => value), workspace, change.id, ...change.from],
  });
  if (result.rowsAffected !== 1) return false;
  await appendAuditEvent(tx, workspace, at, { ...change.audit, approvalId: change.id, data: { status: change.to, ...change.audit.data } });
  return true;
}

/** The transition of an overdue pending approval (it expired at `expiresAt`, epoch ms) to `expired`, by the system. */
export function expireTransition(id: string, expiresAt: number): ApprovalTransition {
  return {
    id,
    from: ['pending'],
    to: 'expired',
    audit: { type: 'approval.expired', actor: 'system', data: { expiresAt: formatTimestamp(expiresAt) } },
  };
}
