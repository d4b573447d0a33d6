import { SpanStatusCode } from '@opentelemetry/api';
import { TeamStateError, ValidationError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import { BUNDLE_FORMAT } from '../../kernel/model/bundle.js';
import type { WorkItem } from '../../kernel/model/work-item.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, oneOf, type RowOf, text } from '../../kernel/store/row-decoder.js';
import { inSpan, SPANS } from '../../kernel/telemetry/telemetry.js';
import { redactSecrets } from '../../kernel/text/redact-secrets.js';
import type { WebhookOutcome, WebhookRequest, WebhookSpec } from '../../spec/webhook.js';
import { ingestBundle } from '../bundle/ingest-bundle.js';
import { removeRecords } from '../bundle/remove-records.js';
import { type FeatureDefinition, ingestHooks } from '../feature.js';
import { resolvePeople } from '../identity/resolve-people.js';
import { createReaders } from '../readers.js';
import { existingIds } from '../store/existing-ids.js';
import { dropStaleWorkItems } from './drop-stale-work-items.js';
import type { WebhookResponse } from './receive-webhook.js';

/** Where a stored delivery stands. */
export type WebhookDeliveryStatus = 'queued' | 'retrying' | 'failed' | 'processed' | 'ignored';

/** A stored webhook delivery, as `ts.webhooks.list()` and `retry()` describe it (never its body). */
export interface WebhookDelivery {
  provider: string;
  /** The provider's delivery id (`X-GitHub-Delivery`, `X-Atlassian-Webhook-Identifier`). */
  id: string;
  event: string;
  /**
   * `queued` (not attempted yet), `retrying` (an attempt failed or was incomplete; tried again at
   * `nextAttemptAt`), `failed` (gave up after `maxAttempts`, or the payload is unusable; replay it with
   * `retry(id)`), `processed`, `ignored`.
   */
  status: WebhookDeliveryStatus;
  receivedAt: string;
  attempts: number;
  attemptedAt?: string;
  nextAttemptAt?: string;
  /** Why the last attempt failed or was incomplete (secrets removed). */
  lastError?: string;
}

/** What one `drain()` did. */
export interface WebhookDrainResult {
  attempted: number;
  processed: number;
  ignored: number;
  retrying: number;
  failed: number;
}

/** Tuning of the webhook queue (`createTeamState({ webhooks })`). */
export interface WebhookQueueOptions {
  /** Attempts before a delivery is given up as `failed` (default 10). */
  maxAttempts?: number;
  /** The first back-off; it doubles after each failed attempt, up to an hour (default 30 s). */
  retryAfterMs?: number;
  /** `receive()` answers once the first attempt is done or after this long, whichever comes first (default 800 ms). */
  answerWithinMs?: number;
  /** An attempt still running after this long is aborted and counts as failed (default 60 s). */
  attemptTimeoutMs?: number;
}

/** The webhook API of the facade (`ts.webhooks`). */
export interface Webhooks {
  /**
   * A request to `POST /webhooks/<path>` (the HTTP server calls this). Deliveries: the signature is
   * checked (401, nothing stored), the body parsed (400), the delivery stored by id (a redelivery is a
   * no-op, 200 `duplicate`) and answered 202 once the first attempt has run or within `answerWithinMs`;
   * processing goes on from the queue. Interactions (`slack/interactivity`): see `InteractionSpec`.
   */
  receive(path: string, request: WebhookRequest): Promise<WebhookResponse>;
  /** Stored deliveries, newest first; `failed: true` lists those waiting for a retry or given up. */
  list(query?: { failed?: boolean; provider?: string; limit?: number }): Promise<WebhookDelivery[]>;
  /**
   * One stored delivery by id (`teamstate webhooks show <id>`), or `undefined` when none is stored. An id two
   * providers used is refused unless `provider` says which.
   * @example await ts.webhooks.get('72d3162e-cc78-11e3-81ab-4c9367dc0958')
   */
  get(id: string, options?: { provider?: string }): Promise<WebhookDelivery | undefined>;
  /**
   * Processes a stored delivery now, whatever its back-off (`teamstate webhooks retry <id>`), and
   * returns where it stands after. An unknown id, or one already processed or ignored, is refused.
   * @example await ts.webhooks.retry('72d3162e-cc78-11e3-81ab-4c9367dc0958')
   */
  retry(id: string, options?: { provider?: string }): Promise<WebhookDelivery>;
  /** Processes every delivery that is due (`teamstate serve` calls this on a timer). */
  drain(options?: { signal?: AbortSignal }): Promise<WebhookDrainResult>;
  /** Resolves when attempts started by `receive()` have finished. */
  idle(): Promise<void>;
}

/**
 * `ts.webhooks` over the queue: a request that `interaction` answers (a connector's interactive path) goes there,
 * every other one to the queue.
 */
export function createWebhooksApi(
  queue: Webhooks,
  interaction: (path: string, request: WebhookRequest) => Promise<WebhookResponse> | undefined,
): Webhooks {
  return {
    receive: (path, request) => interaction(path, request) ?? queue.receive(path, request),
    list: (query) => queue.list(query),
    get: (id, options) => queue.get(id, options),
    retry: (id, options) => queue.retry(id, options),
    drain: (options) => queue.drain(options),
    idle: () => queue.idle(),
  };
}

const MAX_BACKOFF_MS = 60 * 60_000;
const DRAIN_BATCH = 100;
// Never stored: a proxy in front of `teamstate serve` could add them.
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

type Outcome =
  | { kind: 'processed'; stale: string[] }
  | { kind: 'ignored'; message: string }
  | { kind: 'retrying' | 'failed'; error: string; partial: boolean }
  | { kind: 'rejected'; message: string }
  | { kind: 'busy' };

/** Whether the sender of a delivery still waits for the answer; whoever sets `open` to false first answers. */
interface PendingAnswer {
  open: boolean;
}

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
const listedRows = columns(listedColumns);
/** A stored delivery with what an attempt needs (`SELECT *`). */
const deliveryRows = columns({ ...listedColumns, headers: nullable(text), body: nullable(text) });
type ListedRow = RowOf<typeof listedColumns>;
type DeliveryRow = ListedRow & { headers: string | null; body: string | null };

interface Stored {
  provider: string;
  deliveryId: string;
  event: string;
  attempts: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/**
 * The webhook queue: deliveries are stored (headers, body, time received) after their signature is
 * checked, then handled from the store with retries and exponential back-off, so an upstream outage
 * never loses one. Attempts are claimed with a conditional update, so two processes never run the same
 * attempt; the claim is also a lease (a crashed attempt is due again after `attemptTimeoutMs`).
 */
export function createWebhookQueue(
  deps: {
    store: Store;
    workspace: string;
    specs: readonly WebhookSpec[];
    clock: () => Date;
    log: Logger;
    features: readonly FeatureDefinition[];
  },
  options: WebhookQueueOptions = {},
): Omit<Webhooks, 'receive'> & {
  receive(provider: string, request: WebhookRequest): Promise<WebhookResponse>;
  close(): Promise<void>;
} {
  const { store, workspace, clock, log } = deps;
  const maxAttempts = whole('webhooks.maxAttempts', options.maxAttempts, 10);
  const retryAfterMs = whole('webhooks.retryAfterMs', options.retryAfterMs, 30_000);
  const answerWithinMs = whole('webhooks.answerWithinMs', options.answerWithinMs, 800);
  const attemptTimeoutMs = whole('webhooks.attemptTimeoutMs', options.attemptTimeoutMs, 60_000);
  const running = new Set<Promise<unknown>>();
  const readers = createReaders(store, workspace);
  const closing = new AbortController();

  const backoff = (attempts: number) => Math.min(retryAfterMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);

  async function load(provider: string, deliveryId: string): Promise<DeliveryRow | undefined> {
    const rows = await store.execute('SELECT * FROM webhook_deliveries WHERE workspace = ? AND provider = ? AND delivery_id = ?', [
      workspace,
      provider,
      deliveryId,
    ]);
    return deliveryRows.first(rows.rows);
  }

  /**
   * One attempt: claim it, call the connector, store its records and the delivery's new status together.
   * `answer` is set while the sender still waits for the HTTP answer (the first attempt, within `answerWithinMs`).
   */
  function attempt(spec: WebhookSpec, delivery: Stored, answer?: PendingAnswer): Promise<Outcome> {
    const attributes = {
      'teamstate.webhook.provider': delivery.provider,
      'teamstate.webhook.delivery_id': delivery.deliveryId,
      'teamstate.webhook.event': delivery.event,
      'teamstate.webhook.attempt': delivery.attempts + 1,
    };
    // One span per delivery attempt, ending with what became of it.
    return inSpan(SPANS.webhook, { attributes }, async (span) => {
      const outcome = await attemptDelivery(spec, delivery, answer);
      span.setAttribute('teamstate.webhook.outcome', outcome.kind);
      if (outcome.kind === 'retrying' || outcome.kind === 'failed' || outcome.kind === 'rejected')
        span.setStatus({ code: SpanStatusCode.ERROR, message: redactSecrets('error' in outcome ? outcome.error : outcome.message) });
      return outcome;
    });
  }

  async function attemptDelivery(spec: WebhookSpec, delivery: Stored, answer?: PendingAnswer): Promise<Outcome> {
    const now = clock().getTime();
    const attempts = delivery.attempts + 1;
    const claimed = await store.execute(
      `UPDATE webhook_deliveries SET attempts = ?, attempted_at = ?, next_attempt_at = ?
       WHERE workspace = ? AND provider = ? AND delivery_id = ? AND attempts = ?`,
      [attempts, now, now + attemptTimeoutMs, workspace, delivery.provider, delivery.deliveryId, delivery.attempts],
    );
    if (claimed.rowsAffected === 0) return { kind: 'busy' };
    const where = `webhook ${delivery.provider} ${delivery.deliveryId} (${delivery.event}, attempt ${attempts})`;
    const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(attemptTimeoutMs)]);
    let outcome: WebhookOutcome;
    try {
      outcome = await spec.handle(
        { name: delivery.event, deliveryId: delivery.deliveryId, payload: JSON.parse(delivery.body), headers: delivery.headers },
        {
          workspace,
          log,
          signal,
          now: clock,
          existing: (kind, ids) => existingIds(store.execute, kind, workspace, ids),
          resolvePeople: (accounts) => resolvePeople(store, workspace, accounts),
          detectAi: ingestHooks(deps.features).detectAi,
        },
      );
    } catch (error) {
      if (TeamStateError.isInstance(error) && error.code === 'invalid_webhook_payload')
        return settleUnusable(delivery, attempts, answer, error.message, where);
      return settleFailure(delivery, attempts, describe(error, signal), false, where);
    }
    if (!('records' in outcome)) {
      await finish(delivery, attempts, 'ignored', null, null);
      return { kind: 'ignored', message: outcome.ignored };
    }
    const records = outcome;
    const retry = records.retry;
    // Incomplete records (a payload, the read-back failed) only add to what is stored: fields they leave out keep their values.
    let batch = records.records;
    if (retry !== undefined && batch.workItems?.length) {
      const items = batch.workItems;
      batch = { ...batch, workItems: await Promise.all(items.map(async (i) => keepStored(i, await readers.workItems.get(i.id)))) };
    }
    const status = retry === undefined ? 'processed' : attempts >= maxAttempts ? 'failed' : 'retrying';
    let stale: string[];
    try {
      stale = await store.write(async (tx) => {
        const fresh = await dropStaleWorkItems((stmt) => tx.execute(stmt), workspace, batch);
        await ingestBundle(tx, workspace, { format: BUNDLE_FORMAT, ...fresh.records }, clock().getTime(), { features: deps.features });
        if (records.remove) await removeRecords(tx, workspace, records.remove);
        await tx.execute({
          sql: `UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, last_error = ?
                WHERE workspace = ? AND provider = ? AND delivery_id = ? AND attempts = ?`,
          args: [
            status,
            status === 'retrying' ? clock().getTime() + backoff(attempts) : null,
            retry === undefined ? null : redactSecrets(retry),
            workspace,
            delivery.provider,
            delivery.deliveryId,
            attempts,
          ],
        });
        return fresh.stale;
      });
    } catch (error) {
      if (ValidationError.isInstance(error)) return settleUnusable(delivery, attempts, answer, error.message, where);
      return settleFailure(delivery, attempts, describe(error, signal), false, where);
    }
    if (stale.length > 0) log.info(`${where}: kept the stored copy of ${stale.join(', ')} (newer than the delivery)`);
    if (retry === undefined) return { kind: 'processed', stale };
    logFailure(status, where, redactSecrets(retry), attempts, true);
    return { kind: status === 'failed' ? 'failed' : 'retrying', error: redactSecrets(retry), partial: true };
  }

  async function finish(delivery: Stored, attempts: number, status: WebhookDeliveryStatus, next: number | null, error: string | null) {
    await store.execute(
      `UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, last_error = ?
       WHERE workspace = ? AND provider = ? AND delivery_id = ? AND attempts = ?`,
      [status, next, error, workspace, delivery.provider, delivery.deliveryId, attempts],
    );
  }

  async function settleFailure(delivery: Stored, attempts: number, error: string, partial: boolean, where: string): Promise<Outcome> {
    const status = attempts >= maxAttempts ? 'failed' : 'retrying';
    await finish(delivery, attempts, status, status === 'retrying' ? clock().getTime() + backoff(attempts) : null, error);
    logFailure(status, where, error, attempts, partial);
    return { kind: status, error, partial };
  }

  // An unusable payload: refused (400) and forgotten while the sender still waits for the answer, so a
  // fixed redelivery is taken; once answered, it is kept as `failed` (a retry will not fix it).
  async function settleUnusable(
    delivery: Stored,
    attempts: number,
    answer: PendingAnswer | undefined,
    message: string,
    where: string,
  ): Promise<Outcome> {
    log.warn(`${where}: the payload cannot be used: ${message}`);
    // Claimed before the timer can answer 202: the answer waits for this outcome, which is then 400.
    if (answer?.open) {
      answer.open = false;
      await store.execute('DELETE FROM webhook_deliveries WHERE workspace = ? AND provider = ? AND delivery_id = ? AND attempts = ?', [
        workspace,
        delivery.provider,
        delivery.deliveryId,
        attempts,
      ]);
      return { kind: 'rejected', message };
    }
    await finish(delivery, attempts, 'failed', null, redactSecrets(message));
    return { kind: 'failed', error: message, partial: false };
  }

  function logFailure(status: string, where: string, error: string, attempts: number, partial: boolean) {
    const what = partial ? 'stored what the payload carries; incomplete because' : 'failed:';
    const next =
      status === 'failed'
        ? `gave up after ${attempts} attempts (replay it with teamstate webhooks retry)`
        : `retrying in ${Math.round(backoff(attempts) / 1000)} s`;
    log.warn(`${where} ${what} ${error}; ${next}`);
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    running.add(promise);
    void promise.then(
      () => running.delete(promise),
      () => running.delete(promise),
    );
    return promise;
  }

  function stored(row: DeliveryRow, body: string): Stored {
    return {
      provider: row.provider,
      deliveryId: row.delivery_id,
      event: row.event,
      attempts: row.attempts,
      headers: JSON.parse(row.headers ?? '{}') as Record<string, string | undefined>,
      body,
    };
  }

  async function receive(provider: string, request: WebhookRequest): Promise<WebhookResponse> {
    const spec = deps.specs.find((s) => s.provider === provider);
    if (!spec) return { status: 404, body: { ok: false, message: `no connector receives webhooks for "${provider}"` } };
    const now = clock();
    if (!spec.verify(request, now)) {
      log.warn(`webhook ${provider}: rejected a delivery with a missing or invalid signature`);
      return { status: 401, body: { ok: false, message: 'invalid or missing signature' } };
    }
    const body = request.rawBody.toString('utf8');
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return { status: 400, body: { ok: false, message: 'the body is not valid JSON' } };
    }
    const deliveryId = spec.deliveryId(request);
    const name = spec.eventName(request, payload);
    if (!deliveryId || !name) return { status: 400, body: { ok: false, message: 'missing delivery id or event name' } };
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([key]) => !CREDENTIAL_HEADERS.has(key.toLowerCase())));
    // Conditional insert: of two concurrent deliveries with one id, only the first is queued.
    const inserted = await store.execute(
      `INSERT INTO webhook_deliveries (workspace, provider, delivery_id, event, received_at, status, headers, body, attempts, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, 0, ?) ON CONFLICT (workspace, provider, delivery_id) DO NOTHING`,
      [workspace, provider, deliveryId, name, now.getTime(), JSON.stringify(headers), body, now.getTime()],
    );
    if (inserted.rowsAffected === 0)
      return { status: 200, body: { ok: true, duplicate: true, message: `delivery ${deliveryId} was already received` } };

    const answer: PendingAnswer = { open: true };
    const first = track(attempt(spec, { provider, deliveryId, event: name, attempts: 0, headers, body }, answer)).catch(
      (error: unknown): Outcome => {
        // The store itself failed: the delivery stays queued and is due again after its lease.
        log.error(`webhook ${provider} ${deliveryId} (${name}): ${describe(error)}`);
        return { kind: 'retrying', error: 'internal error', partial: false };
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        if (!answer.open) return;
        answer.open = false;
        resolve(undefined);
      }, answerWithinMs);
      timer.unref?.();
    });
    const outcome = await Promise.race([first, late]);
    clearTimeout(timer);
    if (outcome === undefined || outcome.kind === 'busy')
      return { status: 202, body: { ok: true, queued: true, message: `delivery ${deliveryId} stored; it is being processed` } };
    switch (outcome.kind) {
      case 'rejected':
        return { status: 400, body: { ok: false, message: outcome.message } };
      case 'ignored':
        return { status: 202, body: { ok: true, ignored: true, message: outcome.message } };
      case 'processed':
        return outcome.stale.length > 0
          ? {
              status: 202,
              body: {
                ok: true,
                message: `${name} processed; older than the stored copy: ${outcome.stale.join(', ')}`,
                stale: outcome.stale,
              },
            }
          : { status: 202, body: { ok: true, message: `${name} processed` } };
      default:
        // The sender learns only that it is queued; why it failed is in the log and `webhooks list`.
        return {
          status: 202,
          body: {
            ok: true,
            queued: true,
            message: outcome.partial
              ? `${name} stored from the payload; the rest is read again later`
              : `delivery ${deliveryId} stored; processing failed and is retried later`,
          },
        };
    }
  }

  async function list(query: { failed?: boolean; provider?: string; limit?: number } = {}): Promise<WebhookDelivery[]> {
    const limit = query.limit ?? 50;
    if (!Number.isInteger(limit) || limit <= 0)
      throw new TeamStateError('invalid_argument', `limit: expected a positive whole number, got ${limit}`);
    const rows = await store.execute(
      `SELECT provider, delivery_id, event, status, received_at, attempts, attempted_at, next_attempt_at, last_error
       FROM webhook_deliveries WHERE workspace = ? ${query.failed ? "AND status IN ('retrying', 'failed')" : ''}
       ${query.provider === undefined ? '' : 'AND provider = ?'}
       ORDER BY received_at DESC, rowid DESC LIMIT ?`,
      [workspace, ...(query.provider === undefined ? [] : [query.provider]), limit],
    );
    return listedRows.all(rows.rows).map(toDelivery);
  }

  /** The stored row of delivery `id` (of `provider`, when given); refuses an id several providers used. */
  async function find(id: string, provider: string | undefined): Promise<DeliveryRow | undefined> {
    const rows = await store.execute(
      `SELECT * FROM webhook_deliveries WHERE workspace = ? AND delivery_id = ? ${provider === undefined ? '' : 'AND provider = ?'}`,
      [workspace, id, ...(provider === undefined ? [] : [provider])],
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

  async function get(id: string, getOptions: { provider?: string } = {}): Promise<WebhookDelivery | undefined> {
    const row = await find(id, getOptions.provider);
    return row === undefined ? undefined : toDelivery(row);
  }

  async function retry(id: string, retryOptions: { provider?: string } = {}): Promise<WebhookDelivery> {
    const of = retryOptions.provider === undefined ? '' : ` of ${retryOptions.provider}`;
    const shown = JSON.stringify(id.slice(0, 200));
    const row = await find(id, retryOptions.provider);
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
    const spec = deps.specs.find((s) => s.provider === row.provider);
    if (!spec)
      throw new TeamStateError(
        'invalid_config',
        `webhook delivery ${shown} came from ${row.provider}, and no configured connector receives its webhooks (configure its webhookSecret)`,
      );
    const outcome = await track(attempt(spec, stored(row, row.body)));
    if (outcome.kind === 'busy')
      throw new TeamStateError('invalid_argument', `webhook delivery ${shown} is being processed right now; look again in a moment`);
    return toDelivery((await load(row.provider, id))!);
  }

  async function drain(drainOptions: { signal?: AbortSignal } = {}): Promise<WebhookDrainResult> {
    const result: WebhookDrainResult = { attempted: 0, processed: 0, ignored: 0, retrying: 0, failed: 0 };
    const rows = await store.execute(
      `SELECT * FROM webhook_deliveries WHERE workspace = ? AND status IN ('queued', 'retrying') AND next_attempt_at <= ?
       ORDER BY next_attempt_at, received_at LIMIT ?`,
      [workspace, clock().getTime(), DRAIN_BATCH],
    );
    for (const row of deliveryRows.all(rows.rows)) {
      if (drainOptions.signal?.aborted || closing.signal.aborted) break;
      const spec = deps.specs.find((s) => s.provider === row.provider);
      // A delivery of a connector no longer configured waits until it is configured again.
      if (!spec || row.body === null) continue;
      const outcome = await track(attempt(spec, stored(row, row.body)));
      if (outcome.kind === 'busy') continue;
      result.attempted += 1;
      if (outcome.kind === 'rejected') result.failed += 1;
      else result[outcome.kind] += 1;
    }
    return result;
  }

  return {
    receive,
    list,
    get,
    retry,
    drain,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async close() {
      closing.abort(new TeamStateError('sync_failed', 'teamstate is closing'));
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

function keepStored(item: WorkItem, stored: WorkItem | undefined): WorkItem {
  if (!stored || stored.id !== item.id) return item;
  const given = Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
  return { ...stored, ...given } as WorkItem;
}

function toDelivery(row: ListedRow): WebhookDelivery {
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

function describe(error: unknown, signal?: AbortSignal): string {
  if (signal?.aborted) return `aborted: ${describe(signal.reason)}`;
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message).slice(0, 2000);
}

function whole(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new TeamStateError('invalid_config', `${name}: expected a positive whole number, got ${value}`);
  return value;
}
