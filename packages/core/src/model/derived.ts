import { z } from 'zod';
import { idSchema } from './common.js';
import { timestampSchema } from './timestamp.js';

/** Severity of a signal. */
export const signalSeveritySchema = z.enum(['info', 'warning', 'critical']);

/** What a signal is about. */
export const signalSubjectSchema = z.strictObject({
  type: z.enum(['work_item', 'person', 'team', 'sprint', 'deployment', 'incident', 'repository']),
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

/** Approval lifecycle states (DESIGN.md section 7). */
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
  policyHash: z.string(),
  createdAt: timestampSchema,
  expiresAt: timestampSchema.optional(),
  decidedAt: timestampSchema.optional(),
  decidedBy: z.string().optional(),
  decisionReason: z.string().optional(),
  executedAt: timestampSchema.optional(),
  result: z.unknown().optional(),
  error: z.string().optional(),
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
