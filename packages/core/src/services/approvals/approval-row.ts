import type { Approval, ApprovalDecision, ApprovalErrorCode, ApprovalStatus, PolicyMode, Risk } from '../../kernel/model/derived.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { columns, integer, optional, text, textOf } from '../../kernel/store/row-decoder.js';
import { compact } from '../../kernel/store/row-mapping.js';
import type { StatementRunner } from '../audit/index.js';

/**
 * An `approvals` row as `SELECT *` (or `a.*`) reads it, NULL columns as `undefined`. Status, mode, risk, decision
 * and error code are read as text: a row edited behind the ledger still reads, and `audit verify` names the edit.
 */
export const approvalRow = columns({
  id: text,
  action_type: text,
  target: text,
  params: text,
  reason: text,
  requested_by: text,
  status: textOf<ApprovalStatus>(),
  mode: textOf<PolicyMode>(),
  risk: textOf<Risk>(),
  policy_hash: text,
  approvers: text,
  idempotency_key: text,
  preconditions: optional(text),
  created_at: integer,
  expires_at: optional(integer),
  decision: optional(textOf<ApprovalDecision>()),
  decided_at: optional(integer),
  decided_by: optional(text),
  decision_reason: optional(text),
  started_at: optional(integer),
  finished_at: optional(integer),
  executed_at: optional(integer),
  result: optional(text),
  error: optional(text),
  error_code: optional(textOf<ApprovalErrorCode>()),
  escalation: optional(text),
  on_behalf_of: optional(text),
  model_version: optional(text),
  trace_id: optional(text),
  version: integer,
});

/** An `approvals` row, read with {@link approvalRow}. */
export type ApprovalRow = ReturnType<typeof approvalRow.one>;

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : formatTimestamp(ms));

/** Maps an `approvals` row to an {@link Approval}. */
export function approvalFromRow(row: ApprovalRow): Approval {
  return compact({
    id: row.id,
    type: row.action_type,
    target: row.target,
    params: JSON.parse(row.params) as Record<string, unknown>,
    reason: row.reason,
    requestedBy: row.requested_by,
    status: row.status,
    mode: row.mode,
    risk: row.risk,
    policyHash: row.policy_hash,
    approvers: JSON.parse(row.approvers) as string[],
    idempotencyKey: row.idempotency_key,
    createdAt: formatTimestamp(row.created_at),
    expiresAt: iso(row.expires_at),
    decision: row.decision,
    decidedAt: iso(row.decided_at),
    decidedBy: row.decided_by,
    decisionReason: row.decision_reason,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    executedAt: iso(row.executed_at),
    result: row.result === undefined ? undefined : (JSON.parse(row.result) as unknown),
    escalation: row.escalation,
    onBehalfOf: row.on_behalf_of,
    modelVersion: row.model_version,
    traceId: row.trace_id,
    // A failure recorded before error codes existed (migration 0001) has none: its code reads "null", as it always did.
    error: row.error === undefined ? undefined : { code: row.error_code ?? ('null' as ApprovalErrorCode), message: row.error },
  });
}

/** Reads one approval row of a workspace. */
export async function loadApprovalRow(runner: StatementRunner, workspace: string, id: string): Promise<ApprovalRow | undefined> {
  const result = await runner.execute({ sql: 'SELECT * FROM approvals WHERE workspace = ? AND id = ?', args: [workspace, id] });
  return approvalRow.first(result.rows);
}
