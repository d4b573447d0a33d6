// The same delivery history served as GitHub and as Bitbucket Cloud, each at the network boundary (msw over the two
// fakes), synced by the real connectors into two workspaces: deployment frequency, lead time, change failure rate,
// PR cycle time and review counts agree within 1 %, each computed over real data. Bitbucket's reviews are approvals
// and requests for changes (a comment is not a review), so the history's reviews are those. Deployments ship the main
// branch as cut hours before they start, so most ship several pull requests and some merged just before a deployment
// ship with the next one: both sources map a deployment to the pull requests merged into its commit range (from the
// previous successful deployment's commit), which a mapping by merge time would get wrong.
import { bitbucket } from '@teamstate/connectors/bitbucket';
import type { MetricResult, TeamState } from '@teamstate/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BITBUCKET, BITBUCKET_TOKEN } from '../../connectors/test/bitbucket/fake-bitbucket.js';
import { serveMirrored } from '../../connectors/test/bitbucket/from-github-world.js';
import { history, mirroredWorkspaces, REPOSITORY } from './helpers/mirrored-history.js';

const NOW = new Date('2026-04-02T00:00:00Z');
const MARCH = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

/** The delivery metrics the task pins for Bitbucket. */
const METRICS = [
  'deployment_frequency',
  'lead_time_for_changes',
  'change_failure_rate',
  'pr_cycle_time',
  'time_to_first_review',
  'throughput',
];

const served = serveMirrored(history(20260301, { firstReview: 'CHANGES_REQUESTED', markedReady: false, releaseCutHours: 6 }), () => NOW);
const { open, workspace, github } = mirroredWorkspaces(served.server, NOW);

const within = (actual: unknown, expected: unknown) => {
  if (typeof expected !== 'number' || typeof actual !== 'number') return actual === expected;
  return Math.abs(actual - expected) <= Math.abs(expected) * 0.01;
};

describe('mirrored delivery history: GitHub and Bitbucket give the same metric values', () => {
  let fromGitHub: Record<string, MetricResult>;
  let fromBitbucket: Record<string, MetricResult>;
  beforeAll(async () => {
    const viaGitHub = await workspace([github(true)]);
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

  it('maps each deployment to the pull requests of its commit range, as GitHub does', async () => {
    const [gh, bb] = open as [TeamState, TeamState];
    // Deployment → pull request numbers, keyed by the deployed commit and finish time (ids differ by source).
    const shipped = async (ts: TeamState) =>
      Object.fromEntries(
        (await ts.export()).deployments.map((d) => [
          `${d.sha} ${d.finishedAt} ${d.environment}`,
          d.pullRequests?.map((id) => Number(id.split('#').at(-1))).sort((a, b) => a - b) ?? null,
        ]),
      );
    const fromGitHubLists = await shipped(gh);
    expect(Object.values(fromGitHubLists).filter((list) => (list?.length ?? 0) >= 2).length).toBeGreaterThan(3);
    expect(await shipped(bb)).toEqual(fromGitHubLists);
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

  it('stores a deployment added since, with the pull requests of its range, reading no other range', async () => {
    const bb = open[1] as TeamState;
    const repository = served.bitbucket.repository('shop')!;
    const production = repository.environments.find((e) => e.environment_type.name === 'Production')!;
    const [head] = repository.commits!;
    const previous = (await bb.export()).deployments
      .filter((d) => d.environment === 'production' && d.status === 'success')
      .sort((a, b) => a.finishedAt.localeCompare(b.finishedAt))
      .at(-1)!;
    const shipped = repository.commits!.slice(
      0,
      repository.commits!.findIndex((c) => c.hash === previous.sha),
    );
    expect(shipped.length).toBeGreaterThan(1);
    repository.deployments.push({
      uuid: '{5e1f0000-0000-4000-8000-00000000d001}',
      environment: { uuid: production.uuid },
      state: {
        name: 'COMPLETED',
        status: { name: 'SUCCESSFUL' },
        started_on: '2026-04-01T10:00:00Z',
        completed_on: '2026-04-01T10:20:00Z',
      },
      release: { commit: { hash: head!.hash }, created_on: '2026-04-01T09:59:00Z' },
    });
    const before = served.bitbucket.requests.length;
    expect((await bb.sync()).ok).toBe(true);
    const ranges = served.bitbucket.requests.slice(before).filter((r) => r.path.includes('/commits/'));
    expect(ranges.map((r) => [r.path, r.search.get('exclude')])).toEqual([[`/repositories/acme/shop/commits/${head!.hash}`, previous.sha]]);
    const added = (await bb.export()).deployments.find((d) => d.id.endsWith('5e1f0000-0000-4000-8000-00000000d001'))!;
    const numbers = shipped.map((c) => Number(/#(\d+)\)/.exec(c.message ?? '')?.[1]));
    expect(added.pullRequests).toEqual(numbers.map((n) => `bb-pr-acme/shop#${n}`).sort());
  });
});
