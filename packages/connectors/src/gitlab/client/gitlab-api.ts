import { UpstreamError } from '@teamstate/core';
import {
  type AttemptFailure,
  parseRetryAfter,
  READ_POLICY,
  type RetryPolicy,
  sendWithRetries,
  WRITE_POLICY,
} from '../../upstream/http-retry.js';
import { redactedRequest, UpstreamRequestError } from '../../upstream/upstream-request-error.js';
import type { GlDeployment, GlDiff, GlEnvironment, GlEvent, GlJob, GlMember, GlMergeRequest, GlNote, GlProject } from './gitlab-types.js';

/** A wait between requests (a rate limit or a back-off), reported as progress by a sync. */
export type GitLabSleep = (ms: number, reason: string) => Promise<void>;

export class GitLabRequestError extends UpstreamRequestError {
  /** How long GitLab asked to wait (`Retry-After`), for the retry loop. */
  retryAfterMs?: number;
}

const WORDING = {
  product: 'GitLab',
  hints: {
    401: 'check connectors.gitlab.token: a personal, group or project access token with read_api (api for actions)',
    403: 'the token lacks access: read_api for sync, api for actions, and at least Reporter role (Developer to merge)',
    404: 'the group, project or merge request does not exist or the token cannot see it',
    429: 'rate limited: try again later',
  } as Record<number, string>,
  unreachable: 'check connectors.gitlab.baseUrl and the network',
};

/** The longest GitLab's `RateLimit-Reset` is waited for before a request (a window is at most a minute). */
const MAX_RESET_WAIT_MS = 60_000;

/** One page of a list: its items and the URL of the next page (from `Link` or `X-Next-Page`), if any. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** What a GitLab client needs: the instance, a token, the clock, and how to wait. */
export interface GitLabApiOptions {
  /** The instance, e.g. `https://gitlab.com`; the API is at `<baseUrl>/api/v4`. */
  baseUrl: string;
  token: string;
  now(): Date;
  sleep: GitLabSleep;
  signal?: AbortSignal;
  /** Override of the read policy (webhooks and actions do not wait long). */
  readPolicy?: RetryPolicy;
}

/** The next page's URL: the `Link` header's `rel="next"` (keyset pagination), else `X-Next-Page` on the same URL. */
export function nextPageUrl(url: string, headers: Headers): string | undefined {
  const link = headers.get('link');
  if (link) {
    for (const part of link.split(',')) {
      const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
      if (match) return match[1];
    }
  }
  const next = headers.get('x-next-page');
  if (next && /^\d+$/.test(next.trim())) {
    const parsed = new URL(url);
    parsed.searchParams.set('page', next.trim());
    return parsed.toString();
  }
  return undefined;
}

const encode = (path: string) => encodeURIComponent(path);

/**
 * The GitLab REST API v4: `PRIVATE-TOKEN` auth; pages followed by `Link: rel="next"` (keyset) or `X-Next-Page`
 * (offset); a `RateLimit-Remaining` of 0 waits for `RateLimit-Reset` before the next request; a 429 waits out
 * `Retry-After` (or backs off), a 5xx backs off; writes are never sent twice after a lost answer (`outcomeUnknown`).
 */
export function createGitLabApi(options: GitLabApiOptions) {
  const api = `${options.baseUrl.replace(/\/+$/, '')}/api/v4`;
  const stats = { requests: 0, waits: 0 };
  let resetAt: number | undefined;

  async function send<T>(method: string, url: string, body?: Record<string, unknown>): Promise<{ data: T; headers: Headers }> {
    const redacted = redactedRequest(method, url);
    // A merge is a PUT but not idempotent: like a POST, it is never sent twice.
    const write = method === 'POST' || (method === 'PUT' && /\/merge$/.test(new URL(url).pathname));
    const attempt = async () => {
      if (resetAt !== undefined) {
        const ms = Math.min(MAX_RESET_WAIT_MS, resetAt - options.now().getTime());
        resetAt = undefined;
        if (ms > 0) {
          stats.waits += 1;
          await options.sleep(ms, `GitLab rate limit used up; waiting for RateLimit-Reset before ${redacted.method} ${redacted.path}`);
        }
      }
      stats.requests += 1;
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            'PRIVATE-TOKEN': options.token,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (cause) {
        options.signal?.throwIfAborted();
        throw new GitLabRequestError(WORDING, redacted, undefined, 'no answer', {
          isRetryable: true,
          outcomeUnknown: write,
          cause,
          secrets: [options.token],
        });
      }
      const remaining = response.headers.get('ratelimit-remaining');
      const reset = Number(response.headers.get('ratelimit-reset'));
      if (remaining !== null && Number(remaining) <= 0 && Number.isFinite(reset) && reset > 0) resetAt = reset * 1000;
      if (response.ok) {
        const text = await response.text();
        return { data: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
      }
      const text = (await response.text()).slice(0, 300);
      let detail = text || response.statusText;
      try {
        const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
        const message = parsed.message ?? parsed.error;
        if (message !== undefined) detail = typeof message === 'string' ? message : JSON.stringify(message);
      } catch {}
      const error = new GitLabRequestError(WORDING, redacted, response.status, detail, {
        isRetryable: response.status === 429 || response.status >= 500,
        outcomeUnknown: write && response.status >= 500,
        secrets: [options.token],
      });
      error.retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now().getTime());
      throw error;
    };
    return sendWithRetries(attempt, {
      policy: write ? WRITE_POLICY : (options.readPolicy ?? READ_POLICY),
      classify: (error): AttemptFailure | undefined =>
        UpstreamError.isInstance(error) && !options.signal?.aborted
          ? {
              status: error.statusCode,
              rateLimited: error.statusCode === 429,
              transient: error.statusCode === undefined || (error.statusCode ?? 0) >= 500,
              retryAfterMs: (error as GitLabRequestError).retryAfterMs,
            }
          : undefined,
      sleep: async (ms, reason) => {
        stats.waits += 1;
        await options.sleep(ms, reason);
      },
      describe: (failure, retry) =>
        `GitLab ${method} ${redacted.path}: ${failure.rateLimited ? 'rate limited (429)' : 'failed'}, retry ${retry}`,
    });
  }

  const url = (path: string, query: Record<string, string | number | boolean | undefined> = {}) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
    const qs = search.toString();
    return `${api}${path}${qs ? `?${qs}` : ''}`;
  };

  async function page<T>(pageUrl: string): Promise<Page<T>> {
    const { data, headers } = await send<T[]>('GET', pageUrl);
    const next = nextPageUrl(pageUrl, headers);
    return { items: data ?? [], ...(next && (data ?? []).length > 0 ? { next } : {}) };
  }

  async function all<T>(firstUrl: string): Promise<T[]> {
    const items: T[] = [];
    for (let next: string | undefined = firstUrl; next; ) {
      const result: Page<T> = await page<T>(next);
      items.push(...result.items);
      next = result.next;
    }
    return items;
  }

  const project = (path: string) => `/projects/${encode(path)}`;
  const mr = (path: string, iid: number) => `${project(path)}/merge_requests/${iid}`;

  return {
    stats,
    page,
    all,
    /** The group's projects with subgroups', by id, keyset-paginated (`Link`). */
    groupProjectsUrl: (group: string) =>
      url(`/groups/${encode(group)}/projects`, {
        include_subgroups: true,
        archived: false,
        with_shared: false,
        pagination: 'keyset',
        order_by: 'id',
        sort: 'asc',
        per_page: 100,
      }),
    project: async (path: string) => (await send<GlProject>('GET', url(project(path)))).data,
    groupMembersUrl: (group: string) => url(`/groups/${encode(group)}/members/all`, { per_page: 100 }),
    projectMembersUrl: (path: string) => url(`${project(path)}/members/all`, { per_page: 100 }),
    /** Merge requests updated at or after `updatedAfter`, oldest update first. */
    mergeRequestsUrl: (path: string, updatedAfter?: string) =>
      url(`${project(path)}/merge_requests`, {
        state: 'all',
        scope: 'all',
        order_by: 'updated_at',
        sort: 'asc',
        updated_after: updatedAfter,
        per_page: 100,
      }),
    mergeRequest: async (path: string, iid: number): Promise<GlMergeRequest> =>
      (await send<GlMergeRequest>('GET', url(mr(path, iid)))).data,
    notes: (path: string, iid: number) =>
      all<GlNote>(url(`${mr(path, iid)}/notes`, { sort: 'asc', order_by: 'created_at', per_page: 100 })),
    /** The first 100 changed files of a merge request. */
    diffs: async (path: string, iid: number) => (await page<GlDiff>(url(`${mr(path, iid)}/diffs`, { per_page: 100 }))).items,
    /** The project's events of one action or target type (`action=approved`, `target_type=note`). */
    eventsUrl: (path: string, filter: { action?: string; target_type?: string }) =>
      url(`${project(path)}/events`, { ...filter, sort: 'asc', per_page: 100 }),
    /** The project's jobs, newest first. */
    jobsUrl: (path: string) => url(`${project(path)}/jobs`, { per_page: 100 }),
    pipelineJobs: (path: string, pipeline: number) =>
      all<GlJob>(url(`${project(path)}/pipelines/${pipeline}/jobs`, { include_retried: true, per_page: 100 })),
    /** Deployments updated at or after `updatedAfter`, oldest update first. */
    deploymentsUrl: (path: string, updatedAfter?: string) =>
      url(`${project(path)}/deployments`, { order_by: 'updated_at', sort: 'asc', updated_after: updatedAfter, per_page: 100 }),
    deployment: async (path: string, id: number) => (await send<GlDeployment>('GET', url(`${project(path)}/deployments/${id}`))).data,
    environments: (path: string) => all<GlEnvironment>(url(`${project(path)}/environments`, { per_page: 100 })),
    // Writes.
    addNote: async (path: string, iid: number, body: string) => (await send<GlNote>('POST', url(`${mr(path, iid)}/notes`), { body })).data,
    updateMergeRequest: async (path: string, iid: number, change: Record<string, unknown>) =>
      (await send<GlMergeRequest>('PUT', url(mr(path, iid)), change)).data,
    merge: async (path: string, iid: number, params: Record<string, unknown>) =>
      (await send<GlMergeRequest>('PUT', url(`${mr(path, iid)}/merge`), params)).data,
  };
}

export type GitLabApi = ReturnType<typeof createGitLabApi>;
export type { GlDeployment, GlDiff, GlEnvironment, GlEvent, GlJob, GlMember, GlMergeRequest, GlNote, GlProject };
