import { describe, expect, it } from 'vitest';
import { at, deployment, incident, MARCH, metric, open } from './fixtures.js';

describe('change_failure_rate', () => {
  it('is null without production deployments in the window', async () => {
    const ts = await open({
      deployments: [deployment('s', at(2), { environment: 'staging' })],
      incidents: [incident('i', at(3), { deployment: 's' })],
    });
    expect(await metric(ts, 'change_failure_rate')).toMatchObject({ value: null, failed: 0, total: 0, band: null, unit: 'ratio' });
  });

  it('counts production deployments in the window with at least one attributed incident, explicit or by time', async () => {
    const ts = await open({
      deployments: [
        deployment('d5', at(5)),
        deployment('d10', at(10)),
        deployment('staging', at(12), { environment: 'staging' }),
        deployment('failed', at(13), { status: 'failure' }),
        deployment('d20', at(20)),
        deployment('d25', at(25)),
        deployment('web', at(26), { repository: 'acme/web' }),
        deployment('february', '2026-02-27T00:00:00Z'),
      ],
      incidents: [
        incident('named-later', '2026-04-10T00:00:00Z', { deployment: 'd20', resolvedAt: '2026-04-11T00:00:00Z' }), // any incident, whenever created
        incident('by-time', at(14), { repository: 'acme/api' }), // latest production deployment at or before: d10 (not staging, not failed); unresolved counts
        incident('at-finish', at(25), { repository: 'acme/api' }), // finished at or before: d25 itself
        incident('no-repository', at(6)), // not attributed
        incident('staging-named', at(12, 1), { deployment: 'staging' }), // a non-production deployment
        incident('before-window', '2026-02-28T00:00:00Z', { repository: 'acme/api' }), // → february, outside the window
      ],
    });
    const all = await metric(ts, 'change_failure_rate');
    expect(all).toMatchObject({ failed: 3, total: 5, value: 0.6, band: 'low' });

    const explanation = await ts.metrics.explain('change_failure_rate', MARCH);
    expect(explanation.rows.map((row) => [row.deployment, row.failed, row.incidents])).toEqual([
      ['d5', false, []],
      ['d10', true, ['by-time']],
      ['d20', true, ['named-later']],
      ['d25', true, ['at-finish']],
      ['web', false, []],
    ]);
    expect(explanation.warnings).toEqual([
      expect.stringMatching(/^1 incident\(s\) created in the window have neither a repository nor a deployment.*: no-repository$/),
    ]);

    expect(await metric(ts, 'change_failure_rate', { team: 'payments' })).toMatchObject({ failed: 3, total: 4, value: 0.75 });
    expect(await metric(ts, 'change_failure_rate', { team: 'growth' })).toMatchObject({ failed: 0, total: 1, value: 0, band: 'elite' });
  });

  it('attributes an incident to the latest of two production deployments finishing at the same instant (larger id)', async () => {
    const ts = await open({
      deployments: [deployment('a', at(4)), deployment('b', at(4)), deployment('c', at(8))],
      incidents: [incident('i', at(6), { repository: 'acme/api' })],
    });
    const explanation = await ts.metrics.explain('change_failure_rate', MARCH);
    expect(explanation.rows.map((row) => [row.deployment, row.failed])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
    ]);
  });

  it('classifies with the 2021 table when configured', async () => {
    const ts = await open(
      {
        deployments: Array.from({ length: 5 }, (_, n) => deployment(`d${n}`, at(n + 2))),
        incidents: [incident('i', at(2, 1), { deployment: 'd0' })],
      },
      { doraBenchmarks: '2021' },
    );
    expect(await metric(ts, 'change_failure_rate')).toMatchObject({ value: 0.2, band: 'high', benchmarks: '2021' });
  });
});
