import { SpanStatusCode } from '@opentelemetry/api';
import { TeamStateError, ValidationError } from '../../kernel/errors.js';
import { BUNDLE_FORMAT } from '../../kernel/model/bundle.js';
import type { WorkItem } from '../../kernel/model/work-item.js';
import { inSpan, SPANS } from '../../kernel/telemetry/telemetry.js';
import { redactSecrets } from '../../kernel/text/redact-secrets.js';
import type { LinksReplaced } from '../../spec/records.js';
import type { WebhookOutcome, WebhookSpec } from '../../spec/webhook.js';
import { ingestBundle } from '../bundle/ingest-bundle.js';
import { removeRecords } from '../bundle/remove-records.js';
import { ingestHooks } from '../feature.js';
import { resolvePeople } from '../identity/resolve-people.js';
import { existingIds } from '../store/existing-ids.js';
import { checkLinksReplaced, removeReplacedLinks } from '../sync/links-replaced.js';
import { dropStaleWorkItems } from './drop-stale-work-items.js';
import { backoff, describe, type Outcome, type PendingAnswer, type Stored, type WebhookQueueContext } from './webhook-queue-context.js';
import type { WebhookDeliveryStatus } from './webhook-types.js';

/** What a connector's `handle` returned with records (not ignored). */
type RecordsOutcome = Extract<WebhookOutcome, { records: unknown }>;

/**
 * One attempt: claim it, call the connector, store its records and the delivery's new status together.
 * `answer` is set while the sender still waits for the HTTP answer (the first attempt, within `answerWithinMs`).
 */
export function attemptDelivery(queue: WebhookQueueContext, spec: WebhookSpec, delivery: Stored, answer?: PendingAnswer): Promise<Outcome> {
  const attributes = {
    'teamstate.webhook.provider': delivery.provider,
    'teamstate.webhook.delivery_id': delivery.deliveryId,
    'teamstate.webhook.event': delivery.event,
    'teamstate.webhook.attempt': delivery.attempts + 1,
  };
  // One span per delivery attempt, ending with what became of it.
  return inSpan(SPANS.webhook, { attributes }, async (span) => {
    const outcome = await runAttempt(queue, spec, delivery, answer);
    span.setAttribute('teamstate.webhook.outcome', outcome.kind);
    if (outcome.kind === 'retrying' || outcome.kind === 'failed' || outcome.kind === 'rejected')
      span.setStatus({ code: SpanStatusCode.ERROR, message: redactSecrets('error' in outcome ? outcome.error : outcome.message) });
    return outcome;
  });
}

async function runAttempt(queue: WebhookQueueContext, spec: WebhookSpec, delivery: Stored, answer?: PendingAnswer): Promise<Outcome> {
  const attempts = delivery.attempts + 1;
  const claimed = await claimAttempt(queue, delivery, attempts);
  if (claimed.rowsAffected === 0) return { kind: 'busy' };
  const where = `webhook ${delivery.provider} ${delivery.deliveryId} (${delivery.event}, attempt ${attempts})`;
  const signal = AbortSignal.any([queue.closing.signal, AbortSignal.timeout(queue.attemptTimeoutMs)]);
  let outcome: WebhookOutcome;
  try {
    outcome = await handleDelivery(queue, spec, delivery, signal);
  } catch (error) {
    if (TeamStateError.isInstance(error) && error.code === 'invalid_webhook_payload')
      return settleUnusable(queue, delivery, attempts, answer, error.message, where);
    return settleFailure(queue, delivery, attempts, describe(error, signal), false, where);
  }
  if (!('records' in outcome)) {
    await finishAttempt(queue, delivery, attempts, 'ignored', null, null);
    return { kind: 'ignored', message: outcome.ignored };
  }
  return storeRecords(queue, delivery, attempts, outcome, answer, where, signal);
}

/**
 * Claims the attempt with a conditional update (no row changed: another process or call claimed it first); the claim
 * is also a lease, due again after `attemptTimeoutMs` should this attempt never finish.
 */
function claimAttempt(queue: WebhookQueueContext, delivery: Stored, attempts: number) {
  const now = queue.clock().getTime();
  return queue.store.execute(
    `UPDATE webhook_deliveries SET attempts = ?, attempted_at = ?, next_attempt_at = ?
     WHERE workspace = ? AND provider = ? AND delivery_id = ? AND attempts = ?`,
    [attempts, now, now + queue.attemptTimeoutMs, queue.workspace, delivery.provider, delivery.deliveryId, delivery.attempts],
  );
}

/** The connector's `handle` of the delivery. */
function handleDelivery(queue: WebhookQueueContext, spec: WebhookSpec, delivery: Stored, signal: AbortSignal): Promise<WebhookOutcome> {
  const { store, workspace } = queue;
  return spec.handle(
    { name: delivery.event, deliveryId: delivery.deliveryId, payload: JSON.parse(delivery.body), headers: delivery.headers },
    {
      workspace,
      log: queue.log,
      signal,
      now: queue.clock,
      existing: (kind, ids) => existingIds(store.execute, kind, workspace, ids),
      resolvePeople: (accounts) => resolvePeople(store, workspace, accounts),
      detectAi: ingestHooks(queue.features).detectAi,
    },
  );
}

/** Writes the records the connector returned with the delivery's new status, then says what became of the attempt. */
async function storeRecords(
  queue: WebhookQueueContext,
  delivery: Stored,
  attempts: number,
  records: RecordsOutcome,
  answer: PendingAnswer | undefined,
  where: string,
  signal: AbortSignal,
): Promise<Outcome> {
  let replaced: LinksReplaced | undefined;
  try {
    replaced = checkLinksReplaced(records.replaceLinks);
  } catch (error) {
    return settleUnusable(queue, delivery, attempts, answer, (error as Error).message, where);
  }
  const retry = records.retry;
  // Incomplete records (a payload, the read-back failed) only add to what is stored: fields they leave out keep their values.
  let batch = records.records;
  if (retry !== undefined && batch.workItems?.length) {
    const items = batch.workItems;
    batch = { ...batch, workItems: await Promise.all(items.map(async (i) => keepStored(i, await queue.readers.workItems.get(i.id)))) };
  }
  const status = retry === undefined ? 'processed' : attempts >= queue.maxAttempts ? 'failed' : 'retrying';
  let stale: string[];
  try {
    stale = await writeAttempt(queue, delivery, attempts, records, batch, status, replaced);
  } catch (error) {
    if (ValidationError.isInstance(error)) return settleUnusable(queue, delivery, attempts, answer, error.message, where);
    return settleFailure(queue, delivery, attempts, describe(error, signal), false, where);
  }
  if (stale.length > 0) queue.log.info(`${where}: kept the stored copy of ${stale.join(', ')} (newer than the delivery)`);
  if (retry === undefined) return { kind: 'processed', stale };
  logFailure(queue, status, where, redactSecrets(retry), attempts, true);
  return { kind: status === 'failed' ? 'failed' : 'retrying', error: redactSecrets(retry), partial: true };
}

/**
 * One transaction: the links `replaced` names removed, `batch` (the outcome's records, but for work items older than
 * their stored copy, whose ids it returns, and whose links stay), the outcome's removals, and the delivery's new status.
 */
function writeAttempt(
  queue: WebhookQueueContext,
  delivery: Stored,
  attempts: number,
  records: RecordsOutcome,
  batch: RecordsOutcome['records'],
  status: 'processed' | 'retrying' | 'failed',
  replaced: LinksReplaced | undefined,
): Promise<string[]> {
  const { store, workspace, clock, features } = queue;
  const retry = records.retry;
  return store.write(async (tx) => {
    const fresh = await dropStaleWorkItems((stmt) => tx.execute(stmt), workspace, batch);
    const stale = new Set(fresh.stale);
    if (replaced) await removeReplacedLinks(tx, workspace, features, { ...replaced, items: replaced.items.filter((id) => !stale.has(id)) });
    await ingestBundle(tx, workspace, { format: BUNDLE_FORMAT, ...fresh.records }, clock().getTime(), { features });
    if (records.remove) await removeRecords(tx, workspace, records.remove);
    await tx.execute({
      sql: `UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, last_error = ?
            WHERE workspace = ? AND provider = ? AND delivery_id = ? AND attempts = ?`,
      args: [
        status,
        status === 'retrying' ? clock().getTime() + backoff(queue, attempts) : null,
        retry === undefined ? null : redactSecrets(retry),
        workspace,
        delivery.provider,
        delivery.deliveryId,
        attempts,
      ],
    });
    return fresh.stale;
  });
}

async function finishAttempt(
  queue: WebhookQueueContext,
  delivery: Stored,
  attempts: number,
  status: WebhookDeliveryStatus,
  next: number | null,
  error: string | null,
) {
  await queue.store.execute(
    `UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, last_error = ?
     WHERE workspace = ? AND provider = ? AND delivery_id = ? AND attempts = ?`,
    [status, next, error, queue.workspace, delivery.provider, delivery.deliveryId, attempts],
  );
}

async function settleFailure(
  queue: WebhookQueueContext,
  delivery: Stored,
  attempts: number,
  error: string,
  partial: boolean,
  where: string,
): Promise<Outcome> {
  const status = attempts >= queue.maxAttempts ? 'failed' : 'retrying';
  await finishAttempt(
    queue,
    delivery,
    attempts,
    status,
    status === 'retrying' ? queue.clock().getTime() + backoff(queue, attempts) : null,
    error,
  );
  logFailure(queue, status, where, error, attempts, partial);
  return { kind: status, error, partial };
}

// An unusable payload: refused (400) and forgotten while the sender still waits for the answer, so a
// fixed redelivery is taken; once answered, it is kept as `failed` (a retry will not fix it).
async function settleUnusable(
  queue: WebhookQueueContext,
  delivery: Stored,
  attempts: number,
  answer: PendingAnswer | undefined,
  message: string,
  where: string,
): Promise<Outcome> {
  queue.log.warn(`${where}: the payload cannot be used: ${message}`);
  // Claimed before the timer can answer 202: the answer waits for this outcome, which is then 400.
  if (answer?.open) {
    answer.open = false;
    await queue.store.execute('DELETE FROM webhook_deliveries WHERE workspace = ? AND provider = ? AND delivery_id = ? AND attempts = ?', [
      queue.workspace,
      delivery.provider,
      delivery.deliveryId,
      attempts,
    ]);
    return { kind: 'rejected', message };
  }
  await finishAttempt(queue, delivery, attempts, 'failed', null, redactSecrets(message));
  return { kind: 'failed', error: message, partial: false };
}

function logFailure(queue: WebhookQueueContext, status: string, where: string, error: string, attempts: number, partial: boolean) {
  const what = partial ? 'stored what the payload carries; incomplete because' : 'failed:';
  const next =
    status === 'failed'
      ? `gave up after ${attempts} attempts (replay it with teamstate webhooks retry)`
      : `retrying in ${Math.round(backoff(queue, attempts) / 1000)} s`;
  queue.log.warn(`${where} ${what} ${error}; ${next}`);
}

function keepStored(item: WorkItem, stored: WorkItem | undefined): WorkItem {
  if (!stored || stored.id !== item.id) return item;
  const given = Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
  return { ...stored, ...given } as WorkItem;
}
