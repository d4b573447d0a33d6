import type { UpstreamRequest } from '@teamstate/core';
import type { Client, SendRequestOptions } from 'jira.js/core';

/** Waits between retries; `reason` says why (the sync reports it as progress). */
export type RetrySleep = (ms: number, reason: string) => Promise<void>;

/** The jira.js error predicates (loaded with jira.js, which this module does not import at run time). */
export interface JiraErrorPredicates {
  isApiError(error: unknown): error is Error & { status: number; body: unknown };
  isRateLimitError(error: unknown): error is Error & { status: number; body: unknown; retryAfterMs?: number };
  isNetworkError(error: unknown): error is Error & { transient: boolean };
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

/** What {@link withRateLimit} needs to know about the product it talks to. */
export interface RateLimitOptions {
  /** The product's name in messages (`Jira`, `Confluence`). */
  product: string;
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  budget: RequestBudget;
  sleep: RetrySleep;
  errors: JiraErrorPredicates;
  /** Reads the product exposes as POST (repeating them changes nothing), by path. */
  readOnlyPosts?: readonly RegExp[];
  /** The product's error payload as one line. */
  describeBody(body: unknown, fallback: string): string;
  /** The product's upstream error (its message names what to fix; never a credential). */
  toError(
    request: UpstreamRequest,
    statusCode: number | undefined,
    detail: string,
    options: { isRetryable: boolean; cause: unknown },
  ): Error;
}

function canRepeat(request: SendRequestOptions<unknown>, readOnlyPosts: readonly RegExp[]): boolean {
  const method = (request.method ?? 'GET').toUpperCase();
  return method === 'GET' || method === 'PUT' || method === 'DELETE' || readOnlyPosts.some((path) => path.test(request.url));
}

/**
 * Wraps an Atlassian client of jira.js's core (which never retries a 429 itself; Jira and Confluence share it) so
 * that every request takes its slot in the budget, a 429 waits for `Retry-After` (or backs off), and 503 (and, for
 * requests that are safe to repeat, 502/504 and transient network errors) backs off exponentially. Waits go through
 * `sleep`, which the sync reports as progress. Failures become the product's errors (`toError`) without credentials.
 */
export function withRateLimit(client: Client, options: RateLimitOptions): Client {
  const { product, retry, budget, sleep, errors, readOnlyPosts = [], describeBody, toError } = options;
  return {
    async sendRequest<T>(request: SendRequestOptions<T>): Promise<T> {
      const redacted = { method: (request.method ?? 'GET').toUpperCase(), path: request.url };
      for (let attempt = 0; ; attempt++) {
        await budget.take();
        try {
          return await client.sendRequest(request);
        } catch (error) {
          const status = errors.isApiError(error) ? error.status : undefined;
          const rateLimited = errors.isRateLimitError(error);
          const retryable =
            rateLimited ||
            status === 503 ||
            (canRepeat(request, readOnlyPosts) && (status === 502 || status === 504 || (errors.isNetworkError(error) && error.transient)));
          if (!retryable || attempt >= retry.maxRetries) {
            if (errors.isApiError(error))
              throw toError(redacted, status, describeBody(error.body, error.message.split('\n')[0] ?? ''), {
                isRetryable: retryable,
                cause: error,
              });
            if (errors.isNetworkError(error))
              throw toError(redacted, undefined, (error as Error).message, { isRetryable: retryable, cause: error });
            throw error;
          }
          const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
          const ms = rateLimited && error.retryAfterMs !== undefined ? error.retryAfterMs : backoff;
          const why = rateLimited
            ? `rate limited by ${product} (429)`
            : status
              ? `${product} unavailable (${status})`
              : `${product} unreachable`;
          await sleep(ms, `${why}; retry ${attempt + 1} of ${retry.maxRetries} for ${redacted.method} ${redacted.path}`);
        }
      }
    },
  };
}
