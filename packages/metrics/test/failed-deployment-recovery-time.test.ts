import { describe, expect, it } from 'vitest';
import { at, deployment, incident, MARCH, metric, open } from './fixtures.js';

describe('failed_deployment_recovery_time', () => {
  it('is null when no resolved incident created in the window maps to a production deployment', async () => {
    const ts = await open({
      deployments: [deployment('d', at(2)), deployment('s', at(3), { environment: 'staging' })],
      incidents: [
        incident('open', at(4), { repository: 'acme/api' }),
        incident('staging', at(5), { deployment: 's', resolvedAt: at(6) }),
        incident('no-repository', at(5), { resolvedAt: at(6) }),
      ],
    });
    expect(await metric(ts, 'failed_deployment_recovery_time')).toMatchObject({ value: null, count: 0, band: null });
  });

  it('measures resolvedAt − finishedAt of the attributed production deployment', async () => {
    const ts = await open({
      deployments: [
        deployment('d2', at(2)),
        deployment('d10', at(10)),
        deployment('failed', at(11), { status: 'failure' }),
        deployment('web', at(3), { repository: 'acme/web' }),
      ],
      incidents: [
        incident('by-time', at(11, 2), { repository: 'acme/api', resolvedAt: at(11, 6) }), // d10: 30 h
        incident('named', at(12), { deployment: 'd2', resolvedAt: '2026-03-02T12:00:00-02:00' }), // d2: 14 h (offset)
        incident('web', at(4), { repository: 'acme/web', resolvedAt: at(4, 2) }), // web: 26 h
        incident('unresolved', at(12), { repository: 'acme/api' }),
        incident('created-before', '2026-02-28T00:00:00Z', { deployment: 'd2', resolvedAt: at(3) }),
        incident('created-at-to', MARCH.to, { deployment: 'd2', resolvedAt: '2026-04-02T00:00:00Z' }),
      ],
    });
    const result = await metric(ts, 'failed_deployment_recovery_time');
    expect(result).toMatchObject({ count: 3, value: 26, p50: 26, band: 'medium' });
    expect(await metric(ts, 'failed_deployment_recovery_time', { team: 'payments' })).toMatchObject({ count: 2, value: 22, band: 'high' });

    const explanation = await ts.metrics.explain('failed_deployment_recovery_time', MARCH);
    expect(explanation.rows.map((row) => [row.incident, row.deployment, row.recoveryHours])).toEqual([
      ['web', 'web', 26],
      ['by-time', 'd10', 30],
      ['named', 'd2', 14],
    ]);
    expect(explanation.warnings).toEqual([
      expect.stringMatching(/^1 incident\(s\) created in the window are not resolved yet.*: unresolved$/),
    ]);
  });
});
