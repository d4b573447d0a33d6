import { createTeamState } from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';
import { describe, expect, it } from 'vitest';
import { call, connect } from './fixtures/connect.js';

// team_overview.freshness carries what ts.freshness() and `teamstate status --json` say per source (docs/hub.md#freshness-and-status).
describe('team_overview.freshness', () => {
  it('lists each source with its last sync, whether it succeeded, its last webhook and its lag, as ts.freshness() does', async () => {
    let now = Date.parse('2026-03-10T12:00:00Z');
    const broken = { ...testConnector({ id: 'jira' }), sync: async () => Promise.reject(new Error('401 Unauthorized')) };
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [testConnector({ id: 'github' }), broken],
      clock: () => new Date(now),
    });
    const server = await connect(ts);
    try {
      const before = await call<{ freshness: { sources: unknown[] } }>(server.client, 'team_overview', {});
      expect(before.freshness.sources).toEqual([
        { source: 'github', lastSync: null, lastSyncOk: null, lastWebhook: null, lagSeconds: null },
        { source: 'jira', lastSync: null, lastSyncOk: null, lastWebhook: null, lagSeconds: null },
      ]);
      await ts.sync();
      now += 600_000;
      const after = await call<{ freshness: { sources: { source: string; lastSync: string | null; lastSyncOk: boolean | null }[] } }>(
        server.client,
        'team_overview',
        {},
      );
      expect(after.freshness.sources).toMatchObject([
        { source: 'github', lastSync: '2026-03-10T12:00:00.000Z', lastSyncOk: true },
        { source: 'jira', lastSync: '2026-03-10T12:00:00.000Z', lastSyncOk: false },
      ]);
      expect(after.freshness.sources).toEqual((await ts.freshness()).sources);
    } finally {
      await server.close();
      await ts.close();
    }
  });
});
