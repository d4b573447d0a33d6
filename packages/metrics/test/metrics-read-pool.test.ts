import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState, defaultMetricIds } from '@teamstate/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createReadPool } from '../../core/src/kernel/store/read-pool.js';
import { builtinMetrics } from '../src/index.js';

const NOW = new Date('2026-11-21T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'teamstate-metrics-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A store of 2 GiB or more reads metrics on worker threads, as it reads a signals refresh (the demo's file is smaller,
// so the pool is put in by hand here): the event loop stays free for a server's other requests, and every built-in
// metric must answer exactly what it answers on the store's own connection.
describe('metrics through the read pool', () => {
  it('computes the same results as on the store’s own connection, one round trip for a team’s default metrics', {
    timeout: 120_000,
  }, async () => {
    const computed = async (name: string, pooled: boolean) => {
      const path = join(dir, name);
      const ts = await createTeamState({ database: `file:${path}`, clock: () => NOW, metrics: builtinMetrics });
      await ts.import(demoBundle({ now: NOW }));
      const pool = createReadPool(`file:${path}`, 2, 5_000);
      const one = vi.spyOn(ts.store, 'readAside');
      const batches = vi.spyOn(ts.store, 'readAsideBatch');
      if (pooled) batches.mockImplementation((statements) => pool.batch(statements));
      try {
        const ids = ts.metrics.list().map((metric) => metric.id);
        const [team] = await ts.teams.list();
        const window = { from: '2026-08-01T00:00:00Z', to: '2026-11-21T00:00:00Z' };
        const all = await ts.metrics.compute(ids, window);
        const statements = batches.mock.calls.reduce((sum, [batch]) => sum + batch.length, 0);
        const roundTrips = batches.mock.calls.length;
        batches.mockClear();
        // The default metrics of one team: each asks for one statement, all sent at once.
        const defaults = defaultMetricIds(ts.metrics.list());
        const teamDefaults = await ts.metrics.compute(defaults, { ...window, team: team!.id });
        const teamRoundTrips = batches.mock.calls.map(([batch]) => batch.length);
        const weekly = await ts.metrics.compute(defaults, { ...window, team: team!.id, granularity: 'week', compare: 'previous' });
        return { all, teamDefaults, weekly, statements, roundTrips, teamRoundTrips, defaults: defaults.length, one: one.mock.calls.length };
      } finally {
        await pool.close();
        await ts.close();
      }
    };
    const own = await computed('own.db', false);
    const pooled = await computed('pooled.db', true);
    for (const run of [own, pooled]) {
      // Every statement of a computation goes in batches: far fewer round trips than statements, none one by one.
      expect(run.statements).toBeGreaterThanOrEqual(builtinMetrics.length);
      expect(run.roundTrips).toBeLessThan(run.statements / 4);
      expect(run.teamRoundTrips).toEqual([run.defaults]);
      expect(run.one).toBe(0);
    }
    expect(Object.values(own.all).filter((result) => result.value !== null).length).toBeGreaterThanOrEqual(10);
    expect(pooled.all).toEqual(own.all);
    expect(pooled.teamDefaults).toEqual(own.teamDefaults);
    expect(pooled.weekly).toEqual(own.weekly);
  });
});
