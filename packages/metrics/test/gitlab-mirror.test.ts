// The same delivery history served as GitHub and as GitLab, each at the network boundary (msw over the two fakes),
// synced by the real connectors into two workspaces: every delivery metric both sources can express has the same
// value, and each is computed over real data (none is null). GitLab has no "changes requested" review, so the
// history's reviews are comments and approvals. Work starts before a pull request opens (its first commit, which
// starts lead time and the coding phase), and some open as drafts marked ready later (time to first review starts
// then). Incidents come from a third source (an on-call tool's bundle, imported into both workspaces) and are
// attributed to each source's deployments.
import { github } from '@teamstate/connectors/github';
import { gitlab } from '@teamstate/connectors/gitlab';
import { type Connector, createTeamState, type MetricResult, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeCheckSuite, FakeDeployment, FakePullRequest, FakeUser, FakeWorld } from '../../connectors/test/github/fake-github.js';
import { GITLAB, GITLAB_TOKEN } from '../../connectors/test/gitlab/fake-gitlab.js';
import { serveMirrored } from '../../connectors/test/gitlab/from-github-world.js';
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

/** March 2026 of one repository: 80 pull requests with reviews and CI, production deployments (some failed), a few hotfixes. */
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
      if (next() < 0.6) reviews.push({ state: 'COMMENTED', submittedAt: iso(firstReview), author: reviewer });
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
    // A third open as drafts: most are marked ready before their first review, a few open ones are still drafts.
    const draft = next() < 0.33;
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

/** The delivery metrics both GitHub and GitLab can express. */
const METRICS = [
  'deployment_frequency',
  'lead_time_for_changes',
  'change_failure_rate',
  'failed_deployment_recovery_time',
  'time_to_restore_service',
  'rework_rate',
  'pr_cycle_time',
  'time_to_first_review',
  'throughput',
  'build_duration',
  'build_success_rate',
];

/** The numbers of a result (its value, numeric details and phase breakdown), without ids or keys that name the source. */
function numbers(result: MetricResult): Record<string, unknown> {
  return Object.fromEntries(Object.entries(result).filter(([k, v]) => v === null || typeof v === 'number' || k === 'breakdown'));
}

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

describe('mirrored delivery history: GitHub and GitLab give the same metric values', () => {
  let fromGitHub: Record<string, MetricResult>;
  let fromGitLab: Record<string, MetricResult>;
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
    const viaGitLab = await workspace([
      gitlab({ token: GITLAB_TOKEN, baseUrl: GITLAB, groups: ['acme'], repositoryTeams: { [REPOSITORY]: 'shop' }, sleep: async () => {} }),
    ]);
    fromGitHub = await viaGitHub.metrics.compute(METRICS, MARCH);
    fromGitLab = await viaGitLab.metrics.compute(METRICS, MARCH);
  });

  it.each(METRICS)('%s', (id) => {
    expect(fromGitHub[id]!.value, `${id} from GitHub`).not.toBeNull();
    expect(numbers(fromGitLab[id]!)).toEqual(numbers(fromGitHub[id]!));
  });

  it('starts lead time and the coding phase at the first commit, and time to first review when a draft was marked ready', () => {
    const phases = (result: MetricResult) => result.breakdown as Record<string, { p50: number | null; count: number }>;
    const merged = fromGitHub.pr_cycle_time!.count as number;
    expect(phases(fromGitHub.pr_cycle_time!).coding!.count).toBe(merged);
    expect(phases(fromGitLab.pr_cycle_time!)).toEqual(phases(fromGitHub.pr_cycle_time!));
    for (const id of ['lead_time_for_changes', 'pr_cycle_time', 'time_to_first_review'])
      for (const p of ['p50', 'p90'] as const) {
        const gh = fromGitHub[id]![p] as number;
        expect(Math.abs((fromGitLab[id]![p] as number) - gh), `${id} ${p}`).toBeLessThanOrEqual(gh * 0.01);
      }
  });

  it('stores the same counts of pull requests, reviews, builds and deployments', async () => {
    const [gh, gl] = open as [TeamState, TeamState];
    const counts = async (ts: TeamState) => {
      const bundle = await ts.export();
      return {
        pullRequests: bundle.workItems.length,
        reviews: bundle.workItems.reduce((n, w) => n + (w.reviews?.length ?? 0), 0),
        builds: bundle.builds.length,
        deployments: bundle.deployments.length,
      };
    };
    expect(await counts(gl)).toEqual(await counts(gh));
    expect((await counts(gh)).builds).toBeGreaterThan(80);
  });
});
