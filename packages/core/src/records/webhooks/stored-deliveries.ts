import { TeamStateError } from '../../kernel/errors.js';
import { attemptDelivery } from './attempt-delivery.js';
import { deliveryRows, findDelivery, listedRows, loadDelivery, storedOf, toDelivery } from './delivery-rows.js';
import { track, type WebhookQueueContext } from './webhook-queue-context.js';
import type { WebhookDelivery, WebhookDrainResult } from './webhook-types.js';

const DRAIN_BATCH = 100;

/** Stored deliveries, newest first (`Webhooks.list`). */
export async function listDeliveries(
  queue: WebhookQueueContext,
  query: { failed?: boolean; provider?: string; limit?: number } = {},
): Promise<WebhookDelivery[]> {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit <= 0)
    throw new TeamStateError('invalid_argument', `limit: expected a positive whole number, got ${limit}`);
  const rows = await queue.store.execute(
    `SELECT provider, delivery_id, event, status, received_at, attempts, attempted_at, next_attempt_at, last_error
     FROM webhook_deliveries WHERE workspace = ? ${query.failed ? "AND status IN ('retrying', 'failed')" : ''}
     ${query.provider === undefined ? '' : 'AND provider = ?'}
     ORDER BY received_at DESC, rowid DESC LIMIT ?`,
    [queue.workspace, ...(query.provider === undefined ? [] : [query.provider]), limit],
  );
  return listedRows.all(rows.rows).map(toDelivery);
}

/** One stored delivery, or `undefined` (`Webhooks.get`). */
export async function getDelivery(
  queue: WebhookQueueContext,
  id: string,
  options: { provider?: string } = {},
): Promise<WebhookDelivery | undefined> {
  const row = await findDelivery(queue, id, options.provider);
  return row === undefined ? undefined : toDelivery(row);
}

/** Processes a stored delivery now, whatever its back-off, and says where it stands after (`Webhooks.retry`). */
export async function retryDelivery(queue: WebhookQueueContext, id: string, options: { provider?: string } = {}): Promise<WebhookDelivery> {
  const of = options.provider === undefined ? '' : ` of ${options.provider}`;
  const shown = JSON.stringify(id.slice(0, 200));
  const row = await findDelivery(queue, id, options.provider);
  if (row === undefined)
    throw new TeamStateError('not_found', `webhook delivery ${shown}${of} is not stored (see teamstate webhooks list for the ids)`);
  const status = row.status;
  if (status === 'processed' || status === 'ignored')
    throw new TeamStateError('invalid_argument', `webhook delivery ${shown} was already ${status}; there is nothing to retry`);
  if (row.body === null)
    throw new TeamStateError(
      'invalid_argument',
      `webhook delivery ${shown} has no body (stored before bodies were kept, or forgotten when a person it named was erased); ask the sender to redeliver it`,
    );
  const spec = queue.specs.find((s) => s.provider === row.provider);
  if (!spec)
    throw new TeamStateError(
      'invalid_config',
      `webhook delivery ${shown} came from ${row.provider}, and no configured connector receives its webhooks (configure its webhookSecret)`,
    );
  const outcome = await track(queue, attemptDelivery(queue, spec, storedOf(row, row.body)));
  if (outcome.kind === 'busy')
    throw new TeamStateError('invalid_argument', `webhook delivery ${shown} is being processed right now; look again in a moment`);
  // Still stored: only a first attempt, while its sender waits for the answer, deletes its delivery.
  return toDelivery((await loadDelivery(queue, row.provider, id))!);
}

/** Processes the deliveries that are due, up to a batch of them (`Webhooks.drain`). */
export async function drainDeliveries(queue: WebhookQueueContext, options: { signal?: AbortSignal } = {}): Promise<WebhookDrainResult> {
  const result: WebhookDrainResult = { attempted: 0, processed: 0, ignored: 0, retrying: 0, failed: 0 };
  const rows = await queue.store.execute(
    `SELECT * FROM webhook_deliveries WHERE workspace = ? AND status IN ('queued', 'retrying') AND next_attempt_at <= ?
     ORDER BY next_attempt_at, received_at LIMIT ?`,
    [queue.workspace, queue.clock().getTime(), DRAIN_BATCH],
  );
  for (const row of deliveryRows.all(rows.rows)) {
    if (options.signal?.aborted || queue.closing.signal.aborted) break;
    const spec = queue.specs.find((s) => s.provider === row.provider);
    // A delivery of a connector no longer configured waits until it is configured again.
    if (!spec || row.body === null) continue;
    const outcome = await track(queue, attemptDelivery(queue, spec, storedOf(row, row.body)));
    if (outcome.kind === 'busy') continue;
    result.attempted += 1;
    if (outcome.kind === 'rejected') result.failed += 1;
    else result[outcome.kind] += 1;
  }
  return result;
}
