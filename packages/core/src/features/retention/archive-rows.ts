import { z } from 'zod';
import { daySchema } from '../../kernel/model/local-day.js';
import { REPORT_TEXT_MAX, reportSourceSchema } from '../../kernel/model/report.js';
import type { WebhookDeliveryRow } from '../../records/rows.js';
import type { ReportRevisionRow, ReportRow } from '../reports/index.js';
import type { SignalRow } from '../signals/index.js';

// One line of an archive data file: a row as the table holds it (drizzle's field names, epoch milliseconds), without
// its workspace (the manifest's). A report's line carries its revisions. Restore checks every line against these.

const epochMs = z.number().int().min(0);
const text = z.string().max(REPORT_TEXT_MAX);
const nullableText = z.string().nullable();

const revisionLineSchema = z.strictObject({
  seq: z.number().int().min(1),
  text,
  blockers: text.nullable(),
  source: z.string().min(1),
  createdAt: epochMs,
  replacedAt: epochMs,
});

/** A `reports` row and its `report_revisions`, as `reports.jsonl.gz` holds them. */
export const reportLineSchema = z.strictObject({
  id: z.string().min(1),
  docId: z.number().int().min(1),
  personId: z.string().min(1),
  day: daySchema,
  text,
  blockers: text.nullable(),
  source: reportSourceSchema,
  createdAt: epochMs,
  updatedAt: epochMs,
  revisions: z.array(revisionLineSchema),
});

/** A `webhook_deliveries` row, as `webhook-deliveries.jsonl.gz` holds it (never one still queued or retrying). */
export const webhookDeliveryLineSchema = z.strictObject({
  provider: z.string().min(1),
  deliveryId: z.string().min(1),
  event: z.string(),
  receivedAt: epochMs,
  status: z.enum(['processed', 'ignored', 'failed']),
  headers: nullableText,
  body: nullableText,
  attempts: z.number().int().min(0),
  nextAttemptAt: epochMs.nullable(),
  lastError: nullableText,
  attemptedAt: epochMs.nullable(),
});

/** A resolved `signals` row, as `resolved-signals.jsonl.gz` holds it. */
export const signalLineSchema = z.strictObject({
  fingerprint: z.string().min(1),
  kind: z.string().min(1),
  severity: z.string().min(1),
  subjectType: z.string().min(1),
  subjectId: z.string().min(1),
  teamId: nullableText,
  title: z.string(),
  evidence: z.string(),
  status: z.literal('resolved'),
  firstSeenAt: epochMs,
  lastSeenAt: epochMs,
  resolvedAt: epochMs,
});

export type ReportLine = z.infer<typeof reportLineSchema>;
export type WebhookDeliveryLine = z.infer<typeof webhookDeliveryLineSchema>;
export type SignalLine = z.infer<typeof signalLineSchema>;

// A column added to one of these tables must be added to its line too: these fail to compile until it is.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [
  Same<Omit<ReportLine, 'revisions'>, Omit<ReportRow, 'workspace'>>,
  Same<ReportLine['revisions'][number], Omit<ReportRevisionRow, 'workspace' | 'reportId'>>,
  Same<Omit<WebhookDeliveryLine, 'status'>, Omit<WebhookDeliveryRow, 'workspace' | 'status'>>,
  Same<Omit<SignalLine, 'status' | 'resolvedAt'>, Omit<SignalRow, 'workspace' | 'status' | 'resolvedAt'>>,
] = [true, true, true, true];
void sameShapes;

/** The file each table is archived in. */
export const ARCHIVE_FILES = {
  reports: 'reports.jsonl.gz',
  webhookDeliveries: 'webhook-deliveries.jsonl.gz',
  resolvedSignals: 'resolved-signals.jsonl.gz',
} as const;
