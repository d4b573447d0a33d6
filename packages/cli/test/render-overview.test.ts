import type { Overview } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { renderOverview } from '../src/render-overview.js';
import { colors } from '../src/runtime.js';

const plain = colors({ stdout: () => {}, stderr: () => {}, env: {}, isTTY: false, cwd: '/' });

function overview(freshness: Overview['freshness']): Overview {
  return {
    workspace: 'default',
    at: '2026-03-10T12:00:00.000Z',
    totals: { teams: 0, people: 0, repositories: 0, workItems: 0, deployments: 0, incidents: 0 },
    teams: [],
    freshness,
  };
}

describe('renderOverview freshness (issue 17)', () => {
  it('says when each connector last synced, flags data over a day old and connectors that never synced, and the last webhooks', () => {
    const text = renderOverview(
      overview({
        syncs: [
          { connector: 'github', lastSucceededAt: '2026-03-10T11:55:00.000Z' },
          { connector: 'jira', lastSucceededAt: '2026-03-07T08:00:00.000Z' },
          { connector: 'slack', lastSucceededAt: null },
        ],
        webhooks: [{ provider: 'github', lastReceivedAt: '2026-03-10T11:59:00.000Z' }],
        sources: [],
      }),
      plain,
    );
    expect(text).toContain('Last synced: github 2026-03-10 11:55 UTC · jira 2026-03-07 08:00 UTC (3 days old) · slack never\n');
    expect(text).toContain('Last webhook: github 2026-03-10 11:59 UTC\n');
  });

  it('says nothing was synced when no connector ever ran', () => {
    expect(renderOverview(overview({ syncs: [], webhooks: [], sources: [] }), plain)).toContain(
      'Last synced: never (no connector has synced into this database)\n',
    );
  });
});
