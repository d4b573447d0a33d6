import { describe, expect, it } from 'vitest';
import { at, deployment, hoursBetween, MARCH, metric, open, pullRequest } from './fixtures.js';

describe('lead_time_for_changes', () => {
  it('is null with count 0 when no pull request was deployed in the window', async () => {
    const ts = await open({ workItems: [pullRequest(1, { createdAt: at(1), mergedAt: at(2) })] });
    expect(await metric(ts, 'lead_time_for_changes')).toMatchObject({
      value: null,
      p50: null,
      p90: null,
      count: 0,
      band: null,
      unit: 'hours',
    });
  });

  it('measures deployment finishedAt − (firstCommitAt ?? createdAt) with numpy-linear percentiles', async () => {
    const deployedAt = at(10, 12);
    const leads = [1, 2, 3, 4, 10];
    const ts = await open({
      workItems: leads.map((lead, n) =>
        pullRequest(n + 1, { firstCommitAt: at(10, 12 - lead), createdAt: at(10, 12 - lead + 0.5), mergedAt: at(10, 11.5) }),
      ),
      deployments: [deployment('d', deployedAt)],
    });
    const result = await metric(ts, 'lead_time_for_changes');
    // numpy.percentile([1, 2, 3, 4, 10], [50, 75, 90]) = [3, 4, 7.6]
    expect(result).toMatchObject({ value: 3, p50: 3, p75: 4, count: 5, band: 'elite', benchmarks: '2023' });
    expect(result.p90).toBeCloseTo(7.6, 10);
  });

  it('uses createdAt when there is no firstCommitAt, and reads timestamps with offsets as UTC instants', async () => {
    const ts = await open({
      workItems: [pullRequest(1, { createdAt: '2026-03-05T10:00:00+02:00', mergedAt: '2026-03-05T12:00:00Z' })],
      deployments: [deployment('d', '2026-03-05T20:00:00-03:00')],
    });
    // 2026-03-05T08:00Z → 2026-03-05T23:00Z
    expect((await metric(ts, 'lead_time_for_changes')).value).toBe(15);
  });

  it('maps explicitly listed PRs to their list and the rest to the first later production deployment without a list', async () => {
    const ts = await open({
      workItems: [
        pullRequest(1, { createdAt: at(1), mergedAt: at(2) }), // listed on "release" (day 6) although "d3" came first
        pullRequest(2, { createdAt: at(1), mergedAt: at(2) }), // heuristic: first unlisted production deployment at or after the merge
        pullRequest(3, { createdAt: at(3), mergedAt: at(3) }), // merged exactly when d3 finished: d3 deploys it
        pullRequest(4, { createdAt: at(3), mergedAt: at(3, 1) }), // staging and failed production deployments do not deploy
        pullRequest(5, { createdAt: at(3), mergedAt: at(20) }), // never deployed
        pullRequest(6, { createdAt: at(3), mergedAt: at(3, 2), repository: 'acme/web' }), // other repository's deployments only
      ],
      deployments: [
        deployment('d3', at(3)),
        deployment('staging', at(4), { environment: 'staging' }),
        deployment('failed', at(4, 1), { status: 'failure' }),
        deployment('release', at(6), { pullRequests: ['pr-acme/api-1'] }),
        deployment('d7', at(7)),
        deployment('web', at(8), { repository: 'acme/web' }),
      ],
    });
    const explanation = await ts.metrics.explain('lead_time_for_changes', MARCH);
    expect(explanation.rows.map((row) => [row.pullRequest, row.deployment, row.mapping, row.leadTimeHours])).toEqual([
      ['acme/api#2', 'd3', 'heuristic', 48],
      ['acme/api#3', 'd3', 'heuristic', 0],
      ['acme/api#1', 'release', 'list', 120],
      ['acme/api#4', 'd7', 'heuristic', 96],
      ['acme/web#6', 'web', 'heuristic', 120],
    ]);
    expect(explanation.result).toMatchObject({ value: 96, count: 5 });
    expect(explanation.warnings).toEqual([
      expect.stringMatching(/^1 pull request\(s\) merged in the window were never deployed to production: acme\/api#5$/),
    ]);

    const payments = await metric(ts, 'lead_time_for_changes', { team: 'payments' });
    expect(payments).toMatchObject({ count: 4, value: 72 });
  });

  it('counts a PR in the window of its deploying deployment, wherever its merge falls', async () => {
    const ts = await open({
      workItems: [
        pullRequest(1, { createdAt: '2026-02-20T00:00:00Z', mergedAt: '2026-02-27T00:00:00Z' }),
        pullRequest(2, { createdAt: at(30), mergedAt: at(31, 20) }),
      ],
      deployments: [deployment('first', MARCH.from), deployment('april', MARCH.to)],
    });
    const explanation = await ts.metrics.explain('lead_time_for_changes', MARCH);
    expect(explanation.rows.map((row) => row.pullRequest)).toEqual(['acme/api#1']);
    expect(explanation.result.value).toBe(hoursBetween('2026-02-20T00:00:00Z', MARCH.from));
  });

  it('gives a PR listed on several production deployments to the first one, and breaks finish-time ties by id', async () => {
    const ts = await open({
      workItems: [pullRequest(1, { createdAt: at(1), mergedAt: at(2) }), pullRequest(2, { createdAt: at(1), mergedAt: at(2) })],
      deployments: [
        deployment('again', at(9), { pullRequests: ['pr-acme/api-1'] }),
        deployment('once', at(5), { pullRequests: ['pr-acme/api-1'] }),
        deployment('tie-b', at(4)),
        deployment('tie-a', at(4)),
      ],
    });
    const explanation = await ts.metrics.explain('lead_time_for_changes', MARCH);
    expect(explanation.rows.map((row) => [row.pullRequest, row.deployment])).toEqual([
      ['acme/api#2', 'tie-a'],
      ['acme/api#1', 'once'],
    ]);
  });

  it("scopes by the PR: a team PR listed on another team's deployment counts for the PR's team", async () => {
    const ts = await open({
      workItems: [
        pullRequest(1, { createdAt: at(1), mergedAt: at(2) }),
        pullRequest(2, { createdAt: at(1), mergedAt: at(2), repository: 'acme/web', author: 'cy' }),
        pullRequest(3, { createdAt: at(2), mergedAt: at(3) }),
      ],
      deployments: [
        deployment('web-release', at(4), { repository: 'acme/web', pullRequests: ['pr-acme/api-1', 'pr-acme/web-2'] }),
        deployment('api', at(5)),
      ],
    });
    const payments = await ts.metrics.explain('lead_time_for_changes', { ...MARCH, team: 'payments' });
    expect(payments.rows.map((row) => [row.pullRequest, row.deployment, row.leadTimeHours])).toEqual([
      ['acme/api#1', 'web-release', 72],
      ['acme/api#3', 'api', 72],
    ]);
    const growth = await ts.metrics.explain('lead_time_for_changes', { ...MARCH, team: 'growth' });
    expect(growth.rows.map((row) => [row.pullRequest, row.deployment])).toEqual([['acme/web#2', 'web-release']]);
    expect((await metric(ts, 'lead_time_for_changes')).count).toBe(3);
  });

  it('filters by person (author or assignee)', async () => {
    const ts = await open({
      workItems: [
        pullRequest(1, { createdAt: at(1), mergedAt: at(2), author: 'ben' }),
        pullRequest(2, { createdAt: at(1, 12), mergedAt: at(2), author: 'ana', assignees: ['ben'] }),
        pullRequest(3, { createdAt: at(2), mergedAt: at(2), author: 'ana' }),
      ],
      deployments: [deployment('d', at(3))],
    });
    expect(await metric(ts, 'lead_time_for_changes', { person: 'ben' })).toMatchObject({ count: 2, value: 42 });
  });
});
