import { errorMessage, TeamStateError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import type { Store } from '../../kernel/store/open-store.js';
import type { InteractionContext, InteractionSpec } from '../../spec/interaction.js';
import type { WebhookRequest } from '../../spec/webhook.js';
import type { WebhookResponse } from './receive-webhook.js';

/** Work started after answering a request, tracked so closing the `TeamState` can wait for it. */
export interface DeferredWork {
  /** Starts `work` on a later turn of the event loop (after the answer is sent); the promise never rejects. */
  start(label: string, work: () => Promise<void>): Promise<void>;
  /** Resolves when everything started so far has finished. */
  idle(): Promise<void>;
}

/** Creates a {@link DeferredWork} tracker that logs failures. */
export function createDeferredWork(log: Logger): DeferredWork {
  const running = new Set<Promise<void>>();
  return {
    start(label, work) {
      const task = new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .catch((error: unknown) => log.error(`${label}: the work after the answer failed`, { error: errorMessage(error) }))
        .finally(() => running.delete(task));
      running.add(task);
      return task;
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}

/**
 * Handles one interactive request: verify the signature over the raw bytes (401), let the connector
 * parse and answer (400 for an unusable payload), drop a replay of a request already handled (answered
 * 200, nothing done), and start the handler's `after` once the answer has been returned. `done` on the
 * response resolves when that work has finished.
 */
export async function receiveInteraction(
  deps: { store: Store; workspace: string; clock: () => Date; log: Logger; context: InteractionContext; deferred: DeferredWork },
  spec: InteractionSpec,
  request: WebhookRequest,
): Promise<WebhookResponse> {
  const { store, workspace, clock, log } = deps;
  const now = clock();
  if (!spec.verify(request, now)) {
    log.warn(`interaction ${spec.path}: rejected a request with a missing, invalid or stale signature`);
    return { status: 401, body: { ok: false, message: 'invalid, stale or missing signature' } };
  }
  let result: Awaited<ReturnType<InteractionSpec['handle']>>;
  try {
    result = await spec.handle(request, deps.context);
  } catch (error) {
    if (TeamStateError.isInstance(error) && error.code === 'invalid_webhook_payload')
      return { status: 400, body: { ok: false, message: error.message } };
    throw error;
  }
  const deliveryId = spec.deliveryId?.(request);
  if (deliveryId !== undefined) {
    const first = await store.write(async (tx) => {
      const inserted = await tx.execute({
        sql: `INSERT INTO webhook_deliveries (workspace, provider, delivery_id, event, received_at, status) VALUES (?, ?, ?, ?, ?, ?)
              ON CONFLICT (workspace, provider, delivery_id) DO NOTHING`,
        args: [workspace, spec.path, deliveryId, result.event, now.getTime(), result.status === 200 ? 'processed' : 'failed'],
      });
      return inserted.rowsAffected === 1;
    });
    if (!first) {
      log.info(`interaction ${spec.path}: a replayed request was answered and dropped`, { event: result.event });
      return { status: 200, body: { ok: true, duplicate: true, message: 'this request was already handled' }, answer: null };
    }
  }
  const body = { ok: result.status === 200, message: result.event };
  if (!result.after) return { status: result.status, body, answer: result.answer };
  return {
    status: result.status,
    body,
    answer: result.answer,
    done: deps.deferred.start(`interaction ${spec.path} (${result.event})`, result.after),
  };
}
