import { Octokit } from '@octokit/core';
import type { Logger } from '@teamstate/core';
import { fixFor, GitHubApiError } from './github-error.js';
import { type RateLimitState, type ResponseHeaders, rateLimitWait, readRateLimit } from './rate-limit.js';

/** How the connector authenticates: a token, or a GitHub App installation. */
export type GitHubAuth =
  | { token: string }
  | {
      app: {
        appId: number | string;
        /** The App's private key (PEM). */
        privateKey: string;
        installationId: number;
      };
    };

/** Options of {@link createGitHubClient}. */
export interface GitHubClientOptions {
  auth: GitHubAuth;
  /** REST base URL: `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  restUrl: string;
  /** GraphQL endpoint: `https://api.github.com/graphql`, or `https://<host>/api/graphql`. */
  graphqlUrl: string;
  now: () => Date;
  /**
   * Waits out a rate limit or a server error before a read is asked again; rejecting stops the
   * request (a sync passes `ctx.sleep`, which reports the wait and honours Ctrl-C).
   */
  wait: (ms: number, reason: string) => Promise<void>;
  signal?: AbortSignal;
  log: Logger;
  /** Rate-limit waits per request before giving up (default 6). */
  maxRateLimitWaits?: number;
  /** Retries of a read after a 5xx or a network error (default 3, waiting 1 s, 2 s, 4 s). */
  maxServerErrorRetries?: number;
}

/** The answer to a conditional GET. */
export type ConditionalResult<T> =
  | { notModified: false; data: T; etag?: string; headers: ResponseHeaders }
  | { notModified: true; etag: string };

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

/** Options of one GraphQL query. */
export interface GraphqlOptions {
  /** False: a 502/504 or timeout is thrown at once (the caller asks for a smaller page instead). Default true. */
  retryServerErrors?: boolean;
  /**
   * NOT_FOUND errors at these response paths are expected (a node deleted since it was last seen): the
   * data is returned with `null` there instead of failing the query.
   */
  tolerateNotFound?: (path: readonly (string | number)[]) => boolean;
}

/** REST and GraphQL access to one GitHub (or GHES) host with rate-limit handling. */
export interface GitHubClient {
  /**
   * A REST read (`GET /repos/{owner}/{repo}/…`), retried after rate limits and server errors. With
   * `etag` it is a conditional request and may answer `notModified`.
   */
  get<T>(route: string, params?: Record<string, unknown>, options?: { etag?: string }): Promise<ConditionalResult<T>>;
  /** A REST read that must return data (no ETag). */
  read<T>(route: string, params?: Record<string, unknown>): Promise<T>;
  /**
   * A REST write (`POST`/`PUT`/`PATCH`/`DELETE`). Sent exactly once: never retried, whatever happens.
   * A missing answer throws a `GitHubApiError` with `outcomeUnknown`: re-read the state to find out.
   */
  write<T>(route: string, params?: Record<string, unknown>): Promise<T>;
  /**
   * A GraphQL query (never a mutation). Retried after rate limits; after server errors too unless
   * `retryServerErrors` is false (the caller then shrinks its page instead).
   */
  graphql<T>(query: string, variables?: Record<string, unknown>, options?: GraphqlOptions): Promise<T>;
  readonly stats: GitHubClientStats;
}

interface RawError {
  status: number | undefined;
  headers: ResponseHeaders;
  message: string;
  graphqlTypes: string[];
  cause: unknown;
}

const RESOURCE_LIMIT_TYPES = new Set(['MAX_NODE_LIMIT_EXCEEDED', 'RESOURCE_LIMITS_EXCEEDED']);
const TIMEOUT_MESSAGE = /timeout|timed out|Something went wrong while executing your query/i;

/** True when a GraphQL query failed because it asked for too much at once (502/504, resource limits, timeouts). */
export function isQueryTooLarge(error: unknown): boolean {
  if (!GitHubApiError.isGitHubApiError(error)) return false;
  if (error.statusCode === 502 || error.statusCode === 504) return true;
  return error.graphqlTypes.some((type) => RESOURCE_LIMIT_TYPES.has(type)) || TIMEOUT_MESSAGE.test(error.message);
}

const operationName = (query: string) => /^\s*query\s+(\w+)/.exec(query)?.[1] ?? 'query';

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

async function createOctokit(options: GitHubClientOptions): Promise<Octokit> {
  const log = {
    debug: (message: string) => options.log.debug(message),
    info: (message: string) => options.log.info(message),
    warn: (message: string) => options.log.warn(message),
    error: (message: string) => options.log.error(message),
  };
  const common = { baseUrl: options.restUrl, userAgent: 'teamstate-github-connector', log, request: { signal: options.signal } };
  if ('token' in options.auth) return new Octokit({ ...common, auth: options.auth.token });
  // Loaded only when an App is configured: token users do not pay for the JWT code.
  const { createAppAuth } = await import('@octokit/auth-app');
  return new Octokit({ ...common, authStrategy: createAppAuth, auth: { ...options.auth.app } });
}

/**
 * Creates the client the GitHub connector uses. Reads wait out primary rate limits (until
 * `x-ratelimit-reset`), secondary ones (`retry-after`, else 60 s doubling) and a spent GraphQL points
 * budget, all through `options.wait`; writes are sent once and never retried (octokit's retry plugin
 * is deliberately not used: it retries POST and PUT).
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const maxRateLimitWaits = options.maxRateLimitWaits ?? 6;
  const maxServerErrorRetries = options.maxServerErrorRetries ?? 3;
  let octokit: Promise<Octokit> | undefined;
  const limits = new Map<string, RateLimitState>();
  const expectedCost = new Map<string, number>();
  const stats: GitHubClientStats = { requests: 0, restRequests: 0, graphqlRequests: 0, notModified: 0, graphqlPoints: 0, waitedMs: 0 };

  const wait = async (ms: number, reason: string) => {
    stats.waitedMs += ms;
    await options.wait(ms, reason);
  };

  const remember = (headers: ResponseHeaders, fallback: string) => {
    const state = readRateLimit(headers, fallback);
    if (state) limits.set(state.resource, state);
  };

  // Waits before a request when the budget it needs is known to be spent.
  const waitForBudget = async (resource: string, need: number) => {
    const state = limits.get(resource);
    const now = options.now().getTime();
    if (state && state.remaining < need && state.resetAt > now) {
      await wait(state.resetAt - now + 1_000, `GitHub ${resource} budget spent (${state.remaining} left, ${need} needed)`);
      limits.delete(resource);
    }
  };

  const send = async (route: string | { method: string; url: string }, params: Record<string, unknown>) => {
    octokit ??= createOctokit(options);
    const client = await octokit;
    stats.requests += 1;
    return typeof route === 'string' ? client.request(route, params) : client.request({ ...route, ...params });
  };

  /** Sends a read, waiting out rate limits and (optionally) server errors. */
  const readWithRetries = async <R>(
    describe: { method: string; path: string; resource: string },
    attempt: () => Promise<R>,
    retryServerErrors: boolean,
  ): Promise<R> => {
    let rateLimitWaits = 0;
    let secondaryHits = 0;
    let serverRetries = 0;
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if ((error as Error).name === 'AbortError' || options.signal?.aborted) throw error;
        const raw = GitHubApiError.isGitHubApiError(error) ? fromApiError(error) : toRawError(error);
        if (raw.status === 304) throw error;
        const limit =
          raw.status === undefined && raw.graphqlTypes.length === 0
            ? undefined
            : rateLimitWait(
                { status: raw.status ?? 200, headers: raw.headers, message: [raw.message, ...raw.graphqlTypes].join(' ') },
                secondaryHits,
                options.now().getTime(),
              );
        if (limit && rateLimitWaits < maxRateLimitWaits) {
          rateLimitWaits += 1;
          if (limit.kind === 'secondary') secondaryHits += 1;
          await wait(limit.waitMs, limit.reason);
          // What the headers said about the budget is stale once its reset has been waited out.
          limits.delete(describe.resource);
          continue;
        }
        // A GraphQL timeout arrives as a 200 with an error message: as retryable as a 502.
        const serverError =
          raw.status === undefined || raw.status >= 500 || (raw.graphqlTypes.length > 0 && TIMEOUT_MESSAGE.test(raw.message));
        if (serverError && retryServerErrors && serverRetries < maxServerErrorRetries) {
          const ms = 1_000 * 2 ** serverRetries;
          serverRetries += 1;
          await wait(ms, `GitHub answered ${raw.status ?? 'no response'} to ${describe.method} ${describe.path}; retrying`);
          continue;
        }
        throw GitHubApiError.isGitHubApiError(error) ? error : apiError(describe, raw, { write: false, rateLimited: limit !== undefined });
      }
    }
  };

  const get = async <T>(
    route: string,
    params: Record<string, unknown> = {},
    opts: { etag?: string } = {},
  ): Promise<ConditionalResult<T>> => {
    const path = pathOf(route, params);
    const describe = { method: 'GET', path, resource: 'core' };
    return readWithRetries(
      describe,
      async () => {
        await waitForBudget('core', 1);
        stats.restRequests += 1;
        try {
          const response = await send(route, opts.etag ? { ...params, headers: { 'if-none-match': opts.etag } } : params);
          remember(response.headers as ResponseHeaders, 'core');
          const etag = (response.headers as ResponseHeaders).etag;
          return {
            notModified: false,
            data: response.data as T,
            etag: etag === undefined ? undefined : String(etag),
            headers: response.headers as ResponseHeaders,
          };
        } catch (error) {
          const raw = toRawError(error);
          remember(raw.headers, 'core');
          if (raw.status === 304 && opts.etag) {
            stats.notModified += 1;
            return { notModified: true, etag: opts.etag };
          }
          throw error;
        }
      },
      true,
    );
  };

  return {
    stats,
    get,
    async read<T>(route: string, params: Record<string, unknown> = {}): Promise<T> {
      const result = await get<T>(route, params);
      if (result.notModified) throw new Error('unreachable: a request without an ETag answered 304');
      return result.data;
    },
    async write<T>(route: string, params: Record<string, unknown> = {}): Promise<T> {
      const method = route.split(' ')[0] ?? 'POST';
      const path = pathOf(route, params);
      stats.restRequests += 1;
      try {
        const response = await send(route, params);
        remember(response.headers as ResponseHeaders, 'core');
        return response.data as T;
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        const raw = toRawError(error);
        remember(raw.headers, 'core');
        const limit =
          raw.status === undefined
            ? undefined
            : rateLimitWait({ status: raw.status, headers: raw.headers, message: raw.message }, 0, options.now().getTime());
        throw apiError({ method, path }, raw, { write: true, rateLimited: limit !== undefined, retryInMs: limit?.waitMs });
      }
    },
    async graphql<T>(query: string, variables: Record<string, unknown> = {}, opts: GraphqlOptions = {}): Promise<T> {
      const name = operationName(query);
      const describe = { method: 'POST', path: `/graphql (${name})`, resource: 'graphql' };
      return readWithRetries(
        describe,
        async () => {
          await waitForBudget('graphql', expectedCost.get(name) ?? 1);
          stats.graphqlRequests += 1;
          let response: Awaited<ReturnType<typeof send>>;
          try {
            response = await send({ method: 'POST', url: options.graphqlUrl }, { query, variables });
          } catch (error) {
            const raw = toRawError(error);
            remember(raw.headers, 'graphql');
            throw error;
          }
          const headers = response.headers as ResponseHeaders;
          remember(headers, 'graphql');
          const body = response.data as {
            data?: T & { rateLimit?: { cost?: number; remaining?: number; resetAt?: string } };
            errors?: { type?: string; message?: string; path?: (string | number)[] }[];
          };
          const rateLimit = body.data?.rateLimit;
          if (rateLimit?.cost !== undefined) {
            stats.graphqlPoints += rateLimit.cost;
            expectedCost.set(name, Math.max(1, rateLimit.cost));
          }
          if (rateLimit?.remaining !== undefined && rateLimit.resetAt)
            limits.set('graphql', { resource: 'graphql', remaining: rateLimit.remaining, resetAt: Date.parse(rateLimit.resetAt) });
          const tolerate = opts.tolerateNotFound;
          const errors = (body.errors ?? []).filter((e) => !(tolerate && e.type === 'NOT_FOUND' && e.path && tolerate(e.path)));
          if (errors.length > 0) {
            const types = errors.map((e) => e.type ?? 'ERROR');
            const messages = errors.map((e) => e.message ?? 'unknown error');
            const raw: RawError = { status: response.status, headers, message: messages.join('; '), graphqlTypes: types, cause: undefined };
            throw apiError(describe, raw, { write: false, rateLimited: types.includes('RATE_LIMITED') });
          }
          if (!body.data)
            throw apiError(
              describe,
              { status: response.status, headers, message: 'the response has no data', graphqlTypes: [], cause: undefined },
              { write: false, rateLimited: false },
            );
          return body.data;
        },
        opts.retryServerErrors ?? true,
      );
    },
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
  how: { write: boolean; rateLimited: boolean; retryInMs?: number },
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
  else if (fix) parts.push(fix);
  const error = new GitHubApiError(parts.join(' — '), {
    statusCode: raw.status,
    isRetryable: how.rateLimited || raw.status === undefined || (raw.status ?? 0) >= 500,
    outcomeUnknown: how.write && (raw.status === undefined || raw.status >= 500),
    request: { method: request.method, path: request.path },
    graphqlTypes: raw.graphqlTypes,
    cause: raw.cause,
  });
  // Kept for the retry loop (rate-limit headers of a GraphQL error answer); never shown.
  Object.defineProperty(error, 'headers', { value: raw.headers, enumerable: false });
  return error;
}

// `GET /repos/{owner}/{repo}/pulls/{pull_number}` with params → `/repos/acme/api/pulls/42`, for messages.
function pathOf(route: string, params: Record<string, unknown>): string {
  const path = route.replace(/^[A-Z]+\s+/, '');
  return path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(String(params[key] ?? `{${key}}`)));
}
