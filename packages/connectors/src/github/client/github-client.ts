import { Octokit } from '@octokit/core';
import type { Logger } from '@teamstate/core';
import { GitHubApiError } from './github-error.js';
import type { ResponseHeaders } from './rate-limit.js';
import { type GitHubClientStats, type RequestPolicy, waitAndRetry } from './wait-and-retry.js';

export { type GitHubClientStats, isQueryTooLarge } from './wait-and-retry.js';

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

const operationName = (query: string) => /^\s*query\s+(\w+)/.exec(query)?.[1] ?? 'query';

const GitHubOctokit = Octokit.plugin(waitAndRetry);

async function createOctokit(options: GitHubClientOptions, stats: GitHubClientStats): Promise<Octokit> {
  const log = {
    debug: (message: string) => options.log.debug(message),
    info: (message: string) => options.log.info(message),
    warn: (message: string) => options.log.warn(message),
    error: (message: string) => options.log.error(message),
  };
  const common = {
    baseUrl: options.restUrl,
    userAgent: 'teamstate-github-connector',
    log,
    request: { signal: options.signal },
    waitAndRetry: { ...options, stats },
  };
  if ('token' in options.auth) return new GitHubOctokit({ ...common, auth: options.auth.token });
  // Loaded only when an App is configured: token users do not pay for the JWT code.
  const { createAppAuth } = await import('@octokit/auth-app');
  return new GitHubOctokit({ ...common, authStrategy: createAppAuth, auth: { ...options.auth.app } });
}

/**
 * Creates the client the GitHub connector uses: octokit with the {@link waitAndRetry} plugin, so reads
 * wait out rate limits and server errors through `options.wait`, and writes are sent exactly once.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  let octokit: Promise<Octokit> | undefined;
  const stats: GitHubClientStats = { requests: 0, restRequests: 0, graphqlRequests: 0, notModified: 0, graphqlPoints: 0, waitedMs: 0 };

  const send = async (route: string | { method: string; url: string }, params: Record<string, unknown>, policy: RequestPolicy) => {
    octokit ??= createOctokit(options, stats);
    const client = await octokit;
    const request = { signal: options.signal, teamstate: policy };
    return typeof route === 'string' ? client.request(route, { ...params, request }) : client.request({ ...route, ...params, request });
  };

  const get = async <T>(
    route: string,
    params: Record<string, unknown> = {},
    opts: { etag?: string } = {},
  ): Promise<ConditionalResult<T>> => {
    const policy = { method: 'GET', path: pathOf(route, params), write: false, retryServerErrors: true };
    try {
      const response = await send(route, opts.etag ? { ...params, headers: { 'if-none-match': opts.etag } } : params, policy);
      const headers = response.headers as ResponseHeaders;
      return { notModified: false, data: response.data as T, etag: headers.etag === undefined ? undefined : String(headers.etag), headers };
    } catch (error) {
      if (opts.etag && (error as { status?: number }).status === 304 && !GitHubApiError.isGitHubApiError(error)) {
        stats.notModified += 1;
        return { notModified: true, etag: opts.etag };
      }
      throw error;
    }
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
      const policy = { method: route.split(' ')[0] ?? 'POST', path: pathOf(route, params), write: true, retryServerErrors: false };
      return (await send(route, params, policy)).data as T;
    },
    async graphql<T>(query: string, variables: Record<string, unknown> = {}, opts: GraphqlOptions = {}): Promise<T> {
      const name = operationName(query);
      const policy = {
        method: 'POST',
        path: `/graphql (${name})`,
        write: false,
        retryServerErrors: opts.retryServerErrors ?? true,
        graphql: { name, tolerateNotFound: opts.tolerateNotFound },
      };
      const response = await send({ method: 'POST', url: options.graphqlUrl }, { query, variables }, policy);
      return (response.data as { data: T }).data;
    },
  };
}

// `GET /repos/{owner}/{repo}/pulls/{pull_number}` with params → `/repos/acme/api/pulls/42`, for messages.
function pathOf(route: string, params: Record<string, unknown>): string {
  const path = route.replace(/^[A-Z]+\s+/, '');
  return path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(String(params[key] ?? `{${key}}`)));
}
