import { TeamStateError } from '../../kernel/errors.js';
import { columns, integer, nullable, oneOf, type RowOf, text } from '../../kernel/store/row-decoder.js';
import type { Stored, WebhookQueueContext } from './webhook-queue-context.js';
import type { WebhookDelivery, WebhookDeliveryStatus } from './webhook-types.js';

/** A delivery as `list()` reads it (never its headers or body). */
const listedColumns = {
  provider: text,
  delivery_id: text,
  event: text,
  status: oneOf('queued', 'retrying', 'failed', 'processed', 'ignored'),
  received_at: integer,
  attempts: integer,
  attempted_at: nullable(integer),
  next_attempt_at: nullable(integer),
  last_error: nullable(text),
};
export const listedRows = columns(listedColumns);
/** A stored delivery with what an attempt needs (`SELECT *`). */
export const deliveryRows = columns({ ...listedColumns, headers: nullable(text), body: nullable(text) });
export type ListedRow = RowOf<typeof listedColumns>;
export type DeliveryRow = ListedRow & { headers: string | null; body: string | null };

/** The stored row of one delivery, or `undefined`. */
export async function loadDelivery(queue: WebhookQueueContext, provider: string, deliveryId: string): Promise<DeliveryRow | undefined> {
  const rows = await queue.store.execute('SELECT * FROM webhook_deliveries WHERE workspace = ? AND provider = ? AND delivery_id = ?', [
    queue.workspace,
    provider,
    deliveryId,
  ]);
  return deliveryRows.first(rows.rows);
}

/** The stored row of delivery `id` (of `provider`, when given); refuses an id several providers used. */
export async function findDelivery(queue: WebhookQueueContext, id: string, provider: string | undefined): Promise<DeliveryRow | undefined> {
  const rows = await queue.store.execute(
    `SELECT * FROM webhook_deliveries WHERE workspace = ? AND delivery_id = ? ${provider === undefined ? '' : 'AND provider = ?'}`,
    [queue.workspace, id, ...(provider === undefined ? [] : [provider])],
  );
  const found = deliveryRows.all(rows.rows);
  if (found.length > 1) {
    const providers = found.map((r) => r.provider).join(', ');
    throw new TeamStateError(
      'invalid_argument',
      `webhook delivery ${JSON.stringify(id.slice(0, 200))} was received from ${providers}: say which with provider`,
    );
  }
  return found[0];
}

/** A stored row as an attempt takes it, with its body (checked to be there). */
export function storedOf(row: DeliveryRow, body: string): Stored {
  return {
    provider: row.provider,
    deliveryId: row.delivery_id,
    event: row.event,
    attempts: row.attempts,
    headers: JSON.parse(row.headers ?? '{}') as Record<string, string | undefined>,
    body,
  };
}

/** A stored row as the API describes it. */
export function toDelivery(row: ListedRow): WebhookDelivery {
  const at = (value: number | null) => (value === null ? undefined : new Date(value).toISOString());
  const status: WebhookDeliveryStatus = row.status;
  const delivery: WebhookDelivery = {
    provider: row.provider,
    id: row.delivery_id,
    event: row.event,
    status,
    receivedAt: new Date(row.received_at).toISOString(),
    attempts: row.attempts,
  };
  const attemptedAt = at(row.attempted_at);
  if (attemptedAt) delivery.attemptedAt = attemptedAt;
  const next = at(row.next_attempt_at);
  if (next && (status === 'queued' || status === 'retrying')) delivery.nextAttemptAt = next;
  if (row.last_error !== null) delivery.lastError = row.last_error;
  return delivery;
}
