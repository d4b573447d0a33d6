// The same delivery history served as GitHub and as Bitbucket Cloud, each at the network boundary (msw over the two
// fakes), synced by the real connectors into two workspaces: deployment frequency, lead time, change failure rate,
// PR cycle time and review counts agree within 1 %, each computed over real data. Bitbucket's reviews are approvals
// and requests for changes (a comment is not a review), so the history's reviews are those.
import { bitbucket } from '@teamstate/connectors/bitbucket';
import { github } from '@teamstate/connectors/github';
import { type Connector, createTeamState, type MetricResult, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BITBUCKET, BITBUCKET_TOKEN } from '../../connectors/test/bitbucket/fake-bitbucket.js';
import { serveMirrored } from '../../connectors/test/bitbucket/from-github-world.js';
import type { FakeCheckSuite, FakeDeployment, FakePullRequest, FakeUser, FakeWorld } from '../../connectors/test/github/fake-github.js';
import { builtinMetrics } from '../src/index.js';

const NOW = new Date('2026-04-02T00:00:00Z');
const MARCH = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
const HOUR = 3_600_000;
const REPOSITORY = 'acme/shop';

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hex = (n: number, salt: string) => `${salt}${n.toString(16)}`.padEnd(40, '0').slice(0, 40);

/** March 2026 of one repository: 80 pull requests with reviews (changes requested, approvals) and CI, production deployments (some failed), a few hotfixes. */
function history(seed: number): FakeWorld {
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
      if (next() < 0.6) reviews.push({ state: 'CHANGES_REQUESTED', submittedAt: iso(firstReview), author: reviewer });
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
    // A few open ones are drafts.
    const stillDraft = state === 'OPEN' && next() < 0.33;
    const timelineItems: FakePullRequest['timelineItems'] = [];
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
        commits: [{ oid: hex(0, 'aa') }],
      },
    ],
  };
}

/** Incidents of the repository from an on-call tool, the same in both workspaces. */
function incidents(seed: number) {
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

/** The delivery metrics the task pins for Bitbucket. */
const METRICS = [
  'deployment_frequency',
  'lead_time_for_changes',
  'change_failure_rate',
  'pr_cycle_time',
  'time_to_first_review',
  'throughput',
];

const served = serveMirrored(history(20260301), () => NOW);
const open: TeamState[] = [];
beforeAll(() => served.server.listen({ onUnhandledFrame: 'error' }));
afterAll(async () => {
  for (const ts of open) await ts.close();
  served.server.close();
});

async function workspace(connector: Connector[]) {
  const ts = await createTeamState({ database: ':memory:', connectors: connector, metrics: builtinMetrics, clock: () => NOW });
  open.push(ts);
  const result = await ts.sync();
  expect(result.ok, JSON.stringify(result)).toBe(true);
  await ts.import({ format: 'teamstate.bundle/v1', incidents: incidents(7) });
  return ts;
}

const within = (actual: unknown, expected: unknown) => {
  if (typeof expected !== 'number' || typeof actual !== 'number') return actual === expected;
  return Math.abs(actual - expected) <= Math.abs(expected) * 0.01;
};

describe('mirrored delivery history: GitHub and Bitbucket give the same metric values', () => {
  let fromGitHub: Record<string, MetricResult>;
  let fromBitbucket: Record<string, MetricResult>;
  beforeAll(async () => {
    const viaGitHub = await workspace([
      github({
        token: 'ghp_mirror',
        repositories: [REPOSITORY],
        teamOfRepository: { [REPOSITORY]: 'shop' },
        configuredTeams: [{ id: 'shop', name: 'Shop' }],
        deployments: { mapPullRequests: false },
        sleep: async () => {},
      }),
    ]);
    const viaBitbucket = await workspace([
      bitbucket({
        token: BITBUCKET_TOKEN,
        baseUrl: BITBUCKET,
        workspace: 'acme',
        repositories: ['shop'],
        repositoryTeams: { [REPOSITORY]: 'shop' },
        sleep: async () => {},
      }),
    ]);
    fromGitHub = await viaGitHub.metrics.compute(METRICS, MARCH);
    fromBitbucket = await viaBitbucket.metrics.compute(METRICS, MARCH);
  });

  it.each(METRICS)('%s agrees within 1 %%', (id) => {
    expect(fromGitHub[id]!.value, `${id} from GitHub`).not.toBeNull();
    for (const field of ['value', 'p50', 'p90', 'count'] as const) {
      const gh = (fromGitHub[id] as Record<string, unknown>)[field];
      const bb = (fromBitbucket[id] as Record<string, unknown>)[field];
      expect(within(bb, gh), `${id} ${field}: Bitbucket ${bb}, GitHub ${gh}`).toBe(true);
    }
  });

  it('has the same PR cycle time phases, starting the coding phase at the first commit', () => {
    const phases = (result: MetricResult) => result.breakdown as Record<string, { p50: number | null; count: number }>;
    expect(phases(fromBitbucket.pr_cycle_time!)).toEqual(phases(fromGitHub.pr_cycle_time!));
  });

  it('stores the same counts of pull requests, reviews and deployments', async () => {
    const [gh, bb] = open as [TeamState, TeamState];
    const counts = async (ts: TeamState) => {
      const bundle = await ts.export();
      return {
        pullRequests: bundle.workItems.length,
        reviews: bundle.workItems.reduce((n, w) => n + (w.reviews?.length ?? 0), 0),
        approvals: bundle.workItems.reduce((n, w) => n + (w.reviews?.filter((r) => r.state === 'approved').length ?? 0), 0),
        deployments: bundle.deployments.length,
      };
    };
    expect(await counts(bb)).toEqual(await counts(gh));
    expect((await counts(gh)).reviews).toBeGreaterThan(50);
  });

  it('re-syncs an unchanged organisation with at most one counted request per repository', async () => {
    const bb = open[1] as TeamState;
    const before = served.bitbucket.counted();
    const result = await bb.sync();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(served.bitbucket.counted() - before).toBeLessThanOrEqual(1);
    expect(served.bitbucket.requests.slice(-3).map((r) => r.status)).toContain(304);
  });
});
