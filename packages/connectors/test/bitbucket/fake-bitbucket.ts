// A stateful fake of the Bitbucket Cloud REST 2.0 API at the network boundary, over a world of REST-shaped records:
// `page`/`next` pagination, the `q=updated_on > …` filter of pull requests, ETags on lists (If-None-Match answered
// 304), auth checked, writes (comment, approve, merge) and a request log. Tests mount it with msw.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type {
  BbActivity,
  BbCommit,
  BbDeployment,
  BbEnvironment,
  BbPipeline,
  BbPullRequest,
  BbRepository,
  BbUser,
} from '@teamstate/connectors/bitbucket';
import { HttpResponse, http } from 'msw';

export const BITBUCKET = 'https://api.bitbucket.test/2.0';
export const BITBUCKET_TOKEN = 'bbat-TestTokenDoNotLog0123';

/** A pull request with what Bitbucket serves under it. */
export interface FakeBbPullRequest extends BbPullRequest {
  activity: BbActivity[];
  /** Newest first, as Bitbucket lists them. */
  commits: BbCommit[];
}

/** A repository with its records. */
export interface FakeBbRepository extends BbRepository {
  pullRequests: FakeBbPullRequest[];
  pipelines: BbPipeline[];
  environments: BbEnvironment[];
  deployments: BbDeployment[];
  /** The main branch's history, newest first (a linear history: each commit's parent is the next one). */
  commits?: BbCommit[];
}

/** The world the fake serves. */
export interface FakeBitbucketWorld {
  workspace: string;
  members: BbUser[];
  repositories: FakeBbRepository[];
}

export function bitbucketFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/bitbucket/${name}`, import.meta.url), 'utf8')) as T;
}

export const bitbucketWorld = () => bitbucketFixture<FakeBitbucketWorld>('world.json');

export interface BbReceived {
  method: string;
  path: string;
  search: URLSearchParams;
  status: number;
  body?: Record<string, unknown>;
}

const PAGELEN = 50;

/** The fake: serves the world and records requests. */
export class FakeBitbucket {
  readonly requests: BbReceived[] = [];
  /** The user the token acts as (the actions' author). */
  readonly self: BbUser;
  /** Answers to send instead of the real one, next first. */
  readonly failures: { status: number; headers?: Record<string, string> }[] = [];

  constructor(
    readonly world: FakeBitbucketWorld,
    readonly options: { now: () => Date; token?: string } = { now: () => new Date('2026-04-02T00:00:00Z') },
  ) {
    this.self = world.members[0] ?? { uuid: '{self}', nickname: 'self' };
  }

  /** Requests answered 200 (a 304 is free). */
  counted(): number {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300).length;
  }

  repository(slug: string): FakeBbRepository | undefined {
    return this.world.repositories.find((r) => r.slug === slug);
  }

  handle(request: Request, body: Record<string, unknown> | undefined): Response {
    const url = new URL(request.url);
    const path = url.pathname.replace(new URL(BITBUCKET).pathname, '');
    const log: BbReceived = { method: request.method, path, search: url.searchParams, status: 200, ...(body ? { body } : {}) };
    this.requests.push(log);
    const answer = (status: number, data?: unknown, headers: Record<string, string> = {}) => {
      log.status = status;
      return data === undefined ? new HttpResponse(null, { status, headers }) : HttpResponse.json(data as object, { status, headers });
    };
    const expected = `Bearer ${this.options.token ?? BITBUCKET_TOKEN}`;
    if (request.headers.get('authorization') !== expected) return answer(401, { type: 'error', error: { message: 'Unauthorized' } });
    const failure = this.failures.shift();
    if (failure) return answer(failure.status, { type: 'error', error: { message: 'injected' } }, failure.headers);
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'repositories' || parts[1] !== this.world.workspace)
      return answer(404, { type: 'error', error: { message: 'Not found' } });
    if (parts.length === 2) return this.list(request, url, this.world.repositories.map(strip));
    const repository = this.repository(parts[2] ?? '');
    if (!repository) return answer(404, { type: 'error', error: { message: `Repository ${parts[2]} not found` } });
    const [, , , kind, id, sub] = parts;
    if (kind === 'pullrequests' && id === undefined && request.method === 'GET') {
      const states = url.searchParams.getAll('state');
      const q = /updated_on > (\S+)/.exec(url.searchParams.get('q') ?? '')?.[1];
      const list = repository.pullRequests
        .filter((pr) => states.length === 0 || states.includes(pr.state))
        .filter((pr) => !q || Date.parse(pr.updated_on) > Date.parse(q))
        .sort((a, b) => a.updated_on.localeCompare(b.updated_on))
        .map(({ activity: _a, commits: _c, ...pr }) => pr);
      return this.list(request, url, list);
    }
    if (kind === 'pullrequests') {
      const pr = repository.pullRequests.find((p) => p.id === Number(id));
      if (!pr) return answer(404, { type: 'error', error: { message: 'Pull request not found' } });
      if (sub === 'activity') return this.list(request, url, pr.activity);
      if (sub === 'commits') return this.list(request, url, pr.commits);
      if (sub === 'comments' && request.method === 'POST') {
        const comment = {
          id: 900_000 + this.requests.length,
          created_on: this.options.now().toISOString(),
          user: this.self,
          content: body?.content,
        };
        pr.activity.push({ comment: comment as BbActivity['comment'], pull_request: { id: pr.id } });
        return answer(201, comment);
      }
      if (sub === 'approve' && request.method === 'POST') {
        const approval = { date: this.options.now().toISOString(), user: this.self };
        pr.activity.push({ approval, pull_request: { id: pr.id } });
        return answer(200, { approved: true, user: this.self, role: 'REVIEWER' });
      }
      if (sub === 'merge' && request.method === 'POST') {
        if (pr.state !== 'OPEN')
          return answer(400, { type: 'error', error: { message: 'You can\u2019t merge a pull request that is not open.' } });
        pr.state = 'MERGED';
        pr.updated_on = this.options.now().toISOString();
        pr.merge_commit = { hash: createHash('sha1').update(`merge-${pr.id}`).digest('hex') };
        pr.activity.push({ update: { state: 'MERGED', date: pr.updated_on, author: this.self }, pull_request: { id: pr.id } });
        return answer(200, strip(pr));
      }
      if (sub === undefined) return answer(200, strip(pr));
    }
    if (kind === 'pipelines')
      return this.list(
        request,
        url,
        [...repository.pipelines].sort((a, b) => b.created_on.localeCompare(a.created_on)),
      );
    if (kind === 'commits' && id !== undefined && request.method === 'GET') {
      // `commits/{revision}?exclude={ref}`: reachable from the revision and not from the excluded ref.
      const history = repository.commits ?? [];
      const at = (ref: string) => history.findIndex((c) => c.hash.startsWith(ref));
      const head = at(id);
      if (head < 0) return answer(404, { type: 'error', error: { message: `Commit ${id} not found` } });
      const excluded = url.searchParams.getAll('exclude').map(at);
      const end = Math.min(history.length, ...excluded.filter((i) => i >= 0).map((i) => Math.max(i, head)));
      return this.list(request, url, history.slice(head, end));
    }
    if (kind === 'environments') return this.list(request, url, repository.environments);
    if (kind === 'deployments') return this.list(request, url, repository.deployments);
    return answer(404, { type: 'error', error: { message: 'Not found' } });
  }

  /** One page of a list with `next`, an ETag of the whole list, and 304 when `If-None-Match` matches. */
  private list(request: Request, url: URL, items: readonly unknown[]): Response {
    const log = this.requests.at(-1);
    const etag = `"${createHash('sha1').update(JSON.stringify(items)).digest('hex').slice(0, 16)}"`;
    if (request.headers.get('if-none-match') === etag) {
      if (log) log.status = 304;
      return new HttpResponse(null, { status: 304, headers: { ETag: etag } });
    }
    const page = Number(url.searchParams.get('page') ?? '1');
    const pagelen = Math.min(Number(url.searchParams.get('pagelen') ?? PAGELEN), 100);
    const values = items.slice((page - 1) * pagelen, page * pagelen);
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    return HttpResponse.json(
      { pagelen, size: items.length, page, values, ...(page * pagelen < items.length ? { next: next.toString() } : {}) },
      { headers: { ETag: etag } },
    );
  }
}

function strip<T extends object>(record: T): T {
  const copy = { ...record } as Record<string, unknown>;
  for (const k of ['activity', 'commits', 'pullRequests', 'pipelines', 'environments', 'deployments']) delete copy[k];
  return copy as T;
}

/** msw handlers serving `current()` at {@link BITBUCKET} (or `origin`). */
export function fakeBitbucketHandlers(current: () => FakeBitbucket, origin = BITBUCKET) {
  return [
    http.all(`${origin}/*`, async ({ request }) => {
      const text = request.method === 'GET' ? '' : await request.text();
      return current().handle(request, text ? (JSON.parse(text) as Record<string, unknown>) : undefined);
    }),
  ];
}
