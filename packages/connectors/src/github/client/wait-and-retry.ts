import type { Octokit, OctokitOptions } from '@octokit/core';
import { unreachableHost } from '../../upstream/unreachable-host.js';
import { fixFor, GitHubApiError } from './github-error.js';
import { type RateLimitState, type ResponseHeaders, rateLimitWait, readRateLimit } from './rate-limit.js';

/** What a client has done so far (for logs and benchmarks). */
export interface GitHubClientStats {
  requests: number;
  restRequests: number;
  graphqlRequests: number;
  /** 304 answers to conditional requests: they do not count against the rate limit. */
  notModified: number;
  /** GraphQL points spent, as GitHub reported them (`rateLimit.cost`). */
  graphqlPoints: number;
  /** Rate-limit and server-error waits, in milliseconds. */
  waitedMs: number;
}

/** How one request may be retried: given per request as `request.teamstate`. */
export interface RequestPolicy {
  /** For messages: `GET /repos/acme/api/pulls`, `POST /graphql (PullRequests)`. */
  method: string;
  path: string;
  /** A write is sent exactly once; a read waits out rate limits and, with `retryServerErrors`, server errors. */
  write: boolean;
  retryServerErrors: boolean;
  /** A GraphQL query: its name (to learn its point cost) and the NOT_FOUND errors it expects. */
  graphql?: { name: string; tolerateNotFound?: (path: readonly (string | number)[]) => boolean };
}

/** Options of the {@link waitAndRetry} plugin (`new (Octokit.plugin(waitAndRetry))({ waitAndRetry: … })`). */
export interface WaitAndRetryOptions {
  now: () => Date;
  /** Waits before a read is asked again; rejecting stops the request (a sync passes `ctx.sleep`). */
  wait: (ms: number, reason: string) => Promise<void>;
  signal?: AbortSignal;
  /** Rate-limit waits per request before giving up (default 6). */
  maxRateLimitWaits?: number;
  /** Retries of a read after a 5xx or a network error (default 3, waiting 1 s, 2 s, 4 s). */
  maxServerErrorRetries?: number;
  /** Counted into as requests are sent and waits waited. */
  stats: GitHubClientStats;
}

interface RawError {
  status: number | undefined;
  headers: ResponseHeaders;
  message: string;
  graphqlTypes: string[];
  cause: unknown;
}

const TIMEOUT_MESSAGE = /timeout|timed out|Something went wrong while executing your query/i;
const RESOURCE_LIMIT_TYPES = new Set(['MAX_NODE_LIMIT_EXCEEDED', 'RESOURCE_LIMITS_EXCEEDED']);

/** True when a GraphQL query failed because it asked for too much at once (502/504, resource limits, timeouts). */
export function isQueryTooLarge(error: unknown): boolean {
  if (!GitHubApiError.isGitHubApiError(error)) return false;
  if (error.statusCode === 502 || error.statusCode === 504) return true;
  return error.graphqlTypes.some((type) => RESOURCE_LIMIT_TYPES.has(type)) || TIMEOUT_MESSAGE.test(error.message);
}

/**
 * An octokit plugin that wraps every request carrying a {@link RequestPolicy}: reads wait out primary
 * rate limits (until `x-ratelimit-reset`), secondary ones (`retry-after`, else 60 s doubling), a spent
 * budget known from earlier answers (and a GraphQL query's learnt point cost), and server errors;
 * writes are sent once and never retried, whatever happens (octokit's retry plugin is deliberately
 * not used: it retries POST and PUT). Failures become a `GitHubApiError` naming the request and the fix.
 */
export function waitAndRetry(octokit: Octokit, octokitOptions: OctokitOptions): void {
  const settings = (octokitOptions as { waitAndRetry?: WaitAndRetryOptions }).waitAndRetry;
  if (!settings) return;
  const { stats, now } = settings;
  const maxRateLimitWaits = settings.maxRateLimitWaits ?? 6;
  const maxServerErrorRetries = settings.maxServerErrorRetries ?? 3;
  const limits = new Map<string, RateLimitState>();
  const expectedCost = new Map<string, number>();

  const wait = async (ms: number, reason: string) => {
    stats.waitedMs += ms;
    await settings.wait(ms, reason);
  };
  const remember = (headers: ResponseHeaders, fallback: string) => {
    const state = readRateLimit(headers, fallback);
    if (state) limits.set(state.resource, state);
  };
  // Waits before a request when the budget it needs is known to be spent.
  const waitForBudget = async (resource: string, need: number) => {
    const state = limits.get(resource);
    const at = now().getTime();
    if (state && state.remaining < need && state.resetAt > at) {
      await wait(state.resetAt - at + 1_000, `GitHub ${resource} budget spent (${state.remaining} left, ${need} needed)`);
      limits.delete(resource);
    }
  };

  octokit.hook.wrap('request', async (request, options) => {
    const policy = (options.request as { teamstate?: RequestPolicy } | undefined)?.teamstate;
    if (!policy) return request(options);
    const resource = policy.graphql ? 'graphql' : 'core';

    // One attempt: counted, headers remembered, GraphQL answers checked for errors and their cost.
    const attempt = async () => {
      stats.requests += 1;
      if (policy.graphql) stats.graphqlRequests += 1;
      else stats.restRequests += 1;
      let response: Awaited<ReturnType<typeof request>>;
      try {
        response = await request(options);
      } catch (error) {
        remember(toRawError(error).headers, resource);
        throw error;
      }
      const headers = response.headers as ResponseHeaders;
      remember(headers, resource);
      if (policy.graphql) checkGraphqlAnswer(policy, response.status, headers, response.data);
      return response;
    };

    const checkGraphqlAnswer = (p: RequestPolicy, status: number, headers: ResponseHeaders, data: unknown) => {
      const body = data as {
        data?: { rateLimit?: { cost?: number; remaining?: number; resetAt?: string } };
        errors?: { type?: string; message?: string; path?: (string | number)[] }[];
      };
      const rateLimit = body.data?.rateLimit;
      if (rateLimit?.cost !== undefined) {
        stats.graphqlPoints += rateLimit.cost;
        expectedCost.set(p.graphql!.name, Math.max(1, rateLimit.cost));
      }
      if (rateLimit?.remaining !== undefined && rateLimit.resetAt)
        limits.set('graphql', { resource: 'graphql', remaining: rateLimit.remaining, resetAt: Date.parse(rateLimit.resetAt) });
      const tolerate = p.graphql!.tolerateNotFound;
      const errors = (body.errors ?? []).filter((e) => !(tolerate && e.type === 'NOT_FOUND' && e.path && tolerate(e.path)));
      if (errors.length > 0) {
        const types = errors.map((e) => e.type ?? 'ERROR');
        const message = errors.map((e) => e.message ?? 'unknown error').join('; ');
        throw apiError(
          p,
          { status, headers, message, graphqlTypes: types, cause: undefined },
          { write: false, rateLimited: types.includes('RATE_LIMITED') },
        );
      }
      if (!body.data)
        throw apiError(
          p,
          { status, headers, message: 'the response has no data', graphqlTypes: [], cause: undefined },
          { write: false, rateLimited: false },
        );
    };

    if (policy.write) {
      try {
        return await attempt();
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        const raw = toRawError(error);
        const limit =
          raw.status === undefined
            ? undefined
            : rateLimitWait({ status: raw.status, headers: raw.headers, message: raw.message }, 0, now().getTime());
        throw apiError(policy, raw, { write: true, rateLimited: limit !== undefined, retryInMs: limit?.waitMs });
      }
    }

    let rateLimitWaits = 0;
    let secondaryHits = 0;
    let serverRetries = 0;
    for (;;) {
      try {
        await waitForBudget(resource, policy.graphql ? (expectedCost.get(policy.graphql.name) ?? 1) : 1);
        return await attempt();
      } catch (error) {
        if ((error as Error).name === 'AbortError' || settings.signal?.aborted) throw error;
        const raw = GitHubApiError.isGitHubApiError(error) ? fromApiError(error) : toRawError(error);
        if (raw.status === 304) throw error;
        const limit =
          raw.status === undefined && raw.graphqlTypes.length === 0
            ? undefined
            : rateLimitWait(
                { status: raw.status ?? 200, headers: raw.headers, message: [raw.message, ...raw.graphqlTypes].join(' ') },
                secondaryHits,
                now().getTime(),
              );
        if (limit && rateLimitWaits < maxRateLimitWaits) {
          rateLimitWaits += 1;
          if (limit.kind === 'secondary') secondaryHits += 1;
          await wait(limit.waitMs, limit.reason);
          // What the headers said about the budget is stale once its reset has been waited out.
          limits.delete(resource);
          continue;
        }
        // A host whose name does not resolve or that refuses the connection will not answer a retry either.
        const unreachable = raw.status === undefined ? unreachableHost(raw.cause) : undefined;
        // A GraphQL timeout arrives as a 200 with an error message: as retryable as a 502.
        const serverError =
          unreachable === undefined &&
          (raw.status === undefined || raw.status >= 500 || (raw.graphqlTypes.length > 0 && TIMEOUT_MESSAGE.test(raw.message)));
        if (serverError && policy.retryServerErrors && serverRetries < maxServerErrorRetries) {
          const ms = 1_000 * 2 ** serverRetries;
          serverRetries += 1;
          await wait(ms, `GitHub answered ${raw.status ?? 'no response'} to ${policy.method} ${policy.path}; retrying`);
          continue;
        }
        throw GitHubApiError.isGitHubApiError(error)
          ? error
          : apiError(policy, raw, { write: false, rateLimited: limit !== undefined, unreachable: unreachable !== undefined });
      }
    }
  });
}

function toRawError(error: unknown): RawError {
  const e = error as { status?: number; response?: { headers?: ResponseHeaders; data?: unknown }; message?: string };
  const data = e.response?.data as { message?: string } | undefined;
  return {
    status: e.response ? e.status : undefined,
    headers: e.response?.headers ?? {},
    message: typeof data?.message === 'string' ? data.message : (e.message ?? String(error)),
    graphqlTypes: [],
    cause: error,
  };
}

function fromApiError(error: GitHubApiError): RawError {
  const cause = error.cause as { response?: { headers?: ResponseHeaders } } | undefined;
  return {
    status: error.statusCode,
    headers: (error as unknown as { headers?: ResponseHeaders }).headers ?? cause?.response?.headers ?? {},
    message: error.message,
    graphqlTypes: [...error.graphqlTypes],
    cause: error,
  };
}

function apiError(
  request: { method: string; path: string },
  raw: RawError,
  how: { write: boolean; rateLimited: boolean; retryInMs?: number; unreachable?: boolean },
): GitHubApiError {
  const status = raw.status === undefined ? 'no response' : String(raw.status);
  const types = raw.graphqlTypes.filter((t) => t !== 'ERROR');
  const fix = raw.graphqlTypes.includes('NOT_FOUND') ? fixFor(404, request.path) : fixFor(raw.status, request.path);
  const parts = [
    `GitHub ${request.method} ${request.path} failed (${status}${types.length ? `, ${types.join(', ')}` : ''}): ${raw.message}`,
  ];
  if (how.write && how.rateLimited)
    parts.push(
      `rate limited; the write was not sent again${how.retryInMs ? ` (GitHub asks to wait ${Math.ceil(how.retryInMs / 1000)} s)` : ''}: propose the action again later`,
    );
  else if (how.write && (raw.status === undefined || raw.status >= 500))
    parts.push('the write may or may not have taken effect; it was not sent again (re-read the pull request before retrying)');
  else if (how.unreachable) parts.push('check connectors.github.baseUrl and the network');
  else if (fix) parts.push(fix);
  const error = new GitHubApiError(parts.join(' — '), {
    statusCode: raw.status,
    isRetryable: how.rateLimited || (raw.status === undefined && !how.unreachable) || (raw.status ?? 0) >= 500,
    outcomeUnknown: how.write && (raw.status === undefined || raw.status >= 500),
    request: { method: request.method, path: request.path },
    graphqlTypes: raw.graphqlTypes,
    cause: raw.cause,
  });
  // Kept for the retry loop (rate-limit headers of a GraphQL error answer); never shown.
  Object.defineProperty(error, 'headers', { value: raw.headers, enumerable: false });
  return error;
}
