import { z } from 'zod';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { columns, integer, scalar, text } from '../../kernel/store/row-decoder.js';
import { toRow } from '../../kernel/store/table-spec.js';
import { insertIgnoring } from '../../kernel/store/upsert.js';
import type { RestoredCounts, RetentionPart } from '../feature.js';
import type { WebhookDeliveryRow } from '../rows.js';
import { tableSpecs } from '../store/table-specs.js';

const epochMs = z.number().int().min(0);
const nullableText = z.string().nullable();

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
export type WebhookDeliveryLine = z.infer<typeof webhookDeliveryLineSchema>;

// A column added to the table must be added to its line too: this fails to compile until it is.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<Omit<WebhookDeliveryLine, 'status'>, Omit<WebhookDeliveryRow, 'workspace' | 'status'>> = true;
void sameShape;

const DONE_DELIVERIES = "status IN ('processed', 'ignored', 'failed')";
const PAGE = 1_000;
const spec = tableSpecs.webhookDeliveries;
const deletedRows = columns({ a: text, b: integer });

/** Finished webhook deliveries (processed, ignored or failed) received before the cutoff. */
export const webhookDeliveriesRetention: RetentionPart = {
  name: 'webhookDeliveries',
  file: 'webhook-deliveries.jsonl.gz',
  timeField: 'receivedAt',
  counts: ['webhookDeliveries'],
  lineSchema: webhookDeliveryLineSchema,
  cutoff: (beforeMs) => ({ value: beforeMs, shown: formatTimestamp(beforeMs) }),
  async count(execute, workspace, before) {
    const { rows } = await execute(
      `SELECT count(*) AS n FROM webhook_deliveries WHERE workspace = ? AND received_at < ? AND ${DONE_DELIVERIES}`,
      [workspace, before],
    );
    return { webhookDeliveries: scalar(rows, 'n', integer) };
  },
  async *expired(execute, workspace, before) {
    let after: [string, string] = ['', ''];
    for (;;) {
      const rows = spec.rows.all(
        (
          await execute(
            `SELECT ${spec.select()} FROM webhook_deliveries WHERE workspace = ? AND (provider, delivery_id) > (?, ?)
           AND received_at < ? AND ${DONE_DELIVERIES} ORDER BY provider, delivery_id LIMIT ?`,
            [workspace, ...after, before, PAGE],
          )
        ).rows,
      );
      if (rows.length === 0) return;
      for (const { workspace: _, ...row } of rows)
        yield {
          line: row,
          at: formatTimestamp(row.receivedAt),
          keys: [{ count: 'webhookDeliveries', a: `${row.provider} ${row.deliveryId}`, b: row.attempts }],
        };
      const last = rows.at(-1)!;
      after = [last.provider, last.deliveryId];
    }
  },
  async delete(tx, workspace, before) {
    const { rows } = await tx.execute({
      sql: `DELETE FROM webhook_deliveries WHERE workspace = ? AND received_at < ? AND ${DONE_DELIVERIES} RETURNING provider || ' ' || delivery_id AS a, attempts AS b`,
      args: [workspace, before],
    });
    return deletedRows.all(rows).map((row) => ({ count: 'webhookDeliveries', a: row.a, b: row.b }));
  },
  async restore(tx, workspace, line): Promise<RestoredCounts> {
    const inserted = await insertIgnoring(tx, spec, toRow(spec, { workspace, ...(line as WebhookDeliveryLine) }));
    return inserted ? { restored: { webhookDeliveries: 1 }, skipped: {} } : { restored: {}, skipped: { webhookDeliveries: 1 } };
  },
};
