import { describe, expect, it } from 'vitest';
import { at, deployment, MARCH, metric, open, pullRequest } from './fixtures.js';

describe('deployment_frequency', () => {
  it('is null with count 0 when there are no production deployments', async () => {
    const ts = await open({ deployments: [deployment('staging-1', at(5), { environment: 'staging' })] });
    expect(await metric(ts, 'deployment_frequency')).toMatchObject({ value: null, count: 0, band: null, unit: 'deployments/day' });
  });

  it('counts successful production deployments finishing in the half-open window, per window day', async () => {
    const ts = await open({
      deployments: [
        deployment('on-from', MARCH.from),
        deployment('d10a', at(10, 9)),
        deployment('d10b', at(10, 23)),
        deployment('upper-case-env', at(20), { environment: 'Prod' }),
        deployment('offset-inside', '2026-04-01T00:30:00+01:00'), // 2026-03-31T23:30Z
        deployment('offset-outside', '2026-03-31T23:30:00-02:00'), // 2026-04-01T01:30Z
        deployment('on-to', MARCH.to),
        deployment('staging', at(11), { environment: 'staging' }),
        deployment('failed', at(12), { status: 'failure' }),
        deployment('errored', at(12), { status: 'error' }),
        deployment('other-team', at(13), { repository: 'acme/web' }),
      ],
    });
    const all = await metric(ts, 'deployment_frequency');
    expect(all).toMatchObject({ count: 6, deployDays: 5, windowDays: 31 });
    expect(all.value).toBeCloseTo(6 / 31, 10);
    expect(all.deployDaysPerWeek).toBeCloseTo(5 / (31 / 7), 10);
    // 0.19/day: between weekly and daily → high (2023).
    expect(all.band).toBe('high');

    const payments = await metric(ts, 'deployment_frequency', { team: 'payments' });
    expect(payments.count).toBe(5);
    const web = await metric(ts, 'deployment_frequency', { repository: 'acme/web' });
    expect(web.count).toBe(1);
  });

  it('scopes to a person through the pull requests a deployment ships', async () => {
    const ts = await open({
      workItems: [
        pullRequest(1, { createdAt: at(1), mergedAt: at(2), author: 'ana' }),
        pullRequest(2, { createdAt: at(1), mergedAt: at(5), author: 'ben' }),
        pullRequest(3, { createdAt: at(1), mergedAt: at(7), author: 'cy', assignees: ['ben'] }),
      ],
      deployments: [
        deployment('d3', at(3)),
        deployment('d6', at(6)),
        deployment('d8', at(8)),
        deployment('listed', at(9), { pullRequests: [] }),
      ],
    });
    expect((await metric(ts, 'deployment_frequency', { person: 'ana' })).count).toBe(1);
    expect((await metric(ts, 'deployment_frequency', { person: 'ben' })).count).toBe(2);
  });

  it('uses the configured production environment patterns and DORA table', async () => {
    const ts = await open(
      { deployments: [deployment('eu', at(3), { environment: 'prod-eu' }), deployment('plain', at(4), { environment: 'production' })] },
      { productionEnvironments: ['prod-*'], doraBenchmarks: '2021' },
    );
    const result = await metric(ts, 'deployment_frequency');
    // 1 deployment in 31 days is less than monthly: medium in the 2021 table.
    expect(result).toMatchObject({ count: 1, benchmarks: '2021', band: 'medium' });
  });

  it('gives a weekly series with Monday-aligned UTC buckets clipped to the window', async () => {
    const ts = await open({
      deployments: [deployment('a', at(1, 12)), deployment('b', at(2)), deployment('c', at(3)), deployment('d', at(31, 23))],
    });
    const result = await ts.metrics.compute(['deployment_frequency'], { ...MARCH, granularity: 'week' });
    const series = result.deployment_frequency!.series as { from: string; to: string; count: number; value: number | null }[];
    // 2026-03-01 is a Sunday: the first bucket is that one day, then Monday-to-Monday weeks, the last clipped at April 1.
    expect(series.map((point) => [point.from, point.to, point.count])).toEqual([
      ['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', 1],
      ['2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z', 2],
      ['2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z', 0],
      ['2026-03-16T00:00:00.000Z', '2026-03-23T00:00:00.000Z', 0],
      ['2026-03-23T00:00:00.000Z', '2026-03-30T00:00:00.000Z', 0],
      ['2026-03-30T00:00:00.000Z', '2026-04-01T00:00:00.000Z', 1],
    ]);
    expect(series[0]!.value).toBe(1);
    expect(series[1]!.value).toBeCloseTo(2 / 7, 10);
    expect(series[2]!.value).toBeNull();
    expect(result.deployment_frequency!.count).toBe(4);
  });

  it('explains which deployments counted and warns about deployments that ship no pull request', async () => {
    const ts = await open({
      workItems: [pullRequest(1, { createdAt: at(1), mergedAt: at(2) }), pullRequest(2, { createdAt: at(1), mergedAt: at(2, 1) })],
      deployments: [deployment('d3', at(3)), deployment('d4', at(4)), deployment('listed', at(5), { pullRequests: ['pr-acme/api-2'] })],
    });
    const explanation = await ts.metrics.explain('deployment_frequency', MARCH);
    expect(explanation.rows).toEqual([
      {
        deployment: 'd3',
        repository: 'acme/api',
        environment: 'production',
        finishedAt: at(3),
        mapping: 'heuristic',
        pullRequests: ['acme/api#1'],
      },
      { deployment: 'd4', repository: 'acme/api', environment: 'production', finishedAt: at(4), mapping: 'heuristic', pullRequests: [] },
      {
        deployment: 'listed',
        repository: 'acme/api',
        environment: 'production',
        finishedAt: at(5),
        mapping: 'list',
        pullRequests: ['acme/api#2'],
      },
    ]);
    expect(explanation.warnings).toEqual([expect.stringMatching(/^1 production deployment\(s\) .* deploy no pull request.*: d4$/)]);
  });
});
