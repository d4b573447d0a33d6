// One repository's delivery history in March 2026, as a GitHub world (the fakes of the connectors' tests), and the
// incidents of an on-call tool: served as GitHub and as another source by the mirror tests, which compare the metrics.
import { github } from '@teamstate/connectors/github';
import { type Connector, createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { FakeCheckSuite, FakeDeployment, FakePullRequest, FakeUser, FakeWorld } from '../../../connectors/test/github/fake-github.js';
import { builtinMetrics } from '../../src/index.js';

export const HOUR = 3_600_000;
export const REPOSITORY = 'acme/shop';

/** A small deterministic generator (mulberry32). */
export function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hex = (n: number, salt: string) => `${salt}${n.toString(16)}`.padEnd(40, '0').slice(0, 40);

/** How the mirrored history differs for the source it is served as. */
export interface HistoryOptions {
  /** The first of two reviews: GitLab has no "changes requested", Bitbucket's reviews are approvals and change requests. */
  firstReview: 'COMMENTED' | 'CHANGES_REQUESTED';
  /** Drafts marked ready for review before their first review (GitLab), or only open ones still drafts (Bitbucket). */
  markedReady: boolean;
  /**
   * Deployments ship the main branch as it was this many hours before they start (a release cut), so the merge
   * commits of the pull requests merged in between ship with the next one: the repository gets a linear history of
   * merge commits and each deployment's commit is one of them. Without it, deployments name unrelated commits.
   */
  releaseCutHours?: number;
}

/**
 * March 2026 of one repository: 80 pull requests with reviews and CI, production deployments (some failed), a few
 * hotfixes. The same seed and options give the same history.
 */
export function history(seed: number, options: HistoryOptions): FakeWorld {
  const next = random(seed);
  const users: FakeUser[] = ['ana', 'ben', 'cy', 'dee', 'eli'].map((login, i) => ({
    __typename: 'User',
    login,
    databaseId: 500 + i,
    name: login.toUpperCase(),
    email: `${login}@acme.example`,
  }));
  const start = Date.parse('2026-03-01T08:00:00Z');
  const pullRequests: FakePullRequest[] = [];
  for (let n = 1; n <= 80; n++) {
    const created = start + Math.floor(next() * 27 * 24) * HOUR + Math.floor(next() * 60) * 60_000;
    const author = users[n % users.length]!;
    const reviewer = users[(n + 1 + Math.floor(next() * 3)) % users.length]!;
    const roll = next();
    const state: FakePullRequest['state'] = roll < 0.8 ? 'MERGED' : roll < 0.9 ? 'CLOSED' : 'OPEN';
    const firstReview = created + (1 + Math.floor(next() * 30)) * HOUR;
    const approved = firstReview + Math.floor(next() * 20) * HOUR;
    const done = approved + (1 + Math.floor(next() * 10)) * HOUR;
    const reviews: FakePullRequest['reviews'] = [];
    if (next() < 0.85) {
      if (next() < 0.6) reviews.push({ state: options.firstReview, submittedAt: iso(firstReview), author: reviewer });
      reviews.push({ state: 'APPROVED', submittedAt: iso(approved), author: reviewer });
    }
    const head = hex(n, 'ab');
    const ciAt = created + 20 * 60_000;
    const run = (id: number, name: string, at: number, minutes: number, ok: boolean) => ({
      id: `CR_${n}_${id}`,
      name,
      status: 'COMPLETED' as const,
      conclusion: ok ? ('SUCCESS' as const) : ('FAILURE' as const),
      startedAt: iso(at),
      completedAt: iso(at + minutes * 60_000),
    });
    const flaky = next() < 0.15;
    const suite: FakeCheckSuite = {
      id: `CS_${n}`,
      status: 'COMPLETED',
      conclusion: 'SUCCESS',
      createdAt: iso(ciAt),
      updatedAt: iso(ciAt + HOUR),
      app: { name: 'GitHub Actions' },
      workflowRun: { id: `WFR_${n}`, runNumber: n, workflow: { name: 'CI' } },
      checkRuns: [
        run(1, 'lint', ciAt, 1 + Math.floor(next() * 3), true),
        ...(flaky
          ? [run(2, 'test', ciAt, 7, false), run(3, 'test', ciAt + 15 * 60_000, 6 + Math.floor(next() * 4), true)]
          : [run(2, 'test', ciAt, 5 + Math.floor(next() * 10), next() < 0.9)]),
      ],
    };
    const closedAt = state === 'OPEN' ? null : iso(done);
    // Coding starts hours to two days before the pull request opens, over one to three commits.
    const codingHours = 1 + Math.floor(next() * 48);
    const commitCount = 1 + Math.floor(next() * 3);
    const commits = Array.from({ length: commitCount }, (_, i) => ({
      commit: {
        authoredDate: iso(created - codingHours * HOUR + Math.floor((i * codingHours * HOUR) / commitCount)),
        message: `Step ${i + 1}`,
      },
    }));
    // A third open as drafts: most are marked ready before their first review, a few open ones are still drafts
    // (without markedReady: only a few open ones are drafts).
    const draft = options.markedReady ? next() < 0.33 : state === 'OPEN' && next() < 0.33;
    const stillDraft = draft && state === 'OPEN';
    const timelineItems: FakePullRequest['timelineItems'] =
      draft && !stillDraft
        ? [{ __typename: 'ReadyForReviewEvent', createdAt: iso(created + Math.floor((firstReview - created) / 2 / HOUR) * HOUR) }]
        : [];
    pullRequests.push({
      __typename: 'PullRequest',
      id: `PR_${n}`,
      databaseId: 9000 + n,
      number: n,
      title: n % 13 === 0 ? `Revert "change ${n - 1}"` : `Change ${n}`,
      body: `Change ${n}.`,
      url: `https://github.com/${REPOSITORY}/pull/${n}`,
      state,
      isDraft: stillDraft,
      createdAt: iso(created),
      updatedAt: iso(state === 'OPEN' ? approved : done),
      mergedAt: state === 'MERGED' ? iso(done) : null,
      closedAt,
      additions: 10,
      deletions: 2,
      headRefOid: head,
      baseRefName: 'main',
      headRefName: `change-${n}`,
      mergeable: 'MERGEABLE',
      mergeStateStatus: 'CLEAN',
      mergeCommit: state === 'MERGED' ? { oid: hex(n, 'cd') } : null,
      author,
      labels: n % 11 === 0 ? [{ name: 'hotfix' }] : [{ name: 'backend' }],
      assignees: [author],
      reviews,
      commits,
      timelineItems,
      checkSuites: [suite],
    });
  }
  const deployments: FakeDeployment[] = [];
  for (let d = 1; d <= 24; d++) {
    const at = start + d * 27 * HOUR + Math.floor(next() * 5) * HOUR;
    const failed = next() < 0.2;
    const finished = at + (5 + Math.floor(next() * 20)) * 60_000;
    const environment = d % 6 === 0 ? 'staging' : 'production';
    deployments.push({
      __typename: 'Deployment',
      id: `DE_${d}`,
      databaseId: 70_000 + d,
      environment,
      createdAt: iso(at),
      updatedAt: iso(finished),
      commitOid: hex(d, 'ef'),
      state: failed ? 'FAILURE' : 'ACTIVE',
      latestStatus: { state: failed ? 'FAILURE' : 'SUCCESS', createdAt: iso(finished) },
      statuses: [
        { state: 'IN_PROGRESS', createdAt: iso(at + 60_000) },
        { state: failed ? 'FAILURE' : 'SUCCESS', createdAt: iso(finished) },
      ],
    });
  }
  const commits = mainline(pullRequests, deployments, options.releaseCutHours);
  pullRequests.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  return {
    organizations: [],
    repositories: [
      {
        nameWithOwner: REPOSITORY,
        isArchived: false,
        pullRequests,
        deployments,
        releases: [],
        issues: [],
        commits,
      },
    ],
  };
}

/**
 * The main branch, oldest first: a root commit, then each merged pull request's merge commit in merge order. With a
 * release cut, each deployment's commit becomes the newest merge commit at least `cutHours` before it started.
 */
function mainline(pullRequests: readonly FakePullRequest[], deployments: FakeDeployment[], cutHours?: number) {
  const root = { oid: hex(0, 'aa') };
  if (cutHours === undefined) return [root];
  const merged = pullRequests
    .flatMap((pr) => (pr.mergedAt && pr.mergeCommit ? [{ at: Date.parse(pr.mergedAt), oid: pr.mergeCommit.oid, number: pr.number }] : []))
    .sort((a, b) => a.at - b.at || a.number - b.number);
  for (const deployment of deployments) {
    const cut = Date.parse(deployment.createdAt) - cutHours * HOUR;
    deployment.commitOid = merged.filter((m) => m.at <= cut).at(-1)?.oid ?? root.oid;
  }
  return [root, ...merged.map((m) => ({ oid: m.oid, pullRequest: m.number }))];
}

/** Incidents of the repository from an on-call tool, the same in both workspaces. */
export function incidents(seed: number) {
  const next = random(seed);
  return Array.from({ length: 8 }, (_, i) => {
    const created = Date.parse('2026-03-02T00:00:00Z') + Math.floor(next() * 26 * 24) * HOUR;
    return {
      id: `pd-INC${i}`,
      title: `Checkout errors ${i}`,
      createdAt: iso(created),
      resolvedAt: iso(created + (1 + Math.floor(next() * 8)) * HOUR),
      repository: REPOSITORY,
    };
  });
}

/**
 * The workspaces of a mirror test, one a source, each synced from `server` (started before the file's tests, closed
 * after them with the workspaces) and given the same incidents: `workspace(connectors)` makes one, `github()` is the
 * GitHub side's connector.
 */
export function mirroredWorkspaces(server: { listen(options: { onUnhandledFrame: 'error' }): void; close(): void }, now: Date) {
  const open: TeamState[] = [];
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(async () => {
    for (const ts of open) await ts.close();
    server.close();
  });
  return {
    open,
    async workspace(connectors: Connector[]) {
      const ts = await createTeamState({ database: ':memory:', connectors, metrics: builtinMetrics, clock: () => now });
      open.push(ts);
      const result = await ts.sync();
      expect(result.ok, JSON.stringify(result)).toBe(true);
      await ts.import({ format: 'teamstate.bundle/v1', incidents: incidents(7) });
      return ts;
    },
    /** The GitHub side; `mapPullRequests` maps deployments to pull requests by commit range (by time otherwise). */
    github: (mapPullRequests = false) =>
      github({
        token: 'ghp_mirror',
        repositories: [REPOSITORY],
        teamOfRepository: { [REPOSITORY]: 'shop' },
        configuredTeams: [{ id: 'shop', name: 'Shop' }],
        deployments: { mapPullRequests },
        sleep: async () => {},
      }),
  };
}
