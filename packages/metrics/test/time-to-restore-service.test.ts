import { describe, expect, it } from 'vitest';
import { at, deployment, incident, MARCH, metric, open } from './fixtures.js';

describe('time_to_restore_service', () => {
  it('is null when no incident created in the window is resolved', async () => {
    const ts = await open({ incidents: [incident('open', at(3), { repository: 'acme/api' })] });
    expect(await metric(ts, 'time_to_restore_service')).toMatchObject({ value: null, count: 0, band: null, unit: 'hours' });
  });

  it('measures resolvedAt − createdAt; an incident without repository counts only unscoped', async () => {
    const ts = await open({
      incidents: [
        incident('api', at(3), { repository: 'acme/api', resolvedAt: at(3, 2) }),
        incident('offset', '2026-03-04T10:00:00+05:00', { repository: 'acme/api', resolvedAt: '2026-03-04T06:00:00Z' }), // 1 h
        incident('web', at(5), { repository: 'acme/web', resolvedAt: at(6) }),
        incident('no-repository', at(7), { resolvedAt: at(7, 3) }),
        incident('unresolved', at(8), { repository: 'acme/api' }),
        incident('resolved-after-window', at(31, 23), { repository: 'acme/api', resolvedAt: '2026-04-01T03:00:00Z' }),
        incident('before-window', '2026-02-28T23:00:00Z', { repository: 'acme/api', resolvedAt: at(1, 1) }),
      ],
    });
    // all: [2, 1, 24, 3, 4] → p50 3
    expect(await metric(ts, 'time_to_restore_service')).toMatchObject({ count: 5, value: 3, band: 'high' });
    // payments: [2, 1, 4] → 2; no-repository left out
    expect(await metric(ts, 'time_to_restore_service', { team: 'payments' })).toMatchObject({ count: 3, value: 2 });
    expect(await metric(ts, 'time_to_restore_service', { repository: 'acme/web' })).toMatchObject({ count: 1, value: 24 });

    const explanation = await ts.metrics.explain('time_to_restore_service', MARCH);
    expect(explanation.rows.map((row) => [row.incident, row.restoreHours])).toEqual([
      ['api', 2],
      ['offset', 1],
      ['web', 24],
      ['no-repository', 3],
      ['resolved-after-window', 4],
    ]);
    expect(explanation.warnings).toEqual([
      expect.stringMatching(/^1 incident\(s\) .* not resolved yet .*: unresolved$/),
      expect.stringMatching(/^1 incident\(s\) .* have no team.*: no-repository$/),
    ]);
  });

  it("counts an incident in its team: its own (its service's), else its repository's, else its deployment's repository's", async () => {
    const ts = await open({
      deployments: [deployment('web-1', at(2), { repository: 'acme/web' })],
      incidents: [
        // A service's incident: the service's team wins over the repository's.
        incident('service', at(3), { team: 'payments', service: 'pay-svc', source: 'pagerduty', resolvedAt: at(3, 1) }),
        incident('service-on-web', at(4), { team: 'payments', repository: 'acme/web', resolvedAt: at(4, 2) }),
        incident('by-deployment', at(5), { deployment: 'web-1', resolvedAt: at(5, 4) }),
        incident('nobody', at(6), { resolvedAt: at(6, 8) }),
      ],
    });
    expect(await metric(ts, 'time_to_restore_service', { team: 'payments' })).toMatchObject({ count: 2, value: 1.5 });
    expect(await metric(ts, 'time_to_restore_service', { team: 'growth' })).toMatchObject({ count: 1, value: 4 });
    expect(await metric(ts, 'time_to_restore_service')).toMatchObject({ count: 4 });
    expect(await metric(ts, 'time_to_restore_service', { repository: 'acme/web' })).toMatchObject({ count: 1, value: 2 });
  });
});
