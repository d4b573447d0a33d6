import { UpstreamError } from '@teamstate/core';
import { READ_POLICY, type RetryPolicy, sendWithRetries, WRITE_POLICY } from '../../upstream/http-retry.js';
import { unreachableHost } from '../../upstream/unreachable-host.js';
import { redactedRequest, UpstreamRequestError } from '../../upstream/upstream-request-error.js';
import type { ResolvedBitbucketOptions } from '../options.js';
import type {
  BbActivity,
  BbCommit,
  BbDeployment,
  BbEnvironment,
  BbPage,
  BbPipeline,
  BbPullRequest,
  BbRepository,
} from './bitbucket-types.js';

export class BitbucketRequestError extends UpstreamRequestError {
  retryAfterMs?: number;
}

const WORDING = {
  product: 'Bitbucket',
  hints: {
    401: 'check connectors.bitbucket.token (or username and appPassword)',
    403: 'the credentials lack a scope: repository, pull request, pipeline and deployment read (write for actions)',
    404: 'check connectors.bitbucket.workspace and repositories: not found or not visible to the credentials',
    429: 'rate limited: try again later',
  } as Record<number, string>,
  unreachable: 'check connectors.bitbucket.baseUrl and the network',
};

/** A conditional read: the answer (absent when 304) and the validator to send next time. */
export interface Conditional<T> {
  changed: boolean;
  data?: T;
  etag?: string;
}

/**
 * The Bitbucket Cloud REST 2.0 API: Bearer or Basic auth; lists paged by `next`; conditional reads with
 * `If-None-Match` (a 304 is not counted in `stats.requests`, which counts answers of 200); 429 waited out
 * (Retry-After or back-off), 5xx retried; writes are never sent twice after a lost answer.
 */
export function createBitbucketApi(options: ResolvedBitbucketOptions, policy: RetryPolicy = READ_POLICY) {
  const stats = { requests: 0, notModified: 0 };
  const root = options.baseUrl;
  async function send<T>(method: string, url: string, body?: unknown, etag?: string): Promise<Conditional<T>> {
    const redacted = redactedRequest(method, url);
    const write = method !== 'GET';
    const once = async (): Promise<Conditional<T>> => {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            Authorization: options.authorization,
            Accept: 'application/json',
            ...(etag ? { 'If-None-Match': etag } : {}),
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (cause) {
        const unreachable = unreachableHost(cause, url);
        throw new BitbucketRequestError(WORDING, redacted, undefined, unreachable?.detail ?? 'no answer', {
          isRetryable: unreachable === undefined,
          outcomeUnknown: write,
          cause,
          secrets: options.secrets,
        });
      }
      if (response.status === 304) {
        stats.notModified += 1;
        return { changed: false, ...(etag ? { etag } : {}) };
      }
      if (response.ok) {
        stats.requests += 1;
        const text = await response.text();
        const next = response.headers.get('etag') ?? undefined;
        return { changed: true, data: (text ? JSON.parse(text) : undefined) as T, ...(next ? { etag: next } : {}) };
      }
      const text = (await response.text()).slice(0, 300);
      let detail = text || response.statusText;
      try {
        const parsed = JSON.parse(text) as { error?: { message?: string } };
        if (parsed.error?.message) detail = parsed.error.message;
      } catch {}
      const error = new BitbucketRequestError(WORDING, redacted, response.status, detail, {
        isRetryable: response.status === 429 || response.status >= 500,
        outcomeUnknown: write && response.status >= 500,
        secrets: options.secrets,
      });
      const retryAfter = Number(response.headers.get('retry-after'));
      error.retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
      throw error;
    };
    return sendWithRetries(once, {
      policy: write ? WRITE_POLICY : policy,
      classify: (error) =>
        UpstreamError.isInstance(error)
          ? {
              status: error.statusCode,
              rateLimited: error.statusCode === 429,
              // No answer is worth another try, unless the host cannot be reached at all (isRetryable false).
              transient: (error.statusCode === undefined && error.isRetryable) || (error.statusCode ?? 0) >= 500,
              retryAfterMs: (error as BitbucketRequestError).retryAfterMs,
            }
          : undefined,
      sleep: options.sleep,
      describe: (failure, retry) =>
        `Bitbucket ${method} ${redacted.path}: ${failure.rateLimited ? 'rate limited' : 'failed'}, retry ${retry}`,
    });
  }
  const url = (path: string, query: Record<string, string | number | readonly string[] | undefined> = {}) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (Array.isArray(v)) for (const item of v) search.append(k, item);
      else if (v !== undefined) search.set(k, String(v));
    const qs = search.toString();
    return `${root}${path}${qs ? `?${qs}` : ''}`;
  };
  const repo = (slug: string) => `/repositories/${encodeURIComponent(options.workspace)}/${encodeURIComponent(slug)}`;
  /** Every page from `first` on; the first page is conditional on `etag` (unchanged: `changed` false, no items). */
  async function all<T>(first: string, etag?: string): Promise<Conditional<T[]>> {
    const head = await send<BbPage<T>>('GET', first, undefined, etag);
    if (!head.changed || !head.data) return { changed: false, ...(head.etag ? { etag: head.etag } : {}) };
    const items = [...head.data.values];
    for (let next = head.data.next; next; ) {
      const page: BbPage<T> | undefined = (await send<BbPage<T>>('GET', next)).data;
      items.push(...(page?.values ?? []));
      next = page && page.values.length > 0 ? page.next : undefined;
    }
    return { changed: true, data: items, ...(head.etag ? { etag: head.etag } : {}) };
  }
  const values = async <T>(first: string) => (await all<T>(first)).data ?? [];
  const prPath = (slug: string, id: number) => `${repo(slug)}/pullrequests/${id}`;
  return {
    stats,
    repositories: (etag?: string) =>
      all<BbRepository>(url(`/repositories/${encodeURIComponent(options.workspace)}`, { pagelen: 100 }), etag),
    /** Pull requests of every state updated after `since`, oldest update first. */
    pullRequests: (slug: string, since?: string) =>
      values<BbPullRequest>(
        url(`${repo(slug)}/pullrequests`, {
          state: ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'],
          sort: 'updated_on',
          pagelen: 50,
          q: since ? `updated_on > ${since}` : undefined,
        }),
      ),
    activity: (slug: string, id: number) => values<BbActivity>(url(`${prPath(slug, id)}/activity`, { pagelen: 50 })),
    commits: (slug: string, id: number) => values<BbCommit>(url(`${prPath(slug, id)}/commits`, { pagelen: 100 })),
    pipelines: (slug: string, etag?: string) =>
      all<BbPipeline>(url(`${repo(slug)}/pipelines/`, { sort: '-created_on', pagelen: 100 }), etag),
    /**
     * The commits reachable from `head` and not from `base`, newest first (`commits/{head}?exclude={base}`), at most
     * `limit`: `undefined` when there are more, or when `head` is gone (404), so the range is unknown.
     */
    commitRange: async (slug: string, head: string, base: string, limit: number): Promise<BbCommit[] | undefined> => {
      const commits: BbCommit[] = [];
      try {
        let next: string | undefined = url(`${repo(slug)}/commits/${encodeURIComponent(head)}`, { exclude: base, pagelen: 100 });
        while (next) {
          const page: BbPage<BbCommit> | undefined = (await send<BbPage<BbCommit>>('GET', next)).data;
          commits.push(...(page?.values ?? []));
          if (commits.length > limit) return undefined;
          next = page && page.values.length > 0 ? page.next : undefined;
        }
      } catch (error) {
        if (UpstreamError.isInstance(error) && error.statusCode === 404) return undefined;
        throw error;
      }
      return commits;
    },
    environments: (slug: string) => values<BbEnvironment>(url(`${repo(slug)}/environments/`, { pagelen: 100 })),
    deployments: (slug: string, etag?: string) => all<BbDeployment>(url(`${repo(slug)}/deployments/`, { pagelen: 100 }), etag),
    // Writes.
    comment: async (slug: string, id: number, raw: string) =>
      (await send<{ id: number }>('POST', url(`${prPath(slug, id)}/comments`), { content: { raw } })).data,
    approve: async (slug: string, id: number) => (await send<unknown>('POST', url(`${prPath(slug, id)}/approve`))).data,
    merge: async (slug: string, id: number, mergeStrategy?: string) =>
      (await send<BbPullRequest>('POST', url(`${prPath(slug, id)}/merge`), mergeStrategy ? { merge_strategy: mergeStrategy } : {})).data,
    pullRequest: async (slug: string, id: number) => (await send<BbPullRequest>('GET', url(prPath(slug, id)))).data,
  };
}

export type BitbucketApi = ReturnType<typeof createBitbucketApi>;
