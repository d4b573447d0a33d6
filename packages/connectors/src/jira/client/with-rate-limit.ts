import type { Client, SendRequestOptions } from 'jira.js/core';
import type { JiraSleep } from '../options.js';
import { describeJiraErrorBody, JiraRequestError } from './jira-request-error.js';

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

// Reads that Jira exposes as POST; repeating them changes nothing.
const READ_ONLY_POSTS = [/\/search\/jql$/, /\/search\/approximate-count$/, /\/changelog\/bulkfetch$/, /\/rest\/api\/2\/search$/];

function canRepeat(request: SendRequestOptions<unknown>): boolean {
  const method = (request.method ?? 'GET').toUpperCase();
  return method === 'GET' || method === 'PUT' || method === 'DELETE' || READ_ONLY_POSTS.some((path) => path.test(request.url));
}

/**
 * Wraps a jira.js client (which never retries a 429 itself) so that every request takes its slot in
 * the budget, a 429 waits for `Retry-After` (or backs off), and 503 (and, for requests that are safe to
 * repeat, 502/504 and transient network errors) backs off exponentially. Waits go through `sleep`, which
 * the sync reports as progress. Failures become {@link JiraRequestError}s without credentials.
 */
export function withRateLimit(
  client: Client,
  options: {
    retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
    budget: RequestBudget;
    sleep: JiraSleep;
    errors: JiraErrorPredicates;
  },
): Client {
  const { retry, budget, sleep, errors } = options;
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
            (canRepeat(request) && (status === 502 || status === 504 || (errors.isNetworkError(error) && error.transient)));
          if (!retryable || attempt >= retry.maxRetries) {
            if (errors.isApiError(error))
              throw new JiraRequestError(redacted, status, describeJiraErrorBody(error.body, error.message.split('\n')[0] ?? ''), {
                isRetryable: retryable,
                cause: error,
              });
            if (errors.isNetworkError(error))
              throw new JiraRequestError(redacted, undefined, (error as Error).message, { isRetryable: retryable, cause: error });
            throw error;
          }
          const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
          const ms = rateLimited && error.retryAfterMs !== undefined ? error.retryAfterMs : backoff;
          const why = rateLimited ? 'rate limited by Jira (429)' : status ? `Jira unavailable (${status})` : 'Jira unreachable';
          await sleep(ms, `${why}; retry ${attempt + 1} of ${retry.maxRetries} for ${redacted.method} ${redacted.path}`);
        }
      }
    },
  };
}
