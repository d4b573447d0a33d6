import { ingestBundle } from '../bundle/ingest-bundle.js';
import { removeRecords } from '../bundle/remove-records.js';
import { TeamStateError, ValidationError } from '../errors.js';
import { resolvePeople } from '../identity/resolve-people.js';
import type { Logger } from '../logger.js';
import { BUNDLE_FORMAT } from '../model/bundle.js';
import type { WebhookRequest, WebhookSpec } from '../spec/webhook.js';
import { existingIds } from '../store/existing-ids.js';
import type { Store } from '../store/open-store.js';
import { dropStaleWorkItems } from './drop-stale-work-items.js';

/** The HTTP answer to a webhook delivery. */
export interface WebhookResponse {
  status: 200 | 202 | 400 | 401 | 404 | 413;
  /** `stale`: ids of work items left as they were because the stored copy is newer (`updatedAt`). */
  body: { ok: boolean; message: string; duplicate?: boolean; ignored?: boolean; stale?: string[] };
  /**
   * Interactions only: what to send instead of `body`, exactly as the provider expects it: `null` for an
   * empty body (how Slack wants a button click acknowledged), an object as JSON.
   */
  answer?: Record<string, unknown> | null;
  /**
   * Interactions only: the work started after the answer (deciding, executing, updating messages).
   * Resolves when it has finished and never rejects (failures are logged); `ts.close()` waits for it.
   */
  done?: Promise<void>;
}

/**
 * Handles one delivery: verify the signature over the raw bytes, parse, deduplicate by delivery id,
 * map to records and store them together with the delivery row in one transaction.
 */
export async function receiveWebhook(
  deps: { store: Store; workspace: string; specs: readonly WebhookSpec[]; clock: () => Date; log: Logger },
  provider: string,
  request: WebhookRequest,
): Promise<WebhookResponse> {
  const { store, workspace, clock, log } = deps;
  const spec = deps.specs.find((s) => s.provider === provider);
  if (!spec) return { status: 404, body: { ok: false, message: `no connector receives webhooks for "${provider}"` } };
  const now = clock();
  if (!spec.verify(request, now)) {
    log.warn(`webhook ${provider}: rejected a delivery with a missing or invalid signature`);
    return { status: 401, body: { ok: false, message: 'invalid or missing signature' } };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return { status: 400, body: { ok: false, message: 'the body is not valid JSON' } };
  }
  const deliveryId = spec.deliveryId(request);
  const name = spec.eventName(request, payload);
  if (!deliveryId || !name) return { status: 400, body: { ok: false, message: 'missing delivery id or event name' } };
  const seen = await store.execute('SELECT status FROM webhook_deliveries WHERE workspace = ? AND provider = ? AND delivery_id = ?', [
    workspace,
    provider,
    deliveryId,
  ]);
  if (seen.rows.length > 0)
    return { status: 200, body: { ok: true, duplicate: true, message: `delivery ${deliveryId} was already processed` } };
  let outcome: Awaited<ReturnType<WebhookSpec['handle']>>;
  try {
    outcome = await spec.handle(
      { name, deliveryId, payload, headers: request.headers },
      {
        workspace,
        log,
        now: clock,
        existing: (kind, ids) => existingIds(store.execute, kind, workspace, ids),
        resolvePeople: (accounts) => resolvePeople(store, workspace, accounts),
      },
    );
  } catch (error) {
    if (TeamStateError.isInstance(error) && error.code === 'invalid_webhook_payload')
      return { status: 400, body: { ok: false, message: error.message } };
    throw error;
  }
  let stale: string[];
  try {
    const stored = await store.write(async (tx) => {
      // Conditional insert: of two concurrent deliveries with one id, only the first writes records.
      const inserted = await tx.execute({
        sql: `INSERT INTO webhook_deliveries (workspace, provider, delivery_id, event, received_at, status) VALUES (?, ?, ?, ?, ?, ?)
              ON CONFLICT (workspace, provider, delivery_id) DO NOTHING`,
        args: [workspace, provider, deliveryId, name, now.getTime(), 'records' in outcome ? 'processed' : 'ignored'],
      });
      if (inserted.rowsAffected === 0) return false;
      if (!('records' in outcome)) return [];
      const fresh = await dropStaleWorkItems((stmt) => tx.execute(stmt), workspace, outcome.records);
      await ingestBundle(tx, workspace, { format: BUNDLE_FORMAT, ...fresh.records });
      if (outcome.remove) await removeRecords(tx, workspace, outcome.remove);
      return fresh.stale;
    });
    if (stored === false)
      return { status: 200, body: { ok: true, duplicate: true, message: `delivery ${deliveryId} was already processed` } };
    stale = stored;
  } catch (error) {
    if (ValidationError.isInstance(error)) return { status: 400, body: { ok: false, message: error.message } };
    throw error;
  }
  if (stale.length > 0) {
    log.info(`webhook ${provider} ${deliveryId}: kept the stored copy of ${stale.join(', ')} (newer than the delivery)`);
    return { status: 200, body: { ok: true, message: `${name} processed; older than the stored copy: ${stale.join(', ')}`, stale } };
  }
  return 'records' in outcome
    ? { status: 200, body: { ok: true, message: `${name} processed` } }
    : { status: 202, body: { ok: true, ignored: true, message: outcome.ignored } };
}
