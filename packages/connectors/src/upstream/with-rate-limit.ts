import type { UpstreamRequest } from '@teamstate/core';
import type { Client, SendRequestOptions } from 'jira.js/core';
import {
  type AttemptFailure,
  isIdempotent,
  READ_POLICY,
  type RequestBudget,
  type RetryPolicy,
  type RetrySleep,
  sendWithRetries,
  WRITE_POLICY,
} from './http-retry.js';
import { unreachableHost } from './unreachable-host.js';
import { redactedRequest } from './upstream-request-error.js';

export { createRequestBudget, type RequestBudget, type RetrySleep } from './http-retry.js';

/** The jira.js error predicates (loaded with jira.js, which this module does not import at run time). */
export interface JiraErrorPredicates {
  isApiError(error: unknown): error is Error & { status: number; body: unknown };
  isRateLimitError(error: unknown): error is Error & { status: number; body: unknown; retryAfterMs?: number };
  isNetworkError(error: unknown): error is Error & { transient: boolean };
}

/** What {@link withRateLimit} needs to know about the product it talks to. */
export interface RateLimitOptions {
  /** The product's name in messages (`Jira`, `Confluence`). */
  product: string;
  /** The configured address (`https://acme.atlassian.net`): a host that cannot be reached is named by it. */
  host?: string;
  /** Reads and idempotent writes: the connector's `retry` option over {@link READ_POLICY}. */
  retry: { maxRetries: number; baseDelayMs: number; maxDelayMs: number };
  /** Writes that are not idempotent; default {@link WRITE_POLICY}. */
  writeRetry?: RetryPolicy;
  budget: RequestBudget;
  sleep: RetrySleep;
  errors: JiraErrorPredicates;
  /** The credentials, masked in error messages should the upstream echo one. */
  secrets?: readonly (string | undefined)[];
  /** Reads the product exposes as POST (repeating them changes nothing), by path. */
  readOnlyPosts?: readonly RegExp[];
  /** The product's error payload as one line. */
  describeBody(body: unknown, fallback: string): string;
  /** The product's upstream error (its message names what to fix; never a credential). */
  toError(
    request: UpstreamRequest,
    statusCode: number | undefined,
    detail: string,
    options: { isRetryable: boolean; outcomeUnknown: boolean; cause: unknown; secrets?: readonly (string | undefined)[] },
  ): Error;
}

/**
 * Wraps an Atlassian client of jira.js's core (which never retries a 429 itself; Jira and Confluence share it) with
 * the connectors' retry loop (`shared/http-retry.ts`): every request takes its slot in the budget; a read (or a PUT,
 * DELETE or search sent as POST) waits out a 429 for `Retry-After` (or backs off) and backs off on a 5xx or a
 * transient network error; any other POST waits out only a 429, under the stricter write policy, and a 5xx or a lost
 * answer fails it as `outcomeUnknown`. Waits go through `sleep`, which the sync reports as progress. Failures become
 * the product's errors (`toError`) without credentials.
 */
export function withRateLimit(client: Client, options: RateLimitOptions): Client {
  const { product, budget, sleep, errors, readOnlyPosts = [], describeBody, toError } = options;
  const readPolicy: RetryPolicy = { ...READ_POLICY, ...options.retry };
  const writePolicy = options.writeRetry ?? WRITE_POLICY;
  const classify = (error: unknown): AttemptFailure | undefined => {
    if (errors.isRateLimitError(error))
      return { status: error.status, rateLimited: true, retryAfterMs: error.retryAfterMs, transient: false };
    if (errors.isApiError(error)) return { status: error.status, rateLimited: false, transient: error.status >= 500 };
    // A host whose name does not resolve or that refuses the connection will not answer a retry either.
    if (errors.isNetworkError(error))
      return { rateLimited: false, transient: error.transient && unreachableHost(error, options.host) === undefined };
    return undefined;
  };
  return {
    async sendRequest<T>(request: SendRequestOptions<T>): Promise<T> {
      const redacted = redactedRequest(request.method ?? 'GET', request.url);
      const write = !isIdempotent(redacted.method, request.url, readOnlyPosts);
      const policy = write ? writePolicy : readPolicy;
      return sendWithRetries(
        async () => {
          await budget.take();
          return client.sendRequest(request);
        },
        {
          policy,
          classify,
          sleep,
          describe: (failure, retry) => {
            const why = failure.rateLimited
              ? `rate limited by ${product} (429)`
              : failure.status
                ? `${product} unavailable (${failure.status})`
                : `${product} unreachable`;
            return `${why}; retry ${retry} of ${policy.maxRetries} for ${redacted.method} ${redacted.path}`;
          },
          giveUp: (error, { failure, retryable }) => {
            if (!failure) return error;
            // A write that got a 5xx or no answer may have landed: it is never sent again blindly.
            const outcomeUnknown = write && !failure.rateLimited && (failure.status === undefined || failure.status >= 500);
            const failed = { isRetryable: retryable, outcomeUnknown, cause: error, secrets: options.secrets };
            if (errors.isApiError(error))
              return toError(redacted, error.status, describeBody(error.body, error.message.split('\n')[0] ?? ''), failed);
            return toError(redacted, undefined, unreachableHost(error, options.host)?.detail ?? (error as Error).message, failed);
          },
        },
      );
    },
  };
}
