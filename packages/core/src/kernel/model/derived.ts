import { z } from 'zod';
import { idSchema } from './common.js';
import { timestampSchema } from './timestamp.js';

/** Severity of a signal. */
export const signalSeveritySchema = z.enum(['info', 'warning', 'critical']);

/** What a signal is about. */
export const signalSubjectSchema = z.strictObject({
  type: z.enum(['work_item', 'person', 'team', 'sprint', 'deployment', 'incident', 'repository', 'risk', 'policy', 'workspace']),
  id: z.string().min(1),
});

/** A derived fact worth surfacing (a stale PR, a blocker, an overloaded person). */
export const signalSchema = z.strictObject({
  fingerprint: z.string().min(1),
  kind: z.string().min(1),
  severity: signalSeveritySchema,
  subject: signalSubjectSchema,
  team: idSchema.optional(),
  title: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  status: z.enum(['open', 'resolved']),
  firstSeenAt: timestampSchema,
  lastSeenAt: timestampSchema,
  resolvedAt: timestampSchema.optional(),
});
export type Signal = z.infer<typeof signalSchema>;

/** Risk tiers of actions. */
export const riskSchema = z.enum(['low', 'medium', 'high']);
export type Risk = z.infer<typeof riskSchema>;

/** Policy modes. */
export const policyModeSchema = z.enum(['auto', 'ask', 'require_approval', 'deny']);
export type PolicyMode = z.infer<typeof policyModeSchema>;

/** Approval lifecycle states (docs/approvals.md). A precondition that no longer holds ends in `failed` with error code `stale`. */
export const approvalStatusSchema = z.enum([
  'auto',
  'pending',
  'approved',
  'executing',
  'executed',
  'failed',
  'declined',
  'expired',
  'denied',
]);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

/** States an approval never leaves. */
export const TERMINAL_APPROVAL_STATUSES: readonly ApprovalStatus[] = ['executed', 'failed', 'declined', 'expired', 'denied'];

/** True when `status` is terminal (executed, failed, declined, expired, denied). */
export function isTerminalApprovalStatus(status: ApprovalStatus): boolean {
  return TERMINAL_APPROVAL_STATUSES.includes(status);
}

/** What a person decided: `modify` approves with edited params. */
export const approvalDecisionSchema = z.enum(['approve', 'decline', 'modify']);
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;

/**
 * Why an approved action did not execute: `stale` (its precondition no longer held), `interrupted`
 * (the process running it stopped before recording the outcome), `executor_error` (the executor threw).
 */
export const approvalErrorCodeSchema = z.enum(['stale', 'interrupted', 'executor_error', 'tampered']);
export type ApprovalErrorCode = z.infer<typeof approvalErrorCodeSchema>;

/** A proposed action and where it is in its lifecycle. */
export const approvalSchema = z.strictObject({
  id: z.string(),
  type: z.string(),
  target: z.string(),
  params: z.record(z.string(), z.unknown()),
  reason: z.string(),
  requestedBy: z.string(),
  status: approvalStatusSchema,
  mode: policyModeSchema,
  risk: riskSchema,
  /** sha256 of the canonical policy document the approval was proposed under. */
  policyHash: z.string(),
  /** Who may decide (person ids, `team:<id>`), as the proposing policy said; empty means any known person but the requester. */
  approvers: z.array(z.string()),
  /**
   * Why this proposal waits for a person although the policy runs its type automatically: the action type
   * raised `auto` to `ask` for these params (e.g. a post to a channel larger than `limits.max_channel_size_auto_post`).
   */
  escalation: z.string().optional(),
  /** The person the requester (an assistant) proposed for. */
  onBehalfOf: z.string().optional(),
  /** The model that proposed it: `propose_action`'s `model`, else the MCP client's name/version. */
  modelVersion: z.string().optional(),
  /** The trace id (32 hex digits) of the proposal's `teamstate.propose` span; absent on approvals older than it. */
  traceId: z.string().optional(),
  /** Handed to the executor so an upstream can deduplicate, and to `checkExecuted` after a crash. */
  idempotencyKey: z.string(),
  createdAt: timestampSchema,
  expiresAt: timestampSchema.optional(),
  decision: approvalDecisionSchema.optional(),
  decidedAt: timestampSchema.optional(),
  decidedBy: z.string().optional(),
  decisionReason: z.string().optional(),
  startedAt: timestampSchema.optional(),
  finishedAt: timestampSchema.optional(),
  executedAt: timestampSchema.optional(),
  result: z.unknown().optional(),
  error: z.strictObject({ code: approvalErrorCodeSchema, message: z.string() }).optional(),
});
export type Approval = z.infer<typeof approvalSchema>;

/** One entry of the hash-chained audit ledger. */
export const auditEventSchema = z.strictObject({
  seq: z.number().int().positive(),
  at: timestampSchema,
  type: z.string(),
  approvalId: z.string().optional(),
  actor: z.string(),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** A received webhook, deduplicated by its delivery id. */
export const webhookDeliverySchema = z.strictObject({
  provider: z.string(),
  deliveryId: z.string(),
  event: z.string(),
  receivedAt: timestampSchema,
  status: z.enum(['processed', 'ignored', 'failed']),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
