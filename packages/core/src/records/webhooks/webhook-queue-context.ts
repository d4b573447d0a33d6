import type { Logger } from '../../kernel/logger.js';
import type { Store } from '../../kernel/store/open-store.js';
import { redactSecrets } from '../../kernel/text/redact-secrets.js';
import type { WebhookSpec } from '../../spec/webhook.js';
import type { FeatureDefinition } from '../feature.js';
import type { Readers } from '../readers.js';

/** What every step of the webhook queue shares: its dependencies, its settled options and the attempts running. */
export interface WebhookQueueContext {
  store: Store;
  workspace: string;
  specs: readonly WebhookSpec[];
  clock: () => Date;
  log: Logger;
  features: readonly FeatureDefinition[];
  maxAttempts: number;
  retryAfterMs: number;
  answerWithinMs: number;
  attemptTimeoutMs: number;
  /** Attempts started and not finished yet: `idle()` and `close()` wait for them. */
  running: Set<Promise<unknown>>;
  /** Read back the stored copy of work items an incomplete delivery only adds to. */
  readers: Readers;
  /** Aborted by `close()`: attempts running are aborted, and `drain()` starts no more. */
  closing: AbortController;
}

/** What became of one attempt (`busy`: another process or call claimed it first). */
export type Outcome =
  | { kind: 'processed'; stale: string[] }
  | { kind: 'ignored'; message: string }
  | { kind: 'retrying' | 'failed'; error: string; partial: boolean }
  | { kind: 'rejected'; message: string }
  | { kind: 'busy' };

/** Whether the sender of a delivery still waits for the answer; whoever sets `open` to false first answers. */
export interface PendingAnswer {
  open: boolean;
}

/** A stored delivery as an attempt takes it. */
export interface Stored {
  provider: string;
  deliveryId: string;
  event: string;
  attempts: number;
  headers: Record<string, string | undefined>;
  body: string;
}

const MAX_BACKOFF_MS = 60 * 60_000;

/** How long a delivery waits after its `attempts`-th failed attempt: doubling each time, up to an hour. */
export const backoff = (queue: WebhookQueueContext, attempts: number) => Math.min(queue.retryAfterMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);

/** Counts `promise` as running until it settles, for `idle()` and `close()`. */
export function track<T>(queue: WebhookQueueContext, promise: Promise<T>): Promise<T> {
  const { running } = queue;
  running.add(promise);
  void promise.then(
    () => running.delete(promise),
    () => running.delete(promise),
  );
  return promise;
}

/** Why an attempt failed, as stored and logged: secrets removed, at most 2,000 characters. */
export function describe(error: unknown, signal?: AbortSignal): string {
  if (signal?.aborted) return `aborted: ${describe(signal.reason)}`;
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message).slice(0, 2000);
}
