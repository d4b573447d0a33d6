import type { Approval, ApprovalDecision, ApprovalErrorCode, ApprovalStatus, PolicyMode, Risk } from '../../kernel/model/derived.js';
import type { Row } from '../../kernel/store/driver.js';
import { compact, iso, str } from '../../kernel/store/row-mapping.js';
import type { StatementRunner } from '../audit/index.js';

/** Maps an `approvals` row to an {@link Approval}. */
export function approvalFromRow(row: Row): Approval {
  const errorMessage = str(row.error);
  return compact({
    id: String(row.id),
    type: String(row.action_type),
    target: String(row.target),
    params: JSON.parse(String(row.params)) as Record<string, unknown>,
    reason: String(row.reason),
    requestedBy: String(row.requested_by),
    status: String(row.status) as ApprovalStatus,
    mode: String(row.mode) as PolicyMode,
    risk: String(row.risk) as Risk,
    policyHash: String(row.policy_hash),
    approvers: JSON.parse(String(row.approvers)) as string[],
    idempotencyKey: String(row.idempotency_key),
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at),
    decision: str(row.decision) as ApprovalDecision | undefined,
    decidedAt: iso(row.decided_at),
    decidedBy: str(row.decided_by),
    decisionReason: str(row.decision_reason),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    executedAt: iso(row.executed_at),
    result: row.result === null ? undefined : (JSON.parse(String(row.result)) as unknown),
    escalation: str(row.escalation),
    onBehalfOf: str(row.on_behalf_of),
    error: errorMessage === undefined ? undefined : { code: String(row.error_code) as ApprovalErrorCode, message: errorMessage },
  });
}

/** Reads one approval row of a workspace. */
export async function loadApprovalRow(runner: StatementRunner, workspace: string, id: string): Promise<Row | undefined> {
  const result = await runner.execute({ sql: 'SELECT * FROM approvals WHERE workspace = ? AND id = ?', args: [workspace, id] });
  return result.rows[0];
}
