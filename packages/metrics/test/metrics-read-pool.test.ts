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
  it('computes the same results as on the store’s own connection, every statement on the pool', { timeout: 120_000 }, async () => {
    const computed = async (name: string, pooled: boolean) => {
      const path = join(dir, name);
      const ts = await createTeamState({ database: `file:${path}`, clock: () => NOW, metrics: builtinMetrics });
      await ts.import(demoBundle({ now: NOW }));
      const pool = createReadPool(`file:${path}`, 2, 5_000);
      const aside = pooled ? vi.spyOn(ts.store, 'readAside').mockImplementation((sql, args) => pool.execute(sql, args)) : undefined;
      try {
        const ids = ts.metrics.list().map((metric) => metric.id);
        const [team] = await ts.teams.list();
        const window = { from: '2026-08-01T00:00:00Z', to: '2026-11-21T00:00:00Z' };
        const all = await ts.metrics.compute(ids, window);
        const weekly = await ts.metrics.compute(defaultMetricIds(ts.metrics.list()), {
          ...window,
          team: team!.id,
          granularity: 'week',
          compare: 'previous',
        });
        return { all, weekly, statements: aside?.mock.calls.length ?? 0 };
      } finally {
        await pool.close();
        await ts.close();
      }
    };
    const own = await computed('own.db', false);
    const pooled = await computed('pooled.db', true);
    expect(pooled.statements).toBeGreaterThanOrEqual(builtinMetrics.length);
    expect(Object.values(own.all).filter((result) => result.value !== null).length).toBeGreaterThanOrEqual(10);
    expect(pooled.all).toEqual(own.all);
    expect(pooled.weekly).toEqual(own.weekly);
  });
});
