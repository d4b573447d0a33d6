// The same delivery history served as GitHub and as GitLab, each at the network boundary (msw over the two fakes),
// synced by the real connectors into two workspaces: every delivery metric both sources can express has the same
// value, and each is computed over real data (none is null). GitLab has no "changes requested" review, so the
// history's reviews are comments and approvals. Work starts before a pull request opens (its first commit, which
// starts lead time and the coding phase), and some open as drafts marked ready later (time to first review starts
// then). Incidents come from a third source (an on-call tool's bundle, imported into both workspaces) and are
// attributed to each source's deployments.
import { gitlab } from '@teamstate/connectors/gitlab';
import type { MetricResult, TeamState } from '@teamstate/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GITLAB, GITLAB_TOKEN } from '../../connectors/test/gitlab/fake-gitlab.js';
import { serveMirrored } from '../../connectors/test/gitlab/from-github-world.js';
import { history, mirroredWorkspaces, REPOSITORY } from './helpers/mirrored-history.js';

const NOW = new Date('2026-04-02T00:00:00Z');
const MARCH = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

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

const served = serveMirrored(history(20260301, { firstReview: 'COMMENTED', markedReady: true }), () => NOW);
const { open, workspace, github } = mirroredWorkspaces(served.server, NOW);

describe('mirrored delivery history: GitHub and GitLab give the same metric values', () => {
  let fromGitHub: Record<string, MetricResult>;
  let fromGitLab: Record<string, MetricResult>;
  beforeAll(async () => {
    const viaGitHub = await workspace([github()]);
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
