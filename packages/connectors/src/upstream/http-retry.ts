/**
 * The one retry and rate-limit loop of the connectors' HTTP clients (Jira and Confluence through jira.js's core, Slack
 * through `@slack/web-api`; GitHub keeps its octokit plugin). A client says what a failure was ({@link AttemptFailure});
 * the loop decides, by the request's {@link RetryPolicy}, whether to wait and send it again.
 */

/** Waits between retries; `reason` says why (a sync reports it as progress). */
export type RetrySleep = (ms: number, reason: string) => Promise<void>;

/** What a failed attempt was, as the client that sent it reads the failure. */
export interface AttemptFailure {
  /** The HTTP status; absent when no answer came. */
  status?: number;
  /** Refused for the upstream's rate limit (429, Slack's `ratelimited`): the upstream did not act on the request. */
  rateLimited: boolean;
  /** How long the upstream asked to wait (`Retry-After`), in milliseconds. */
  retryAfterMs?: number;
  /** A failure that may pass (a 5xx, a timeout, no answer): worth sending again only when the request is safe to repeat. */
  transient: boolean;
}

/** How a request is retried; {@link READ_POLICY} for reads and idempotent writes, {@link WRITE_POLICY} for the others. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** The first back-off without `Retry-After`, doubled on each retry of the request. */
  baseDelayMs: number;
  /** The longest back-off without `Retry-After`. */
  maxDelayMs: number;
  /** The longest `Retry-After` waited for; an upstream asking for longer fails the request at once. */
  maxRetryAfterMs: number;
  /**
   * Whether transient failures are retried. A request that is not safe to repeat (a POST that creates something) is
   * sent again only after a rate limit, which the upstream refused without acting on it.
   */
  retryTransient: boolean;
}

/** Reads and idempotent writes (GET, PUT, DELETE, a search sent as POST): rate limits and transient failures. */
export const READ_POLICY: RetryPolicy = {
  maxRetries: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 15 * 60_000,
  retryTransient: true,
};

/**
 * Writes that are not idempotent (POST): only a rate limit is waited out, at most twice and for at most a minute; a
 * 5xx or a lost answer is never sent again (the caller re-reads the state: `outcomeUnknown`).
 */
export const WRITE_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 1_000,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  retryTransient: false,
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Whether a request is safe to send twice: GET, HEAD, OPTIONS, PUT and DELETE by HTTP's rules, and the POSTs `readOnlyPosts` names. */
export function isIdempotent(method: string, path: string, readOnlyPosts: readonly RegExp[] = []): boolean {
  return SAFE_METHODS.has(method.toUpperCase()) || readOnlyPosts.some((pattern) => pattern.test(path));
}

/** A `Retry-After` header (seconds, or an HTTP date) in milliseconds from `now`; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Why the loop stopped sending a request. */
export type GiveUpReason =
  /** The failure is not one the policy retries (a 4xx, a write's 5xx). */
  | 'not_retryable'
  /** The retries are used up. */
  | 'retries_exhausted'
  /** The upstream asked to wait longer than the policy's `maxRetryAfterMs`. */
  | 'retry_after_too_long'
  /** Waiting would pass the request's deadline. */
  | 'deadline';

/** Options of {@link sendWithRetries}. */
export interface RetryLoopOptions {
  policy: RetryPolicy;
  /** What a thrown error was; `undefined` for one that is never retried (a bug, a cancelled sync). */
  classify(error: unknown): AttemptFailure | undefined;
  sleep: RetrySleep;
  /** The reason a wait is reported with (`retry` counts from 1; `error` is the attempt's). */
  describe(failure: AttemptFailure, retry: number, error: unknown): string;
  /**
   * The error to throw when the loop stops: `retryable` says whether trying again later can help. By default the
   * attempt's own error is thrown.
   */
  giveUp?(error: unknown, details: { failure: AttemptFailure | undefined; reason: GiveUpReason; retryable: boolean }): unknown;
  /** No wait may end after this (epoch milliseconds): a write that must land by a deadline. */
  deadline?: number;
  /** The clock the deadline is read with. */
  now?: () => number;
}

/** The wait before retry number `retry` (from 0): `Retry-After` when given, else the doubling back-off. */
export function retryDelay(policy: RetryPolicy, failure: AttemptFailure, retry: number): number {
  return failure.retryAfterMs ?? Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
}

/**
 * Sends a request until it succeeds or the policy stops it: a rate limit waits for `Retry-After` (or backs off), a
 * transient failure backs off exponentially when the policy retries those, and nothing waits longer than the policy
 * allows or past the deadline. Waits go through `sleep` with the reason `describe` gives.
 */
export async function sendWithRetries<T>(send: () => Promise<T>, options: RetryLoopOptions): Promise<T> {
  const { policy, classify, sleep, describe } = options;
  const stop = (error: unknown, failure: AttemptFailure | undefined, reason: GiveUpReason, retryable: boolean) =>
    options.giveUp ? options.giveUp(error, { failure, reason, retryable }) : error;
  const started = options.now?.() ?? 0;
  let waited = 0;
  for (let retry = 0; ; retry++) {
    try {
      return await send();
    } catch (error) {
      const failure = classify(error);
      const retryable = failure !== undefined && (failure.rateLimited || failure.transient);
      if (!failure || !(failure.rateLimited || (policy.retryTransient && failure.transient)))
        throw stop(error, failure, 'not_retryable', retryable);
      if (retry >= policy.maxRetries) throw stop(error, failure, 'retries_exhausted', true);
      const ms = retryDelay(policy, failure, retry);
      if (options.deadline !== undefined) {
        // A fixed clock (tests, --now) does not move while waiting: count the waits too.
        const at = Math.max(options.now?.() ?? Date.now(), started + waited);
        if (at + ms > options.deadline) throw stop(error, failure, 'deadline', true);
      }
      if (ms > policy.maxRetryAfterMs) throw stop(error, failure, 'retry_after_too_long', true);
      await sleep(ms, describe(failure, retry + 1, error));
      waited += ms;
    }
  }
}

/** Counts requests and spaces them out to at most `requestsPerSecond` (0: no pacing). Shared by every client of a connector. */
export interface RequestBudget {
  /** Waits for this request's slot and counts it. */
  take(): Promise<void>;
  /** Requests started so far. */
  readonly count: number;
}

/** A request budget of `requestsPerSecond`. */
export function createRequestBudget(requestsPerSecond: number): RequestBudget {
  let next = 0;
  let count = 0;
  return {
    get count() {
      return count;
    },
    async take() {
      count += 1;
      if (requestsPerSecond <= 0) return;
      // Transport pacing, not domain time: a monotonic clock is the right one here.
      const now = performance.now();
      const at = Math.max(now, next);
      next = at + 1000 / requestsPerSecond;
      if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
    },
  };
}
