import type { AuditEvent } from '../../kernel/model/derived.js';
import { approvalContentHash } from './approval-content-hash.js';

/** An approval as its ledger entries describe it: what was proposed, who decided, and its newest status. */
export interface LedgerApproval {
  type: string;
  target: string;
  params: Record<string, unknown>;
  reason: string;
  requestedBy: string;
  onBehalfOf?: string;
  decidedBy?: string;
  /** The newest status an entry recorded, and that entry's sequence number. */
  status?: string;
  statusSeq: number;
  /** Whether an entry says it may run: proposed as `auto`, or approved (or modified) by a decision. */
  authorized: boolean;
  /** The sequence number of an entry recording that execution was refused because the row had been edited. */
  tamperedSeq?: number;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** The columns of an `approvals` row that say what it runs. */
export interface ApprovalRowContent {
  action_type: string;
  target: string;
  /** JSON text. */
  params: string;
}

/** The `{ type, target, params }` hash of an approval row, or `undefined` when its params are not a JSON object (edited). */
export function rowContentHash(row: ApprovalRowContent): string | undefined {
  let params: unknown;
  try {
    params = JSON.parse(row.params);
  } catch {
    return undefined;
  }
  const object = record(params);
  return object && approvalContentHash({ type: row.action_type, target: row.target, params: object });
}

/**
 * Folds one ledger entry into what the ledger says about its approval: `approval.proposed` sets type, target,
 * params, reason and requester; `approval.decided` sets the decider and, for `modify`, the params approved;
 * any entry with a `status` moves the status. Entries must come in sequence order.
 */
export function foldLedgerEntry(approvals: Map<string, LedgerApproval>, event: AuditEvent): void {
  if (event.approvalId === undefined) return;
  const data = event.data;
  let approval = approvals.get(event.approvalId);
  if (event.type === 'approval.proposed') {
    approval = {
      type: text(data.type) ?? '',
      target: text(data.target) ?? '',
      params: record(data.params) ?? {},
      reason: text(data.reason) ?? '',
      requestedBy: event.actor,
      onBehalfOf: text(data.onBehalfOf),
      // A proposal the policy denies is decided by the policy at once, with no decision entry.
      decidedBy: data.status === 'denied' ? 'policy' : undefined,
      statusSeq: event.seq,
      authorized: false,
    };
    approvals.set(event.approvalId, approval);
  }
  if (!approval) return;
  if (event.type === 'approval.decided') {
    approval.decidedBy = event.actor;
    const modified = record(data.params);
    if (modified) approval.params = modified;
  }
  if (typeof data.status === 'string') {
    approval.status = data.status;
    approval.statusSeq = event.seq;
    if (data.status === 'auto' || data.status === 'approved') approval.authorized = true;
  }
  if (event.type === 'approval.failed' && data.code === 'tampered') approval.tamperedSeq ??= event.seq;
}
