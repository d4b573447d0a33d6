import { UpstreamError } from '@teamstate/core';
import { READ_POLICY, type RetrySleep, sendWithRetries, WRITE_POLICY } from '../../upstream/http-retry.js';
import { unreachableHost } from '../../upstream/unreachable-host.js';
import { type RequestErrorDetails, UpstreamRequestError } from '../../upstream/upstream-request-error.js';
import type { ResolvedLinearOptions } from '../options.js';
import type { LinearGraphQLError, LinearResponse } from './linear-types.js';

/** A failed Linear request: the HTTP status or the GraphQL error's code, Linear's own message and what to do. */
export class LinearRequestError extends UpstreamRequestError {
  /** The GraphQL error's `extensions.code` (`RATELIMITED`, `AUTHENTICATION_ERROR`, `INVALID_INPUT` …), when Linear gave one. */
  readonly linearCode: string | undefined;
  /** How long Linear asked to wait (from its rate-limit reset headers), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  constructor(
    statusCode: number | undefined,
    detail: string,
    details: RequestErrorDetails & { code?: string; retryAfterMs?: number; operation: string },
  ) {
    const hint = details.code === 'AUTHENTICATION_ERROR' ? 401 : details.code === 'FORBIDDEN' ? 403 : statusCode;
    super(WORDING, { method: 'POST', path: `/graphql ${details.operation}` }, hint, detail, details);
    this.linearCode = details.code;
    this.retryAfterMs = details.retryAfterMs;
    this.name = 'LinearRequestError';
  }
}

const WORDING = {
  product: 'Linear',
  hints: {
    400: 'the query or its input was refused',
    401: 'check connectors.linear.apiKey: a personal API key (Settings › Security & access)',
    403: 'the API key may not read or change this: check its permissions and the team',
    429: 'rate limited: the sync waits for the limit to reset',
  } as Record<number, string>,
  unreachable: 'check the network and connectors.linear.url',
};

/** How a request waits and reads time (the sync's reported sleep and clock; a webhook's never waits). */
export interface LinearCallOptions {
  sleep: RetrySleep;
  /** Epoch milliseconds now, for the rate-limit reset headers. */
  now(): number;
  signal?: AbortSignal;
}

/** Sends GraphQL documents to Linear, counting requests. */
export interface LinearApi {
  request<T>(query: string, variables: Record<string, unknown>, call: LinearCallOptions): Promise<T>;
  /** Requests sent so far (retries included). */
  readonly requests: number;
}

const operationOf = (query: string) => /^\s*(query|mutation)\s+(\w+)/.exec(query)?.slice(1, 3).join(' ') ?? 'query';

// Linear's reset headers are epoch milliseconds; a missing or past one means "now".
function untilReset(headers: Headers, name: string, now: number): number | undefined {
  const reset = Number(headers.get(name));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset - now) : undefined;
}

/**
 * The Linear GraphQL endpoint over plain `fetch`: `Authorization: <apiKey>`; rate limits are read from
 * `X-RateLimit-Requests-Remaining` and `X-RateLimit-Complexity-Remaining` (a request that would overdraw waits for the
 * reset) and a `RATELIMITED` answer (HTTP 400 or 429) is waited out until the reset the headers give, else with a
 * doubling back-off; reads retry 5xx and lost answers, mutations only a rate limit.
 */
export function createLinearApi(options: ResolvedLinearOptions): LinearApi {
  let requests = 0;
  // What the last answer said is left of the budgets, and when they reset.
  let budget: { requests: number; complexity: number; lastCost: number; resetAt: number } | undefined;
  const secrets = [options.apiKey, options.webhookSecret];

  async function request<T>(query: string, variables: Record<string, unknown>, call: LinearCallOptions): Promise<T> {
    const operation = operationOf(query);
    const write = operation.startsWith('mutation');
    const base = write ? WRITE_POLICY : READ_POLICY;
    const policy = { ...base, maxRetries: Math.min(base.maxRetries, options.maxRetries) };
    const send = async (): Promise<T> => {
      if (budget && (budget.requests <= 0 || budget.complexity < budget.lastCost)) {
        const wait = Math.min(Math.max(0, budget.resetAt - call.now()), policy.maxRetryAfterMs);
        budget = undefined;
        if (wait > 0) await call.sleep(wait, `Linear rate limit nearly used up; waiting for its reset before ${operation}`);
      }
      requests += 1;
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: { Authorization: options.apiKey, 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ query, variables }),
          ...(call.signal ? { signal: call.signal } : {}),
        });
      } catch (cause) {
        if (call.signal?.aborted) throw cause;
        const unreachable = unreachableHost(cause, options.url);
        throw new LinearRequestError(undefined, unreachable?.detail ?? 'no answer', {
          isRetryable: unreachable === undefined,
          cause,
          secrets,
          operation,
        });
      }
      const now = call.now();
      const remaining = Number(response.headers.get('x-ratelimit-requests-remaining'));
      const complexity = Number(response.headers.get('x-ratelimit-complexity-remaining'));
      if (response.headers.has('x-ratelimit-requests-remaining') && Number.isFinite(remaining))
        budget = {
          requests: remaining,
          complexity: Number.isFinite(complexity) ? complexity : Number.POSITIVE_INFINITY,
          lastCost: Number(response.headers.get('x-complexity')) || 0,
          resetAt:
            now +
            Math.max(
              untilReset(response.headers, 'x-ratelimit-requests-reset', now) ?? 0,
              complexity < (Number(response.headers.get('x-complexity')) || 0)
                ? (untilReset(response.headers, 'x-ratelimit-complexity-reset', now) ?? 0)
                : 0,
            ),
        };
      let body: LinearResponse<T> | undefined;
      const text = await response.text();
      try {
        body = JSON.parse(text) as LinearResponse<T>;
      } catch {
        body = undefined;
      }
      const errors: LinearGraphQLError[] = body?.errors ?? [];
      const rateLimited = response.status === 429 || errors.some((e) => e.extensions?.code === 'RATELIMITED');
      if (rateLimited) {
        const wait =
          untilReset(response.headers, 'x-ratelimit-requests-reset', now) ??
          untilReset(response.headers, 'x-ratelimit-complexity-reset', now);
        throw new LinearRequestError(429, errors[0]?.message ?? 'rate limited', {
          isRetryable: true,
          secrets,
          operation,
          code: 'RATELIMITED',
          ...(wait === undefined ? {} : { retryAfterMs: wait }),
        });
      }
      if (response.ok && body?.data && errors.length === 0) return body.data;
      const first = errors[0];
      const detail = first
        ? `${first.extensions?.userPresentableMessage ?? first.message}${first.extensions?.code ? ` [${first.extensions.code}]` : ''}`
        : text.slice(0, 300) || response.statusText;
      throw new LinearRequestError(response.ok ? 400 : response.status, detail, {
        isRetryable: response.status >= 500,
        secrets,
        operation,
        ...(first?.extensions?.code ? { code: first.extensions.code } : {}),
      });
    };
    return sendWithRetries(send, {
      policy,
      classify: (error) =>
        UpstreamError.isInstance(error) && error instanceof LinearRequestError
          ? {
              rateLimited: error.linearCode === 'RATELIMITED',
              // No answer is worth another try, unless the host cannot be reached at all (isRetryable false).
              transient: (error.statusCode === undefined && error.isRetryable) || (error.statusCode ?? 0) >= 500,
              ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
            }
          : undefined,
      sleep: call.sleep,
      describe: (failure, retry) =>
        `Linear ${operation}: ${failure.rateLimited ? 'rate limited (RATELIMITED)' : 'unavailable'}, retry ${retry} of ${policy.maxRetries}`,
      giveUp: (error, { failure, retryable }) => {
        if (write && failure && !failure.rateLimited && error instanceof LinearRequestError && (error.statusCode ?? 500) >= 500)
          return new LinearRequestError(error.statusCode, 'no usable answer', {
            isRetryable: retryable,
            outcomeUnknown: true,
            cause: error,
            secrets,
            operation,
          });
        return error;
      },
    });
  }
  return {
    request,
    get requests() {
      return requests;
    },
  };
}

/** Whether an error is Linear saying the entity does not exist (or the key cannot see it). */
export function isNotFound(error: unknown): boolean {
  return (
    error instanceof LinearRequestError &&
    (error.linearCode === 'ENTITY_NOT_FOUND' || error.linearCode === 'NOT_FOUND' || /not found|could not find/i.test(error.message))
  );
}
