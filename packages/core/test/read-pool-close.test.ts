import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker as NodeWorker } from 'node:worker_threads';
import { createTeamState } from '@teamstate/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createReadPool } from '../src/kernel/store/read-pool.js';
import { readsAside } from '../src/kernel/store/reads-aside.js';

// The real worker threads, each one recorded until it has ended.
const running = vi.hoisted(() => new Set<unknown>());
vi.mock('node:worker_threads', async (original) => {
  const threads = await original<typeof import('node:worker_threads')>();
  class Recorded extends threads.Worker {
    constructor(...args: ConstructorParameters<typeof NodeWorker>) {
      super(...args);
      running.add(this);
      this.once('exit', () => running.delete(this));
    }
  }
  return { ...threads, Worker: Recorded };
});

const dir = mkdtempSync(join(tmpdir(), 'teamstate-read-pool-close-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function database(name: string) {
  const path = join(dir, name);
  const ts = await createTeamState({ database: `file:${path}` });
  return { ts, url: `file:${path}`, path };
}

// A thread that was still starting as the pool closed opened the file after the caller had moved on (and deleted its
// directory: a test's clean-up failed with ENOTEMPTY): closing resolves only once every thread has ended.
describe('closing a read pool', () => {
  it('resolves once every thread has ended, even those still starting or running a statement', async () => {
    const { ts, url } = await database('close.db');
    try {
      const starting = createReadPool(url, 2, 5_000);
      starting.warm();
      expect(running.size).toBe(2);
      await starting.close();
      expect(running.size).toBe(0);

      const reading = createReadPool(url, 2, 5_000);
      const long = 'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 2000000) SELECT count(*) FROM c';
      const statement = reading.execute(long).then(
        () => 'answered',
        (error: Error) => error.message,
      );
      await reading.execute('SELECT 1');
      expect(running.size).toBe(2);
      await reading.close();
      expect(running.size).toBe(0);
      expect(await statement).toMatch(/the store is closed|answered/);
      // A pool that never started a thread closes at once.
      await createReadPool(url, 2, 5_000).close();
    } finally {
      await ts.close();
    }
  });

  it("the store's reads aside close with their threads: none is left once they resolve", async () => {
    const { ts, url, path } = await database('aside-close.db');
    try {
      const aside = readsAside({ execute: (sql, args) => ts.store.execute(sql, args), url, path, timeout: 5_000, minBytes: 0, cores: 2 });
      aside.warm();
      expect(running.size).toBe(2);
      await aside.close();
      expect(running.size).toBe(0);
    } finally {
      await ts.close();
    }
  });
});
