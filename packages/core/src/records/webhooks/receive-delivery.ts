import type { WebhookRequest, WebhookSpec } from '../../spec/webhook.js';
import { attemptDelivery } from './attempt-delivery.js';
import type { WebhookResponse } from './receive-webhook.js';
import { describe, type Outcome, type PendingAnswer, type Stored, track, type WebhookQueueContext } from './webhook-queue-context.js';

// Never stored: a proxy in front of `teamstate serve` could add them.
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * A delivery to `POST /webhooks/<provider>`: checked, stored once by id, and answered once its first attempt has run or
 * after `answerWithinMs`, whichever comes first (`Webhooks.receive`).
 */
export async function receiveDelivery(queue: WebhookQueueContext, provider: string, request: WebhookRequest): Promise<WebhookResponse> {
  const spec = queue.specs.find((s) => s.provider === provider);
  if (!spec) return { status: 404, body: { ok: false, message: `no connector receives webhooks for "${provider}"` } };
  const now = queue.clock();
  const delivery = acceptRequest(queue, spec, provider, request, now);
  if ('status' in delivery) return delivery;
  const inserted = await queueDelivery(queue, delivery, now);
  if (inserted.rowsAffected === 0)
    return { status: 200, body: { ok: true, duplicate: true, message: `delivery ${delivery.deliveryId} was already received` } };
  return answerOf(await firstAttempt(queue, spec, delivery), delivery);
}

/** The delivery a request carries, or the answer refusing it (a bad signature, a body that is not JSON, no id or event). */
function acceptRequest(
  queue: WebhookQueueContext,
  spec: WebhookSpec,
  provider: string,
  request: WebhookRequest,
  now: Date,
): Stored | WebhookResponse {
  if (!spec.verify(request, now)) {
    queue.log.warn(`webhook ${provider}: rejected a delivery with a missing or invalid signature`);
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
  return { provider, deliveryId, event: name, attempts: 0, headers, body };
}

/** Stores the delivery, due now. Conditional: of two concurrent deliveries with one id, only the first is queued. */
function queueDelivery(queue: WebhookQueueContext, delivery: Stored, now: Date) {
  return queue.store.execute(
    `INSERT INTO webhook_deliveries (workspace, provider, delivery_id, event, received_at, status, headers, body, attempts, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, 0, ?) ON CONFLICT (workspace, provider, delivery_id) DO NOTHING`,
    [
      queue.workspace,
      delivery.provider,
      delivery.deliveryId,
      delivery.event,
      now.getTime(),
      JSON.stringify(delivery.headers),
      delivery.body,
      now.getTime(),
    ],
  );
}

/** Runs the first attempt; resolves with its outcome, or `undefined` once `answerWithinMs` passed first. */
async function firstAttempt(queue: WebhookQueueContext, spec: WebhookSpec, delivery: Stored): Promise<Outcome | undefined> {
  const answer: PendingAnswer = { open: true };
  const first = track(queue, attemptDelivery(queue, spec, delivery, answer)).catch((error: unknown): Outcome => {
    // The store itself failed: the delivery stays queued and is due again after its lease.
    queue.log.error(`webhook ${delivery.provider} ${delivery.deliveryId} (${delivery.event}): ${describe(error)}`);
    return { kind: 'retrying', error: 'internal error', partial: false };
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      if (!answer.open) return;
      answer.open = false;
      resolve(undefined);
    }, queue.answerWithinMs);
    timer.unref?.();
  });
  const outcome = await Promise.race([first, late]);
  clearTimeout(timer);
  return outcome;
}

/** The HTTP answer once the first attempt ran, or was not done in time (`undefined`). */
function answerOf(outcome: Outcome | undefined, { deliveryId, event: name }: Stored): WebhookResponse {
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
