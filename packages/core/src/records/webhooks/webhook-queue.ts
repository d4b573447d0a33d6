import { TeamStateError } from '../../kernel/errors.js';
import type { Logger } from '../../kernel/logger.js';
import type { Store } from '../../kernel/store/open-store.js';
import type { WebhookRequest, WebhookSpec } from '../../spec/webhook.js';
import type { FeatureDefinition } from '../feature.js';
import { createReaders } from '../readers.js';
import { receiveDelivery } from './receive-delivery.js';
import type { WebhookResponse } from './receive-webhook.js';
import { drainDeliveries, getDelivery, listDeliveries, retryDelivery } from './stored-deliveries.js';
import type { WebhookQueueContext } from './webhook-queue-context.js';
import type { WebhookQueueOptions, Webhooks } from './webhook-types.js';

export type { WebhookDelivery, WebhookDeliveryStatus, WebhookDrainResult, WebhookQueueOptions, Webhooks } from './webhook-types.js';

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
  const queue: WebhookQueueContext = {
    store: deps.store,
    workspace: deps.workspace,
    specs: deps.specs,
    clock: deps.clock,
    log: deps.log,
    features: deps.features,
    maxAttempts: whole('webhooks.maxAttempts', options.maxAttempts, 10),
    retryAfterMs: whole('webhooks.retryAfterMs', options.retryAfterMs, 30_000),
    answerWithinMs: whole('webhooks.answerWithinMs', options.answerWithinMs, 800),
    attemptTimeoutMs: whole('webhooks.attemptTimeoutMs', options.attemptTimeoutMs, 60_000),
    running: new Set(),
    readers: createReaders(deps.store, deps.workspace),
    closing: new AbortController(),
  };
  return {
    receive: (provider, request) => receiveDelivery(queue, provider, request),
    list: (query) => listDeliveries(queue, query),
    get: (id, getOptions) => getDelivery(queue, id, getOptions),
    retry: (id, retryOptions) => retryDelivery(queue, id, retryOptions),
    drain: (drainOptions) => drainDeliveries(queue, drainOptions),
    idle: () => waitForAttempts(queue),
    async close() {
      queue.closing.abort(new TeamStateError('sync_failed', 'teamstate is closing'));
      await waitForAttempts(queue);
    },
  };
}

/** Resolves once no attempt runs, counting those started meanwhile. */
async function waitForAttempts(queue: WebhookQueueContext): Promise<void> {
  while (queue.running.size > 0) await Promise.allSettled([...queue.running]);
}

function whole(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new TeamStateError('invalid_config', `${name}: expected a positive whole number, got ${value}`);
  return value;
}
