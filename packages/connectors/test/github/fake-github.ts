// A fake GitHub at the network boundary: REST and GraphQL over an in-memory world loaded from
// schema-shaped fixtures, with a request log, GitHub's rate-limit headers and points, ETags, and hooks
// that inject faults (502s, rate limits, lost answers). Tests mount it with msw; the benchmark serves
// it over node:http.
import { createHash } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import { executeGraphql, paginateRange, typedError } from './fake-github-graphql.js';

/** A user, bot or mannequin as GraphQL describes it. */
export interface FakeUser {
  __typename: 'User' | 'Bot' | 'Mannequin';
  login: string;
  databaseId: number;
  name?: string | null;
  email?: string;
}

/** A review. */
export interface FakeReview {
  state: 'PENDING' | 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'DISMISSED';
  submittedAt: string | null;
  author: FakeUser | null;
}

/** A pull request: GraphQL fields, nested connections as arrays. */
export interface FakePullRequest {
  __typename: 'PullRequest';
  id: string;
  databaseId: number;
  number: number;
  title: string;
  body: string;
  url: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  additions: number;
  deletions: number;
  headRefOid: string;
  baseRefName: string;
  headRefName: string;
  mergeable: 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN';
  mergeStateStatus: 'BEHIND' | 'BLOCKED' | 'CLEAN' | 'DIRTY' | 'DRAFT' | 'HAS_HOOKS' | 'UNKNOWN' | 'UNSTABLE';
  mergeCommit: { oid: string } | null;
  author: FakeUser | null;
  labels: { name: string }[];
  /** The changed files (`PullRequestChangedFile`); absent: GitHub lists none (the connection is null). */
  files?: {
    path: string;
    additions: number;
    deletions: number;
    changeType: 'ADDED' | 'DELETED' | 'MODIFIED' | 'RENAMED' | 'COPIED' | 'CHANGED';
  }[];
  assignees: FakeUser[];
  reviews: FakeReview[];
  /** The PR's commits, oldest first; `message` defaults to `Update <file>` and identities to the PR author's. */
  commits: FakePullRequestCommit[];
  timelineItems: { __typename: 'ReadyForReviewEvent'; createdAt: string }[];
  /** The check suites on the head commit (`headRefOid`), as GraphQL describes them. */
  checkSuites?: FakeCheckSuite[];
  /** REST only: logins and team slugs whose review is requested. */
  requestedReviewers?: string[];
  requestedTeams?: string[];
}

/** A check run (a job) of a check suite. */
export interface FakeCheckRun {
  id: string;
  name: string;
  status: 'REQUESTED' | 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'WAITING' | 'PENDING';
  conclusion:
    | 'ACTION_REQUIRED'
    | 'TIMED_OUT'
    | 'CANCELLED'
    | 'FAILURE'
    | 'SUCCESS'
    | 'NEUTRAL'
    | 'SKIPPED'
    | 'STARTUP_FAILURE'
    | 'STALE'
    | null;
  startedAt: string | null;
  completedAt: string | null;
}

/** A check suite on a commit: a CI app's run (for GitHub Actions, a workflow run). */
export interface FakeCheckSuite {
  id: string;
  status: FakeCheckRun['status'];
  conclusion: FakeCheckRun['conclusion'];
  createdAt: string;
  updatedAt: string;
  app: { name: string } | null;
  workflowRun: { id: string; runNumber: number; workflow: { name: string } } | null;
  checkRuns: FakeCheckRun[];
}

/** A git identity of a commit (`GitActor`). */
export interface FakeGitActor {
  name: string;
  email: string;
  user?: { login: string } | null;
}

/** A commit of a pull request. */
export interface FakePullRequestCommit {
  commit: { authoredDate: string; message?: string; author?: FakeGitActor; committer?: FakeGitActor };
}

/** A deployment with its statuses. */
export interface FakeDeployment {
  __typename: 'Deployment';
  id: string;
  databaseId: number;
  environment: string;
  createdAt: string;
  updatedAt: string;
  commitOid: string;
  state: string;
  latestStatus: { state: string; createdAt: string } | null;
  statuses: { state: string; createdAt: string }[];
}

/** A release. */
export interface FakeRelease {
  __typename: 'Release';
  id: string;
  databaseId: number;
  tagName: string;
  createdAt: string;
  publishedAt: string | null;
  isDraft: boolean;
  isPrerelease: boolean;
  tagCommit: { oid: string } | null;
}

/** An issue. */
export interface FakeIssue {
  __typename: 'Issue';
  id: string;
  number: number;
  title: string;
  url: string;
  state: 'OPEN' | 'CLOSED';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  labels: { name: string }[];
}

/** A workflow run as the REST API returns it. */
export interface FakeWorkflowRun {
  id: number;
  name: string;
  head_branch: string;
  head_sha: string;
  event: string;
  status: string;
  conclusion: string | null;
  workflow_id: number;
  html_url: string;
  created_at: string;
  updated_at: string;
  run_started_at: string;
}

/** A repository of the fake world. */
export interface FakeRepository {
  nameWithOwner: string;
  isArchived: boolean;
  pullRequests: FakePullRequest[];
  deployments: FakeDeployment[];
  releases: FakeRelease[];
  issues: FakeIssue[];
  /** The default branch, oldest commit first; `pullRequest` is the PR that brought the commit in. */
  commits: { oid: string; pullRequest?: number }[];
  /** Workflow file name → runs, newest first. */
  workflowRuns?: Record<string, FakeWorkflowRun[]>;
  /** Issue comments by pull request number. */
  comments?: Record<string, { id: number; body: string; html_url: string; user: { login: string; id: number } }[]>;
  /** The default branch (default `main`). */
  defaultBranch?: string;
  /** Files (path → text) of the default branch; copied into `branches` on first use. */
  files?: Record<string, string>;
  /** Branches (name → head commit and files), for the contents and git refs API. */
  branches?: Record<string, { sha: string; files: Record<string, string> }>;
  /** Pull requests opened through REST (`POST /pulls`). */
  openedPulls?: FakeOpenedPull[];
}

/** A pull request opened through `POST /repos/{owner}/{repo}/pulls`. */
export interface FakeOpenedPull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
}

/** A file's blob sha as git computes it. */
export const blobSha = (content: string) =>
  createHash('sha1')
    .update(`blob ${Buffer.byteLength(content)}\0${content}`)
    .digest('hex');

/** An organisation of the fake world. */
export interface FakeOrganization {
  login: string;
  members: FakeUser[];
  teams: { slug: string; name: string; members: FakeUser[] }[];
}

/** Everything the fake GitHub knows. */
export interface FakeWorld {
  organizations: FakeOrganization[];
  repositories: FakeRepository[];
}

/** One request the fake received. */
export interface LoggedRequest {
  method: string;
  /** Path without the GHES `/api/v3` prefix; `/graphql` for GraphQL. */
  path: string;
  /** The GraphQL operation name, e.g. `TeamstatePullRequests`. */
  operation?: string;
  variables?: Record<string, unknown>;
  status: number;
  /** GraphQL points the request cost. */
  cost?: number;
  ifNoneMatch?: string;
  /** The JSON body of a REST write. */
  body?: unknown;
  /** The `authorization` header (fake credentials only). */
  authorization?: string;
}

/** A request as the fake sees it. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
  /** For GraphQL requests: the operation name and variables. */
  graphql?: { operation?: string; query: string; variables: Record<string, unknown> };
}

/** A response the fake sends. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Answers a request instead of the fake (a fault, possibly late); return `undefined` to let the fake answer. */
export type Interceptor = (request: FakeRequest) => FakeResponse | undefined | Promise<FakeResponse | undefined>;

const clone = <T>(value: T): T => structuredClone(value);
const sha = (text: string) => createHash('sha1').update(text).digest('hex');

/** The fake GitHub. */
export class FakeGitHub {
  readonly world: FakeWorld;
  readonly requests: LoggedRequest[] = [];
  readonly #now: () => Date;
  readonly #interceptors: Interceptor[] = [];
  readonly budgets = new Map<string, { limit: number; remaining: number; resetAt: number }>();
  #ids = 900_000;
  /** When set, the request is processed and then its answer is lost (the client sees a network error). */
  dropAnswer?: (request: FakeRequest) => boolean;

  constructor(world: FakeWorld, options: { now: () => Date }) {
    this.world = clone(world);
    this.#now = options.now;
  }

  /** Adds an interceptor, consulted before the fake answers; it stays until `clearInterceptors()`. */
  intercept(interceptor: Interceptor): void {
    this.#interceptors.push(interceptor);
  }

  clearInterceptors(): void {
    this.#interceptors.length = 0;
  }

  /** Requests whose GraphQL operation (or REST method + path pattern) matches. */
  count(match: string | RegExp): number {
    return this.requests.filter((r) =>
      typeof match === 'string' ? r.operation === match || `${r.method} ${r.path}` === match : match.test(`${r.method} ${r.path}`),
    ).length;
  }

  repository(nameWithOwner: string): FakeRepository {
    const repo = this.world.repositories.find((r) => r.nameWithOwner.toLowerCase() === nameWithOwner.toLowerCase());
    if (!repo) throw new Error(`fake: no repository ${nameWithOwner}`);
    return repo;
  }

  #budget(resource: string) {
    let budget = this.budgets.get(resource);
    if (!budget) {
      budget = { limit: 5000, remaining: 5000, resetAt: Math.floor(this.#now().getTime() / 1000) + 3600 };
      this.budgets.set(resource, budget);
    }
    return budget;
  }

  #rateHeaders(resource: string): Record<string, string> {
    const budget = this.#budget(resource);
    return {
      'x-ratelimit-limit': String(budget.limit),
      'x-ratelimit-remaining': String(budget.remaining),
      'x-ratelimit-reset': String(budget.resetAt),
      'x-ratelimit-used': String(budget.limit - budget.remaining),
      'x-ratelimit-resource': resource,
    };
  }

  /** Handles one HTTP request. */
  async handle(request: FakeRequest): Promise<FakeResponse & { dropped?: boolean }> {
    const path = request.path.replace(/^\/api\/v3(?=\/)/, '').replace(/^\/api\/graphql$/, '/graphql');
    const req = { ...request, path };
    if (path === '/graphql') {
      const body = JSON.parse(request.body || '{}') as { query: string; variables?: Record<string, unknown> };
      const operation = /^\s*query\s+(\w+)/.exec(body.query)?.[1];
      req.graphql = { operation, query: body.query, variables: body.variables ?? {} };
    }
    const log: LoggedRequest = { method: req.method, path, status: 0 };
    if (req.graphql) {
      log.operation = req.graphql.operation;
      log.variables = req.graphql.variables;
    }
    if (request.headers['if-none-match']) log.ifNoneMatch = request.headers['if-none-match'];
    if (!req.graphql && request.body) log.body = JSON.parse(request.body);
    if (request.headers.authorization) log.authorization = request.headers.authorization;
    this.requests.push(log);
    for (const interceptor of this.#interceptors) {
      const answer = await interceptor(req);
      if (answer) {
        log.status = answer.status;
        return answer;
      }
    }
    const answer = req.graphql ? await this.#graphql(req, log) : this.#rest(req);
    log.status = answer.status;
    if (this.dropAnswer?.(req)) return { ...answer, dropped: true };
    return answer;
  }

  async #graphql(req: FakeRequest, log: LoggedRequest): Promise<FakeResponse> {
    const budget = this.#budget('graphql');
    const result = await executeGraphql(this.#root(), req.graphql!, (cost) => ({
      cost,
      limit: budget.limit,
      remaining: budget.remaining - cost,
      used: budget.limit - budget.remaining + cost,
      nodeCount: 0,
      resetAt: new Date(budget.resetAt * 1000).toISOString(),
    }));
    log.cost = result.cost;
    budget.remaining -= result.cost;
    return { status: 200, headers: this.#rateHeaders('graphql'), body: result.body };
  }

  // --- GraphQL world

  #root(): Record<string, unknown> {
    return {
      repository: ({ owner, name }: { owner: string; name: string }) => {
        const repo = this.world.repositories.find((r) => r.nameWithOwner.toLowerCase() === `${owner}/${name}`.toLowerCase());
        if (!repo) throw typedError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
        return this.#repositoryObject(repo);
      },
      organization: ({ login }: { login: string }) => {
        const org = this.world.organizations.find((o) => o.login.toLowerCase() === login.toLowerCase());
        if (!org) throw typedError('NOT_FOUND', `Could not resolve to an Organization with the login of '${login}'.`);
        return this.#organizationObject(org);
      },
      node: ({ id }: { id: string }) =>
        this.#node(id) ?? typedError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`),
      nodes: ({ ids }: { ids: string[] }) =>
        ids.map((id) => this.#node(id) ?? typedError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`)),
    };
  }

  // Lookups by node id and PR number, rebuilt when a list grows (the benchmark's repository has 10,000 PRs).
  #index?: { size: number; nodes: Map<string, () => unknown>; pulls: Map<FakeRepository, Map<number, FakePullRequest>> };
  #lookups() {
    const size = this.world.repositories.reduce((n, r) => n + r.pullRequests.length + r.deployments.length + r.releases.length, 0);
    if (this.#index?.size === size) return this.#index;
    const nodes = new Map<string, () => unknown>();
    const pulls = new Map<FakeRepository, Map<number, FakePullRequest>>();
    for (const repo of this.world.repositories) {
      pulls.set(repo, new Map(repo.pullRequests.map((p) => [p.number, p])));
      for (const pr of repo.pullRequests) nodes.set(pr.id, () => this.#pullRequestObject(repo, pr));
      for (const deployment of repo.deployments) nodes.set(deployment.id, () => deployment);
      for (const release of repo.releases) nodes.set(release.id, () => release);
    }
    this.#index = { size, nodes, pulls };
    return this.#index;
  }

  #node(id: string): unknown {
    return this.#lookups().nodes.get(id)?.();
  }

  #pull(repo: FakeRepository, number: number | undefined): FakePullRequest | undefined {
    return number === undefined ? undefined : this.#lookups().pulls.get(repo)?.get(number);
  }

  #organizationObject(org: FakeOrganization) {
    return {
      login: org.login,
      membersWithRole: org.members,
      teams: org.teams.map((t) => ({ ...t, members: t.members })),
      team: ({ slug }: { slug: string }) => org.teams.find((t) => t.slug === slug) ?? null,
      repositories: (args: { isArchived?: boolean }) =>
        this.world.repositories
          .filter((r) => r.nameWithOwner.split('/')[0]!.toLowerCase() === org.login.toLowerCase())
          .filter((r) => args.isArchived === undefined || args.isArchived === null || r.isArchived === args.isArchived)
          .sort((a, b) => a.nameWithOwner.localeCompare(b.nameWithOwner))
          .map((r) => this.#repositoryObject(r)),
    };
  }

  #repositoryObject(repo: FakeRepository) {
    const order = <T>(items: T[], args: { orderBy?: { field: string; direction: string } }, key: (item: T) => string) => {
      const sorted = [...items].sort((a, b) => key(a).localeCompare(key(b)));
      return args.orderBy?.direction === 'DESC' ? sorted.reverse() : sorted;
    };
    const pullRequestField = (args: { orderBy?: { field: string } }) => (args.orderBy?.field === 'CREATED_AT' ? 'createdAt' : 'updatedAt');
    return {
      nameWithOwner: repo.nameWithOwner,
      isArchived: repo.isArchived,
      pullRequests: (args: { orderBy?: { field: string; direction: string } }) =>
        order(repo.pullRequests, args, (p) => p[pullRequestField(args)]).map((p) => this.#pullRequestObject(repo, p)),
      pullRequest: ({ number }: { number: number }) => {
        const pr = this.#pull(repo, number);
        return pr ? this.#pullRequestObject(repo, pr) : null;
      },
      deployments: (args: { environments?: string[] | null; orderBy?: { field: string; direction: string } }) =>
        order(
          repo.deployments.filter((d) => !args.environments || args.environments.includes(d.environment)),
          args,
          (d) => d.createdAt,
        ),
      releases: (args: { orderBy?: { field: string; direction: string } }) => order(repo.releases, args, (r) => r.createdAt),
      issues: (args: { labels?: string[] | null; filterBy?: { since?: string } | null; orderBy?: { field: string; direction: string } }) =>
        order(
          repo.issues
            .filter((i) => !args.labels || i.labels.some((l) => args.labels!.includes(l.name)))
            .filter((i) => !args.filterBy?.since || Date.parse(i.updatedAt) >= Date.parse(args.filterBy.since)),
          args,
          (i) => (args.orderBy?.field === 'CREATED_AT' ? i.createdAt : i.updatedAt),
        ),
      object: ({ oid }: { oid: string }) => {
        const index = this.#commitIndex(repo).get(oid);
        return index === undefined ? null : this.#commitObject(repo, index);
      },
    };
  }

  readonly #commitIndexes = new Map<FakeRepository, Map<string, number>>();
  #commitIndex(repo: FakeRepository): Map<string, number> {
    let index = this.#commitIndexes.get(repo);
    if (!index || index.size !== repo.commits.length) {
      index = new Map(repo.commits.map((c, i) => [c.oid, i]));
      this.#commitIndexes.set(repo, index);
    }
    return index;
  }

  #commitObject(repo: FakeRepository, index: number): Record<string, unknown> {
    const commit = repo.commits[index]!;
    return {
      __typename: 'Commit',
      oid: commit.oid,
      // Newest first, from this commit back to the first one.
      history: (args: { first?: number; after?: string }) => paginateRange(index + 1, args, (i) => this.#commitObject(repo, index - i)),
      associatedPullRequests: () => {
        const pr = this.#pull(repo, commit.pullRequest);
        return pr ? [this.#pullRequestObject(repo, pr)] : [];
      },
    };
  }

  #pullRequestObject(repo: FakeRepository, pr: FakePullRequest) {
    // A commit without an identity was written by the PR's author (a person's git identity, linked to their account).
    const user = pr.author?.__typename === 'User' ? pr.author : undefined;
    const identity: FakeGitActor | undefined = user && {
      name: user.name ?? user.login,
      email: user.email ?? `${user.databaseId}+${user.login}@users.noreply.github.com`,
      user: { login: user.login },
    };
    return {
      ...pr,
      commits: pr.commits.map(({ commit }, i) => ({
        commit: {
          // The last commit is the head; the others get an oid derived from it.
          oid: i === pr.commits.length - 1 ? pr.headRefOid : createHash('sha1').update(`${pr.headRefOid}:${i}`).digest('hex'),
          checkSuites: i === pr.commits.length - 1 ? (pr.checkSuites ?? []) : [],
          message: `Update part ${i + 1} of #${pr.number}`,
          author: identity ?? null,
          committer: identity ?? null,
          ...commit,
        },
      })),
      timelineItems: (args: { itemTypes?: string[] }) =>
        pr.timelineItems.filter(
          (item) =>
            !args.itemTypes ||
            args.itemTypes.includes(item.__typename === 'ReadyForReviewEvent' ? 'READY_FOR_REVIEW_EVENT' : item.__typename),
        ),
      // GraphQL's view of the requested reviewers: each login as the user the world knows (a team as a Team).
      reviewRequests: [
        ...(pr.requestedReviewers ?? []).map((login, i) => ({ requestedReviewer: this.#userByLogin(login, 7_000 + i) })),
        ...(pr.requestedTeams ?? []).map((slug) => ({ requestedReviewer: { __typename: 'Team', slug, name: slug } })),
      ],
      repository: () => this.#repositoryObject(repo),
    };
  }

  /** The user of the world with `login` (an organisation member, an author, assignee or reviewer), else a new one. */
  #userByLogin(login: string, databaseId: number): FakeUser {
    const known = [
      ...this.world.organizations.flatMap((org) => org.members),
      ...this.world.repositories.flatMap((repo) =>
        repo.pullRequests.flatMap((pr) => [pr.author, ...pr.assignees, ...pr.reviews.map((r) => r.author)]),
      ),
    ].find((user): user is FakeUser => !!user && user.login === login);
    return known ?? { __typename: 'User', login, databaseId };
  }

  // --- REST

  #rest(req: FakeRequest): FakeResponse {
    const budget = this.#budget('core');
    const ok = (body: unknown, status = 200, extra: Record<string, string> = {}): FakeResponse => {
      budget.remaining -= 1;
      return { status, headers: { ...this.#rateHeaders('core'), ...extra }, body };
    };
    const fail = (status: number, message: string) => ok({ message, documentation_url: 'https://docs.github.com/rest' }, status);
    const installation = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.path);
    if (installation && req.method === 'POST') {
      // A GitHub App exchanges its JWT (three base64url parts) for an installation token.
      if (!/^bearer [\w-]+\.[\w-]+\.[\w-]+$/i.test(req.headers.authorization ?? ''))
        return fail(401, 'A JSON web token could not be decoded');
      const expires = new Date(this.#now().getTime() + 3_600_000).toISOString();
      return ok(
        {
          token: `ghs_installation${installation[1]}`,
          expires_at: expires,
          permissions: { pull_requests: 'write' },
          repository_selection: 'all',
        },
        201,
      );
    }
    const match = /^\/repos\/([^/]+)\/([^/]+)(?:\/(.+))?$/.exec(req.path);
    if (!match) return fail(404, 'Not Found');
    const [, owner, name, rest = ''] = match as unknown as [string, string, string, string | undefined];
    const repo = this.world.repositories.find((r) => r.nameWithOwner.toLowerCase() === `${owner}/${name}`.toLowerCase());
    if (!repo) return fail(404, 'Not Found');
    const input = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    const pullOf = (number: string) => this.#pull(repo, Number(number));
    const now = this.#now().toISOString();
    type Route = [method: string, path: RegExp, answer: (m: RegExpExecArray) => FakeResponse];
    const branches = () => {
      const defaultBranch = repo.defaultBranch ?? 'main';
      repo.branches ??= {};
      repo.branches[defaultBranch] ??= { sha: sha(`${repo.nameWithOwner}-root`), files: { ...(repo.files ?? {}) } };
      return repo.branches;
    };
    const restOpened = (pr: FakeOpenedPull) => ({
      url: `https://api.github.com/repos/${repo.nameWithOwner}/pulls/${pr.number}`,
      html_url: `https://github.com/${repo.nameWithOwner}/pull/${pr.number}`,
      number: pr.number,
      state: pr.state,
      merged: pr.merged,
      title: pr.title,
      body: pr.body,
      head: { ref: pr.head, sha: branches()[pr.head]?.sha ?? '0'.repeat(40) },
      base: { ref: pr.base, sha: branches()[pr.base]?.sha ?? '0'.repeat(40) },
    });
    const routes: Route[] = [
      [
        'GET',
        /^$/,
        () =>
          ok({
            id: 1_296_269,
            node_id: 'R_kgDOAbc',
            name: repo.nameWithOwner.split('/')[1],
            full_name: repo.nameWithOwner,
            private: true,
            archived: repo.isArchived,
            default_branch: repo.defaultBranch ?? 'main',
            html_url: `https://github.com/${repo.nameWithOwner}`,
          }),
      ],
      [
        'GET',
        /^contents\/(.+)$/,
        (m) => {
          const path = decodeURIComponent(m[1]!);
          const branch = branches()[req.query.get('ref') ?? repo.defaultBranch ?? 'main'];
          if (!branch) return fail(404, 'No commit found for the ref');
          const content = branch.files[path];
          if (content === undefined) {
            const inside = Object.keys(branch.files).filter((file) => file.startsWith(`${path}/`));
            if (inside.length === 0) return fail(404, 'Not Found');
            return ok(
              inside.map((file) => ({ type: 'file', name: file.slice(path.length + 1), path: file, sha: blobSha(branch.files[file]!) })),
            );
          }
          return ok({
            type: 'file',
            encoding: 'base64',
            size: Buffer.byteLength(content),
            name: path.split('/').at(-1),
            path,
            content: Buffer.from(content)
              .toString('base64')
              .replace(/(.{60})/g, '$1\n'),
            sha: blobSha(content),
            url: `https://api.github.com/repos/${repo.nameWithOwner}/contents/${path}`,
          });
        },
      ],
      [
        'PUT',
        /^contents\/(.+)$/,
        (m) => {
          const path = decodeURIComponent(m[1]!);
          const branchName = String(input.branch ?? repo.defaultBranch ?? 'main');
          const branch = branches()[branchName];
          if (!branch) return fail(404, 'Branch not found');
          const existing = branch.files[path];
          if (existing !== undefined && input.sha !== blobSha(existing))
            return fail(409, `${path} does not match ${String(input.sha ?? '(no sha)')}`);
          if (existing === undefined && input.sha !== undefined) return fail(422, "sha wasn't supplied");
          const text = Buffer.from(String(input.content), 'base64').toString('utf8');
          branch.files[path] = text;
          branch.sha = sha(`${branch.sha}-${path}-${text}`);
          return ok(
            { content: { name: path.split('/').at(-1), path, sha: blobSha(text) }, commit: { sha: branch.sha, message: input.message } },
            existing === undefined ? 201 : 200,
          );
        },
      ],
      [
        'GET',
        /^git\/ref\/heads\/(.+)$/,
        (m) => {
          const name = decodeURIComponent(m[1]!);
          const branch = branches()[name];
          if (!branch) return fail(404, 'Not Found');
          return ok({ ref: `refs/heads/${name}`, node_id: `REF_${name}`, object: { sha: branch.sha, type: 'commit' } });
        },
      ],
      [
        'POST',
        /^git\/refs$/,
        () => {
          const name = String(input.ref).replace(/^refs\/heads\//, '');
          const all = branches();
          if (all[name]) return fail(422, 'Reference already exists');
          const from = Object.values(all).find((branch) => branch.sha === input.sha);
          if (!from) return fail(422, 'Object does not exist');
          all[name] = { sha: from.sha, files: { ...from.files } };
          return ok({ ref: `refs/heads/${name}`, node_id: `REF_${name}`, object: { sha: from.sha, type: 'commit' } }, 201);
        },
      ],
      [
        'GET',
        /^pulls$/,
        () => {
          const head = req.query.get('head');
          const state = req.query.get('state') ?? 'open';
          const pulls = (repo.openedPulls ?? [])
            .filter((pr) => !head || `${owner}:${pr.head}`.toLowerCase() === head.toLowerCase())
            .filter((pr) => state === 'all' || pr.state === state);
          return ok(pulls.map(restOpened));
        },
      ],
      [
        'POST',
        /^pulls$/,
        () => {
          repo.openedPulls ??= [];
          const head = String(input.head).replace(/^[^:]+:/, '');
          if (!branches()[head]) return fail(422, 'Validation Failed: head does not exist');
          if (repo.openedPulls.some((pr) => pr.head === head && pr.state === 'open'))
            return fail(422, `Validation Failed: A pull request already exists for ${owner}:${head}.`);
          const number = Math.max(0, ...repo.pullRequests.map((pr) => pr.number), ...repo.openedPulls.map((pr) => pr.number)) + 1;
          const pr: FakeOpenedPull = {
            number,
            title: String(input.title),
            body: String(input.body ?? ''),
            head,
            base: String(input.base),
            state: 'open',
            merged: false,
          };
          repo.openedPulls.push(pr);
          return ok(restOpened(pr), 201);
        },
      ],
      [
        'GET',
        /^actions\/workflows\/([^/]+)\/runs$/,
        (m) => {
          const runs = repo.workflowRuns?.[decodeURIComponent(m[1]!)];
          if (!runs) return fail(404, 'Not Found');
          const perPage = Number(req.query.get('per_page') ?? 30);
          const page = Number(req.query.get('page') ?? 1);
          const body = { total_count: runs.length, workflow_runs: runs.slice((page - 1) * perPage, page * perPage) };
          const etag = `W/"${sha(JSON.stringify(body))}"`;
          if (req.headers['if-none-match'] === etag) return { status: 304, headers: { ...this.#rateHeaders('core'), etag } };
          return ok(body, 200, { etag });
        },
      ],
      [
        'GET',
        /^pulls\/(\d+)$/,
        (m) => {
          const pr = pullOf(m[1]!);
          return pr ? ok(restPullRequest(repo, pr)) : fail(404, 'Not Found');
        },
      ],
      [
        'PATCH',
        /^pulls\/(\d+)$/,
        (m) => {
          const pr = pullOf(m[1]!);
          if (!pr) return fail(404, 'Not Found');
          if (input.state === 'closed' && pr.state === 'OPEN') Object.assign(pr, { state: 'CLOSED', closedAt: now, updatedAt: now });
          return ok(restPullRequest(repo, pr));
        },
      ],
      [
        'PUT',
        /^pulls\/(\d+)\/merge$/,
        (m) => {
          const pr = pullOf(m[1]!);
          if (!pr) return fail(404, 'Not Found');
          if (pr.state !== 'OPEN' || pr.mergeable !== 'MERGEABLE') return fail(405, 'Pull Request is not mergeable');
          if (input.sha && input.sha !== pr.headRefOid) return fail(409, 'Head branch was modified. Review and try the merge again.');
          const oid = sha(`merge-${pr.number}-${now}`);
          Object.assign(pr, { state: 'MERGED', mergedAt: now, closedAt: now, updatedAt: now, mergeCommit: { oid } });
          return ok({ sha: oid, merged: true, message: 'Pull Request successfully merged' });
        },
      ],
      [
        'POST',
        /^pulls\/(\d+)\/requested_reviewers$/,
        (m) => {
          const pr = pullOf(m[1]!);
          if (!pr) return fail(404, 'Not Found');
          pr.requestedReviewers = [...new Set([...(pr.requestedReviewers ?? []), ...((input.reviewers as string[]) ?? [])])];
          pr.requestedTeams = [...new Set([...(pr.requestedTeams ?? []), ...((input.team_reviewers as string[]) ?? [])])];
          return ok(restPullRequest(repo, pr), 201);
        },
      ],
      [
        'GET',
        /^issues\/(\d+)\/comments$/,
        (m) => {
          const comments = repo.comments?.[m[1]!] ?? [];
          const perPage = Number(req.query.get('per_page') ?? 30);
          const page = Number(req.query.get('page') ?? 1);
          return ok(comments.slice((page - 1) * perPage, page * perPage));
        },
      ],
      [
        'POST',
        /^issues\/(\d+)\/comments$/,
        (m) => {
          repo.comments ??= {};
          repo.comments[m[1]!] ??= [];
          const comments = repo.comments[m[1]!]!;
          const id = ++this.#ids;
          const comment = {
            id,
            body: String(input.body),
            html_url: `https://github.com/${repo.nameWithOwner}/pull/${m[1]}#issuecomment-${id}`,
            user: { login: 'teamstate-bot', id: 4242 },
          };
          comments.push(comment);
          return ok(comment, 201);
        },
      ],
      [
        'POST',
        /^issues\/(\d+)\/labels$/,
        (m) => {
          const pr = pullOf(m[1]!);
          if (!pr) return fail(404, 'Not Found');
          for (const label of (input.labels as string[]) ?? [])
            if (!pr.labels.some((l) => l.name === label)) pr.labels.push({ name: label });
          pr.updatedAt = now;
          return ok(pr.labels.map(restLabel));
        },
      ],
      [
        'DELETE',
        /^issues\/(\d+)\/labels\/(.+)$/,
        (m) => {
          const pr = pullOf(m[1]!);
          const label = decodeURIComponent(m[2]!);
          if (!pr?.labels.some((l) => l.name === label)) return fail(404, 'Label does not exist');
          pr.labels = pr.labels.filter((l) => l.name !== label);
          pr.updatedAt = now;
          return ok(pr.labels.map(restLabel));
        },
      ],
    ];
    for (const [method, pattern, answer] of routes) {
      const m = pattern.exec(rest);
      if (m && method === req.method) return answer(m);
    }
    return fail(404, 'Not Found');
  }

  /** Answers a fetch `Request` (what msw hands its handlers). */
  async respond(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    const answer = await this.handle({
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text(),
    });
    if (answer.dropped) return HttpResponse.error();
    const responseHeaders = { 'content-type': 'application/json; charset=utf-8', ...answer.headers };
    if (answer.status === 304 || answer.body === undefined)
      return new HttpResponse(null, { status: answer.status, headers: responseHeaders });
    return HttpResponse.json(answer.body as Record<string, unknown>, { status: answer.status, headers: responseHeaders });
  }
}

/** msw handlers that send every request under `origin` to the fake `current()` returns (tests swap fakes). */
export function fakeGitHubHandlers(current: () => FakeGitHub, origin = 'https://api.github.com') {
  return [http.all(`${origin}/*`, ({ request }) => current().respond(request))];
}

function restLabel(label: { name: string }, index: number) {
  return { id: 5_000_000 + index, node_id: `LA_kwDO${index}`, name: label.name, color: 'ededed', default: false, description: null };
}

function restUser(user: FakeUser | null) {
  return user ? { login: user.login, id: user.databaseId, type: user.__typename === 'Bot' ? 'Bot' : 'User' } : null;
}

/** A pull request as `GET /repos/{owner}/{repo}/pulls/{pull_number}` returns it. */
export function restPullRequest(repo: FakeRepository, pr: FakePullRequest) {
  return {
    url: `https://api.github.com/repos/${repo.nameWithOwner}/pulls/${pr.number}`,
    id: pr.databaseId,
    node_id: pr.id,
    html_url: pr.url,
    number: pr.number,
    state: pr.state === 'OPEN' ? 'open' : 'closed',
    locked: false,
    title: pr.title,
    user: restUser(pr.author),
    body: pr.body,
    labels: pr.labels.map(restLabel),
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommit?.oid ?? null,
    requested_reviewers: (pr.requestedReviewers ?? []).map((login, i) => ({ login, id: 7_000 + i, type: 'User' })),
    requested_teams: (pr.requestedTeams ?? []).map((slug, i) => ({ slug, id: 8_000 + i, name: slug })),
    head: { ref: pr.headRefName, sha: pr.headRefOid },
    base: { ref: pr.baseRefName, sha: '0'.repeat(40) },
    draft: pr.isDraft,
    merged: pr.state === 'MERGED',
    mergeable: pr.state !== 'OPEN' ? null : pr.mergeable === 'MERGEABLE' ? true : pr.mergeable === 'CONFLICTING' ? false : null,
    mergeable_state: pr.mergeStateStatus.toLowerCase(),
    additions: pr.additions,
    deletions: pr.deletions,
  };
}
