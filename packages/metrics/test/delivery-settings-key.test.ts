// The derived delivery tables (pull_request_deployments, deployment_rework, incident_deployments) repeat their
// settings key in every row and in each of their indexes: a short digest of the settings, not their JSON, keeps that
// cost to a few bytes a copy while two different settings still never share rows.
import { deliverySettingsKey } from '@teamstate/core/store';
import { describe, expect, it } from 'vitest';
import { at, deployment, metric, open, pullRequest } from './fixtures.js';

const REWORK = ['hotfix', 'revert', 'incident'];

describe('the settings key of the derived delivery rows', () => {
  it('is a digest of at most 12 characters, the same whatever the case, different for other settings', () => {
    const key = deliverySettingsKey({ productionEnvironments: ['production', 'prod'], reworkLabels: REWORK });
    expect(key.length).toBeLessThanOrEqual(12);
    expect(deliverySettingsKey({ productionEnvironments: ['PRODUCTION', 'Prod'], reworkLabels: ['HOTFIX', 'revert', 'incident'] })).toBe(
      key,
    );
    expect(deliverySettingsKey({ productionEnvironments: ['production'], reworkLabels: REWORK })).not.toBe(key);
    expect(deliverySettingsKey({ productionEnvironments: ['production', 'prod'], reworkLabels: ['hotfix'] })).not.toBe(key);
    // The two lists are kept apart: moving a value from one to the other is another key.
    expect(deliverySettingsKey({ productionEnvironments: ['production'], reworkLabels: ['prod', ...REWORK] })).not.toBe(key);
  });

  it('is what the stored rows carry, and the metrics read them', async () => {
    const ts = await open({
      workItems: [pullRequest(1, { createdAt: at(1), mergedAt: at(2) })],
      deployments: [deployment('d1', at(3))],
    });
    expect((await metric(ts, 'lead_time_for_changes')).value).toBe(48);
    const { rows } = await ts.store.execute('SELECT DISTINCT settings FROM pull_request_deployments');
    expect(rows.map((row) => String(row.settings))).toEqual([
      deliverySettingsKey({ productionEnvironments: ['production', 'prod'], reworkLabels: REWORK }),
    ]);
    await ts.close();
  });
});
