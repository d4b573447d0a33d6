import { type GitLabConnection, type GitLabRequestOptions, send } from './gitlab-request.js';
import type {
  GlCommit,
  GlDeployment,
  GlDiff,
  GlEnvironment,
  GlEvent,
  GlJob,
  GlMember,
  GlMergeRequest,
  GlNote,
  GlProject,
} from './gitlab-types.js';

/** One page of a list: its items and the URL of the next page (from `Link` or `X-Next-Page`), if any. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** What a GitLab client needs: the instance, a token, the clock, and how to wait. */
export interface GitLabApiOptions extends GitLabRequestOptions {
  /** The instance, e.g. `https://gitlab.com`; the API is at `<baseUrl>/api/v4`. */
  baseUrl: string;
}

/** A client: where its API is, and how it sends requests. */
interface GitLabClient {
  /** `<baseUrl>/api/v4`. */
  api: string;
  conn: GitLabConnection;
}

type Query = Record<string, string | number | boolean | undefined>;

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
const projectPath = (path: string) => `/projects/${encode(path)}`;
const mergeRequestPath = (path: string, iid: number) => `${projectPath(path)}/merge_requests/${iid}`;

/** The URL of `path` of the API, with the defined values of `query`. */
function apiUrl(client: GitLabClient, path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  const qs = search.toString();
  return `${client.api}${path}${qs ? `?${qs}` : ''}`;
}

async function get<T>(client: GitLabClient, path: string): Promise<T> {
  return (await send<T>(client.conn, 'GET', apiUrl(client, path))).data;
}

/** One page of a list, and the next page's URL while it had items. */
async function page<T>(client: GitLabClient, pageUrl: string): Promise<Page<T>> {
  const { data, headers } = await send<T[]>(client.conn, 'GET', pageUrl);
  const next = nextPageUrl(pageUrl, headers);
  return { items: data ?? [], ...(next && (data ?? []).length > 0 ? { next } : {}) };
}

/** Every page of a list, from `firstUrl` on. */
async function all<T>(client: GitLabClient, firstUrl: string): Promise<T[]> {
  const items: T[] = [];
  for (let next: string | undefined = firstUrl; next; ) {
    const result: Page<T> = await page<T>(client, next);
    items.push(...result.items);
    next = result.next;
  }
  return items;
}

/** The group's projects with subgroups', by id, keyset-paginated (`Link`). */
function groupProjectsUrl(client: GitLabClient, group: string): string {
  return apiUrl(client, `/groups/${encode(group)}/projects`, {
    include_subgroups: true,
    archived: false,
    with_shared: false,
    pagination: 'keyset',
    order_by: 'id',
    sort: 'asc',
    per_page: 100,
  });
}

/** Merge requests updated at or after `updatedAfter`, oldest update first. */
function mergeRequestsUrl(client: GitLabClient, path: string, updatedAfter?: string): string {
  return apiUrl(client, `${projectPath(path)}/merge_requests`, {
    state: 'all',
    scope: 'all',
    order_by: 'updated_at',
    sort: 'asc',
    updated_after: updatedAfter,
    per_page: 100,
  });
}

function notes(client: GitLabClient, path: string, iid: number): Promise<GlNote[]> {
  return all<GlNote>(
    client,
    apiUrl(client, `${mergeRequestPath(path, iid)}/notes`, { sort: 'asc', order_by: 'created_at', per_page: 100 }),
  );
}

/** Every commit of a merge request (GitLab lists them newest first). */
function commits(client: GitLabClient, path: string, iid: number): Promise<GlCommit[]> {
  return all<GlCommit>(client, apiUrl(client, `${mergeRequestPath(path, iid)}/commits`, { per_page: 100 }));
}

/** The first 100 changed files of a merge request. */
async function diffs(client: GitLabClient, path: string, iid: number): Promise<GlDiff[]> {
  return (await page<GlDiff>(client, apiUrl(client, `${mergeRequestPath(path, iid)}/diffs`, { per_page: 100 }))).items;
}

/** The project's events of one action or target type (`action=approved`, `target_type=note`). */
function eventsUrl(client: GitLabClient, path: string, filter: { action?: string; target_type?: string }): string {
  return apiUrl(client, `${projectPath(path)}/events`, { ...filter, sort: 'asc', per_page: 100 });
}

function pipelineJobs(client: GitLabClient, path: string, pipeline: number): Promise<GlJob[]> {
  return all<GlJob>(client, apiUrl(client, `${projectPath(path)}/pipelines/${pipeline}/jobs`, { include_retried: true, per_page: 100 }));
}

/** Deployments updated at or after `updatedAfter`, oldest update first. */
function deploymentsUrl(client: GitLabClient, path: string, updatedAfter?: string): string {
  return apiUrl(client, `${projectPath(path)}/deployments`, {
    order_by: 'updated_at',
    sort: 'asc',
    updated_after: updatedAfter,
    per_page: 100,
  });
}

async function write<T>(client: GitLabClient, method: 'POST' | 'PUT', path: string, body: Record<string, unknown>): Promise<T> {
  return (await send<T>(client.conn, method, apiUrl(client, path), body)).data;
}

/**
 * The GitLab REST API v4: `PRIVATE-TOKEN` auth; pages followed by `Link: rel="next"` (keyset) or `X-Next-Page`
 * (offset); a `RateLimit-Remaining` of 0 waits for `RateLimit-Reset` before the next request; a 429 waits out
 * `Retry-After` (or backs off), a 5xx backs off; writes are never sent twice after a lost answer (`outcomeUnknown`).
 */
export function createGitLabApi(options: GitLabApiOptions) {
  const client: GitLabClient = {
    api: `${options.baseUrl.replace(/\/+$/, '')}/api/v4`,
    conn: { options, stats: { requests: 0, waits: 0 }, resetAt: undefined },
  };
  const url = (path: string, query?: Query) => apiUrl(client, path, query);
  return {
    stats: client.conn.stats,
    page: <T>(pageUrl: string) => page<T>(client, pageUrl),
    all: <T>(firstUrl: string) => all<T>(client, firstUrl),
    groupProjectsUrl: (group: string) => groupProjectsUrl(client, group),
    project: (path: string) => get<GlProject>(client, projectPath(path)),
    groupMembersUrl: (group: string) => url(`/groups/${encode(group)}/members/all`, { per_page: 100 }),
    projectMembersUrl: (path: string) => url(`${projectPath(path)}/members/all`, { per_page: 100 }),
    mergeRequestsUrl: (path: string, updatedAfter?: string) => mergeRequestsUrl(client, path, updatedAfter),
    mergeRequest: (path: string, iid: number) => get<GlMergeRequest>(client, mergeRequestPath(path, iid)),
    notes: (path: string, iid: number) => notes(client, path, iid),
    diffs: (path: string, iid: number) => diffs(client, path, iid),
    commits: (path: string, iid: number) => commits(client, path, iid),
    eventsUrl: (path: string, filter: { action?: string; target_type?: string }) => eventsUrl(client, path, filter),
    /** The project's jobs, newest first. */
    jobsUrl: (path: string) => url(`${projectPath(path)}/jobs`, { per_page: 100 }),
    pipelineJobs: (path: string, pipeline: number) => pipelineJobs(client, path, pipeline),
    deploymentsUrl: (path: string, updatedAfter?: string) => deploymentsUrl(client, path, updatedAfter),
    deployment: (path: string, id: number) => get<GlDeployment>(client, `${projectPath(path)}/deployments/${id}`),
    environments: (path: string) => all<GlEnvironment>(client, url(`${projectPath(path)}/environments`, { per_page: 100 })),
    // Writes.
    addNote: (path: string, iid: number, body: string) => write<GlNote>(client, 'POST', `${mergeRequestPath(path, iid)}/notes`, { body }),
    updateMergeRequest: (path: string, iid: number, change: Record<string, unknown>) =>
      write<GlMergeRequest>(client, 'PUT', mergeRequestPath(path, iid), change),
    merge: (path: string, iid: number, params: Record<string, unknown>) =>
      write<GlMergeRequest>(client, 'PUT', `${mergeRequestPath(path, iid)}/merge`, params),
  };
}

export type GitLabApi = ReturnType<typeof createGitLabApi>;
export type { GlCommit, GlDeployment, GlDiff, GlEnvironment, GlEvent, GlJob, GlMember, GlMergeRequest, GlNote, GlProject };
