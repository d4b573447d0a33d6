import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createReadPool } from '../../core/src/kernel/store/read-pool.js';
import { builtinSignals } from '../src/index.js';

const NOW = new Date('2026-11-21T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'teamstate-signals-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A store of 2 GiB or more reads a refresh's statements on worker threads (the demo's file is smaller, so the pool is
// put in by hand here): every built-in detector must find exactly what it finds on the store's own connection.
describe('signals refresh through the read pool', () => {
  it('stores the same signals as a refresh on the store’s own connection', async () => {
    const refreshed = async (name: string, pooled: boolean) => {
      const path = join(dir, name);
      const ts = await createTeamState({ database: `file:${path}`, clock: () => NOW, signals: builtinSignals });
      await ts.import(demoBundle({ now: NOW }));
      const pool = createReadPool(`file:${path}`, 2, 5_000);
      const aside = pooled ? vi.spyOn(ts.store, 'readAside').mockImplementation((sql, args) => pool.execute(sql, args)) : undefined;
      try {
        const result = await ts.signals.refresh();
        const signals = await ts.signals.list({ status: 'all', limit: 500 });
        return { result, signals, statements: aside?.mock.calls.length ?? 0 };
      } finally {
        await pool.close();
        await ts.close();
      }
    };
    const own = await refreshed('own.db', false);
    const pooled = await refreshed('pooled.db', true);
    // Every detector's statements went to the pool.
    expect(pooled.statements).toBeGreaterThanOrEqual(builtinSignals.length);
    expect(Object.keys(own.result.byKind).length).toBeGreaterThanOrEqual(8);
    expect(pooled.result).toEqual(own.result);
    expect(pooled.signals).toEqual(own.signals);
  });
});
