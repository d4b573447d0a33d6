import type { WebhookRequest } from '../../spec/webhook.js';
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
