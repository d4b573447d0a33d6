// A stateful fake of the GitLab REST API v4 at the network boundary, over a world of REST-shaped records
// (test/__fixtures__/gitlab/world.json): offset pagination with GitLab's headers (X-Page, X-Next-Page, X-Total, Link),
// keyset pagination of group projects (Link rel="next"), updated_after filters, events derived from the notes,
// RateLimit-* headers, injected failures (429 with Retry-After, 5xx), writes (notes, labels, merge) and a request log.
// Tests mount it with msw; the benchmark serves it over node:http.
import { readFileSync } from 'node:fs';
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
} from '@teamstate/connectors/gitlab';
import { HttpResponse, http } from 'msw';

/** A merge request with what GitLab serves under it. */
export interface FakeMergeRequest extends GlMergeRequest {
  notes: GlNote[];
  diffs: GlDiff[];
  /** Oldest first (served newest first, as GitLab lists them); none when left out. */
  commits?: GlCommit[];
}

/** A project with its records. */
export interface FakeProject extends GlProject {
  members?: GlMember[];
  mergeRequests: FakeMergeRequest[];
  jobs: GlJob[];
  deployments: GlDeployment[];
  environments: GlEnvironment[];
}

/** The world the fake serves. */
export interface FakeGitLabWorld {
  groups: { id: number; full_path: string; members: GlMember[] }[];
  projects: FakeProject[];
}

export const GITLAB = 'https://gitlab.acme.test';
export const GITLAB_TOKEN = 'glpat-TestTokenDoNotLog0123';

export function gitlabFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/gitlab/${name}`, import.meta.url), 'utf8')) as T;
}

export const gitlabWorld = () => gitlabFixture<FakeGitLabWorld>('world.json');

export interface ReceivedRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  body?: Record<string, unknown>;
}

/** Events of a project, as GitLab derives them: `approved` from approvals, `commented on` from comments. */
export function eventsOf(project: FakeProject): GlEvent[] {
  const events: GlEvent[] = [];
  for (const mr of project.mergeRequests)
    for (const note of mr.notes) {
      if (note.system && /^approved this merge request/.test(note.body))
        events.push({
          id: 0,
          project_id: project.id,
          action_name: 'approved',
          target_iid: mr.iid,
          target_type: 'MergeRequest',
          author: note.author,
          created_at: note.created_at,
        });
      else if (!note.system)
        events.push({
          id: 0,
          project_id: project.id,
          action_name: 'commented on',
          target_iid: note.id,
          target_type: 'DiffNote',
          author: note.author,
          created_at: note.created_at,
          note: {
            id: note.id,
            body: note.body,
            system: false,
            noteable_type: 'MergeRequest',
            noteable_iid: mr.iid,
            created_at: note.created_at,
            author: note.author,
          },
        });
    }
  events.sort((a, b) => a.created_at.localeCompare(b.created_at));
  events.forEach((event, i) => {
    event.id = project.id * 1_000_000 + i + 1;
  });
  return events;
}

const strip = ({ notes: _n, diffs: _d, commits: _c, ...mr }: FakeMergeRequest): GlMergeRequest => mr;

/** The fake. `pageSize` caps `per_page` (small in tests, so paging is exercised). */
export class FakeGitLab {
  readonly requests: ReceivedRequest[] = [];
  /** Responses forced on the next requests (429s, 5xxs), in order. */
  readonly forced: { status: number; headers?: Record<string, string> }[] = [];
  /** When it says so, a request is processed and its answer is lost (the client sees a network error). */
  dropAnswer?: (request: ReceivedRequest) => boolean;
  /** RateLimit-Remaining served next (then decremented); undefined: plenty. */
  rateLimitRemaining?: number;
  #nextNote = 900_000;
  readonly #eventCache = new Map<number, GlEvent[]>();

  constructor(
    readonly world: FakeGitLabWorld,
    readonly options: { pageSize?: number; now?: () => Date } = {},
  ) {}

  #now = () => (this.options.now?.() ?? new Date()).toISOString();
  #project = (id: string) => this.world.projects.find((p) => p.path_with_namespace === id || String(p.id) === id);
  #eventsOf(project: FakeProject) {
    let events = this.#eventCache.get(project.id);
    if (!events) {
      events = eventsOf(project);
      this.#eventCache.set(project.id, events);
    }
    return events;
  }

  #headers(): Record<string, string> {
    const remaining = this.rateLimitRemaining === undefined ? 1999 : Math.max(0, this.rateLimitRemaining--);
    return {
      'RateLimit-Limit': '2000',
      'RateLimit-Observed': String(2000 - remaining),
      'RateLimit-Remaining': String(remaining),
      'RateLimit-Reset': String(Math.floor(Date.parse(this.#now()) / 1000) + 60),
    };
  }

  /** An offset page with GitLab's headers. */
  #paged<T>(url: URL, items: T[]): Response {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 20), 100, this.options.pageSize ?? 100);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const totalPages = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const link = (n: number, rel: string) => {
      const target = new URL(url);
      target.searchParams.set('page', String(n));
      return `<${target}>; rel="${rel}"`;
    };
    const links = [
      ...(page > 1 ? [link(page - 1, 'prev')] : []),
      ...(page < totalPages ? [link(page + 1, 'next')] : []),
      link(1, 'first'),
      link(totalPages, 'last'),
    ];
    return HttpResponse.json(slice, {
      headers: {
        ...this.#headers(),
        'X-Page': String(page),
        'X-Per-Page': String(perPage),
        'X-Next-Page': page < totalPages ? String(page + 1) : '',
        'X-Prev-Page': page > 1 ? String(page - 1) : '',
        'X-Total': String(items.length),
        'X-Total-Pages': String(totalPages),
        Link: links.join(', '),
      },
    });
  }

  /** A keyset page (`pagination=keyset&order_by=id`): only a `Link` to the next page. */
  #keyset<T extends { id: number }>(url: URL, items: T[]): Response {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 20), 100, this.options.pageSize ?? 100);
    const after = Number(url.searchParams.get('id_after') ?? 0);
    const rest = items.filter((item) => item.id > after).sort((a, b) => a.id - b.id);
    const slice = rest.slice(0, perPage);
    const headers: Record<string, string> = this.#headers();
    if (rest.length > perPage) {
      const next = new URL(url);
      next.searchParams.set('id_after', String(slice.at(-1)!.id));
      headers.Link = `<${next}>; rel="next"`;
    }
    return HttpResponse.json(slice, { headers });
  }

  #json(body: unknown, status = 200) {
    return HttpResponse.json(body as Record<string, unknown>, { status, headers: this.#headers() });
  }
  #notFound(what = '404 Not found') {
    return this.#json({ message: what }, 404);
  }

  async handle(request: Request): Promise<Response> {
    const response = await this.#answer(request);
    const last = this.requests.at(-1);
    return last && this.dropAnswer?.(last) ? Response.error() : response;
  }

  async #answer(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v4/, ''));
    const text = request.method === 'GET' ? '' : await request.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    this.requests.push({ method: request.method, path, search: url.searchParams, ...(body ? { body } : {}) });
    const force = this.forced.shift();
    if (force) return HttpResponse.json({ message: force.status === 429 ? 'Retry later' : '500 Internal Server Error' }, force);
    if (request.headers.get('private-token') !== GITLAB_TOKEN) return this.#json({ message: '401 Unauthorized' }, 401);
    const q = url.searchParams;
    const groupProjects = /^\/groups\/(.+)\/projects$/.exec(path);
    if (groupProjects) {
      const group = this.world.groups.find((g) => g.full_path === groupProjects[1]!);
      if (!group) return this.#notFound('404 Group Not Found');
      const projects = this.world.projects
        .filter((p) => p.path_with_namespace.startsWith(`${group.full_path}/`) && (q.get('archived') !== 'false' || !p.archived))
        .map(({ members: _m, mergeRequests: _r, jobs: _j, deployments: _d, environments: _e, ...p }) => p);
      return this.#keyset(url, projects);
    }
    const groupMembers = /^\/groups\/(.+)\/members\/all$/.exec(path);
    if (groupMembers) {
      const group = this.world.groups.find((g) => g.full_path === groupMembers[1]!);
      return group ? this.#paged(url, group.members) : this.#notFound('404 Group Not Found');
    }
    const m = /^\/projects\/([^/]+(?:\/[^/]+)*?)(\/(?:members|merge_requests|events|jobs|pipelines|deployments|environments).*)?$/.exec(
      path,
    );
    if (!m) return this.#notFound();
    const project = this.#project(m[1]!);
    if (!project) return this.#notFound('404 Project Not Found');
    const rest = m[2] ?? '';
    const { members: _m, mergeRequests: _r, jobs: _j, deployments: _d, environments: _e, ...projectFields } = project;
    if (rest === '' && request.method === 'GET') return this.#json(projectFields);
    if (rest === '/members/all') return this.#paged(url, project.members ?? []);
    if (rest === '/merge_requests') {
      const after = q.get('updated_after');
      const list = project.mergeRequests
        .filter((mr) => !after || Date.parse(mr.updated_at) >= Date.parse(after))
        .sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id - b.id)
        .map(strip);
      if (q.get('sort') !== 'asc') list.reverse();
      return this.#paged(url, list);
    }
    const single = /^\/merge_requests\/(\d+)(\/notes|\/diffs|\/commits|\/merge)?$/.exec(rest);
    if (single) {
      const mr = project.mergeRequests.find((r) => r.iid === Number(single[1]!));
      if (!mr) return this.#notFound('404 Merge Request Not Found');
      const sub = single[2];
      if (!sub && request.method === 'GET')
        return this.#json({ ...strip(mr), detailed_merge_status: mr.detailed_merge_status ?? 'mergeable' });
      if (!sub && request.method === 'PUT') {
        const split = (v: unknown) => (typeof v === 'string' ? v.split(',').filter(Boolean) : []);
        const remove = split(body?.remove_labels).map((l) => l.toLowerCase());
        mr.labels = [
          ...mr.labels.filter((l) => !remove.includes(l.toLowerCase())),
          ...split(body?.add_labels).filter((l) => !mr.labels.includes(l)),
        ];
        mr.updated_at = this.#now();
        return this.#json(strip(mr));
      }
      if (sub === '/notes' && request.method === 'GET') return this.#paged(url, mr.notes);
      if (sub === '/notes' && request.method === 'POST') {
        const note: GlNote = {
          id: this.#nextNote++,
          body: String(body?.body ?? ''),
          author: { id: 99, username: 'teamstate-bot', name: 'teamstate' },
          created_at: this.#now(),
          system: false,
          noteable_type: 'MergeRequest',
          noteable_iid: mr.iid,
        };
        mr.notes.push(note);
        return this.#json(note, 201);
      }
      if (sub === '/diffs') return this.#paged(url, mr.diffs);
      if (sub === '/commits') return this.#paged(url, [...(mr.commits ?? [])].reverse());
      if (sub === '/merge' && request.method === 'PUT') {
        if (mr.state !== 'opened') return this.#json({ message: '405 Method Not Allowed' }, 405);
        if (body?.sha && body.sha !== mr.sha) return this.#json({ message: 'SHA does not match HEAD of source branch' }, 409);
        if ((mr.detailed_merge_status ?? 'mergeable') !== 'mergeable') return this.#json({ message: '405 Method Not Allowed' }, 405);
        mr.state = 'merged';
        mr.merged_at = this.#now();
        mr.updated_at = this.#now();
        mr.merge_commit_sha = 'f'.repeat(40);
        return this.#json(strip(mr));
      }
      return this.#notFound();
    }
    if (rest === '/events') {
      const action = q.get('action');
      const target = q.get('target_type');
      const events = this.#eventsOf(project).filter(
        (e) =>
          (!action || e.action_name === action) &&
          (!target || (target === 'note' ? e.note !== undefined : e.target_type?.toLowerCase() === target)),
      );
      return this.#paged(url, q.get('sort') === 'asc' ? events : [...events].reverse());
    }
    if (rest === '/jobs')
      return this.#paged(
        url,
        [...project.jobs].sort((a, b) => b.id - a.id),
      );
    const pipelineJobs = /^\/pipelines\/(\d+)\/jobs$/.exec(rest);
    if (pipelineJobs)
      return this.#paged(
        url,
        project.jobs
          .filter((j) => j.pipeline.id === Number(pipelineJobs[1]!) && (q.get('include_retried') === 'true' || !j.retried))
          .sort((a, b) => b.id - a.id),
      );
    if (rest === '/deployments') {
      const after = q.get('updated_after');
      return this.#paged(
        url,
        project.deployments
          .filter((d) => !after || Date.parse(d.updated_at) >= Date.parse(after))
          .sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id - b.id),
      );
    }
    const deployment1 = /^\/deployments\/(\d+)$/.exec(rest);
    if (deployment1) {
      const deployment = project.deployments.find((d) => d.id === Number(deployment1[1]!));
      return deployment ? this.#json(deployment) : this.#notFound('404 Deployment Not Found');
    }
    if (rest === '/environments') return this.#paged(url, project.environments);
    return this.#notFound();
  }
}

/** msw handlers serving `fake()` at `origin`. */
export function fakeGitLabHandlers(fake: () => FakeGitLab, origin = GITLAB) {
  return [http.all(`${origin}/api/v4/*`, ({ request }) => fake().handle(request))];
}
