import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { createTeamState, TeamStateError } from '@teamstate/core';
import { resolveDatabaseUrl } from '@teamstate/core/store';
import { testConnector } from '@teamstate/core/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { STATEMENTS_PER_TURN } from '../src/kernel/store/yielding-transaction.js';
import { YOUNG_GENERATION_BYTES } from '../src/kernel/store/young-generation.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('database URLs', () => {
  it('passes remote URLs through unchanged and turns plain paths into file: URLs', () => {
    expect(resolveDatabaseUrl('libsql://team-acme.turso.io').url).toBe('libsql://team-acme.turso.io');
    expect(resolveDatabaseUrl('https://db.acme.example:8080').url).toBe('https://db.acme.example:8080');
    expect(resolveDatabaseUrl(':memory:').url).toBe(':memory:');
    expect(resolveDatabaseUrl('data/team.db')).toMatchObject({ url: 'file:data/team.db' });
    expect(resolveDatabaseUrl(undefined).url).toBe('file:.teamstate/teamstate.db');
  });

  it('refuses an unsupported scheme with a fix', () => {
    expect(() => resolveDatabaseUrl('postgres://db/team')).toThrow(/database: unsupported URL scheme in "postgres:\/\/…"/);
  });

  it('creates the folder of a new database file and turns on WAL', async () => {
    const path = join(dir, 'a', 'b', 'teamstate.db');
    const ts = await createTeamState({ database: `file:${path}` });
    expect(existsSync(path)).toBe(true);
    expect((await ts.store.execute('PRAGMA journal_mode')).rows[0]!.journal_mode).toBe('wal');
    await ts.close();
  });

  it("commits a write with durability 'normal' without waiting for the disk, on that transaction's connection only", async () => {
    const ts = await createTeamState({ database: `file:${join(dir, 'durability.db')}` });
    // SQLite's synchronous levels: 1 NORMAL (the WAL is synced at checkpoints), 2 FULL (every commit waits for the disk).
    const level = (tx: { execute(sql: string): Promise<{ rows: Record<string, unknown>[] }> }) =>
      tx.execute('PRAGMA synchronous').then(({ rows }) => Number(rows[0]!.synchronous));
    expect(await ts.store.write(level, { durability: 'normal' })).toBe(1);
    // Nothing else inherits it: the next write, a read and a write that asks for it explicitly wait for the disk.
    expect(await ts.store.write(level)).toBe(2);
    expect(await level(ts.store)).toBe(2);
    expect(await ts.store.write(level, { durability: 'full' })).toBe(2);
    // A sync's pages (they can be fetched again, with their cursors) are written that way.
    const sync = await createTeamState({
      database: `file:${join(dir, 'durability.db')}`,
      connectors: [
        testConnector({ id: 'pages', batches: [{ people: [{ id: 'ana', name: 'Ana' }] }, { people: [{ id: 'ben', name: 'Ben' }] }] }),
      ],
    });
    const syncWrites = vi.spyOn(sync.store, 'write');
    await sync.sync();
    expect(syncWrites.mock.calls.map(([, options]) => options)).toEqual([{ durability: 'normal' }, { durability: 'normal' }]);
    expect((await sync.store.execute('SELECT count(*) AS n FROM people')).rows[0]!.n).toBe(2);
    await sync.close();
    await ts.close();
  });

  it("checkpoints the log of 'normal' writes every 64 MB rather than every 4 MB, and only theirs", async () => {
    const ts = await createTeamState({ database: `file:${join(dir, 'checkpoints.db')}` });
    // Pages of the log after which a commit on that connection copies the log into the database (SQLite's default 1,000).
    const pages = (tx: { execute(sql: string): Promise<{ rows: Record<string, unknown>[] }> }) =>
      tx.execute('PRAGMA wal_autocheckpoint').then(({ rows }) => Number(rows[0]!.wal_autocheckpoint));
    // A sync's many small page commits dirty the same index pages again and again: copying them after nearly every
    // commit cost a day's sync at 10,000 engineers about 0.2 s of its 1.8 s.
    expect(await ts.store.write(pages, { durability: 'normal' })).toBe(16_384);
    expect(await ts.store.write(pages)).toBe(1_000);
    expect(await pages(ts.store)).toBe(1_000);
    await ts.close();
  });

  it('refuses an unknown durability with the values it takes', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const error = await ts.store.write(async () => 1, { durability: 'eventual' as 'full' }).catch((e: unknown) => e);
    expect(TeamStateError.isInstance(error) && error.code).toBe('invalid_argument');
    expect((error as Error).message).toBe('durability: expected "full" or "normal", got "eventual"');
    await ts.close();
  });

  it('refuses an invalid workspace id', async () => {
    const error = await createTeamState({ database: ':memory:', workspace: 'no spaces please' }).catch((e: unknown) => e);
    expect(TeamStateError.isInstance(error) && error.code).toBe('invalid_config');
    expect((error as Error).message).toMatch(/^workspace: "no spaces please" is not a valid workspace id/);
  });

  it.each([':memory:', 'file'])('lets the event loop turn during a long write transaction (%s)', async (database) => {
    const ts = await createTeamState({ database: database === 'file' ? `file:${join(dir, 'turns.db')}` : database });
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const during = await ts.store.write(async (tx) => {
      const before = turns;
      for (let i = 0; i < 100; i++) await tx.execute({ sql: 'SELECT ?', args: [i] });
      return turns - before;
    });
    spinning = false;
    // The synchronous local driver frees each statement only when the loop turns: 100 statements, several turns.
    expect(during).toBeGreaterThanOrEqual(5);
    await ts.close();
  });

  it('collects garbage fully every 1,024 statements of a long local write transaction', async () => {
    // The driver's statements hold native memory V8 does not count: without full collections a long import keeps the
    // finished ones until it ends. Major collections are counted as Node reports them.
    const ts = await createTeamState({ database: ':memory:' });
    const majors: number[] = [];
    const observer = new PerformanceObserver((list) => {
      // A gc entry's detail says which collection it was (Node's own field, not in the DOM type).
      for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[])
        if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors.push(1);
    });
    observer.observe({ entryTypes: ['gc'] });
    await ts.store.write(async (tx) => {
      for (let i = 0; i < 3 * 1024 + 16; i++) await tx.execute({ sql: 'SELECT ?', args: [i] });
    });
    await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries are delivered asynchronously
    observer.disconnect();
    expect(majors.length).toBeGreaterThanOrEqual(3);
    await ts.close();
  });

  it("holds V8's young generation at 32 MB from a long local write transaction's first collection until it commits", async () => {
    // An import's chunks survive a scavenge or two, which grows V8's young generation to its maximum (128 MB by default
    // on a machine of a few GB) and keeps it there: the young generation's size is read from V8 at every statement.
    // While a major collection marks, V8 adds pages beyond that size instead of scavenging, one statement's allocation
    // at a time: the transaction ends that marking at its next turn.
    const ts = await createTeamState({ database: `file:${join(dir, 'young.db')}` });
    const newSpace = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;
    const sizes: number[] = [];
    await ts.store.write(async (tx) => {
      const live: { id: string; at: number[] }[][] = [];
      for (let i = 0; i < 8 * 1024 + 16; i++) {
        live.push(Array.from({ length: 2_000 }, (_, j) => ({ id: `item-${i}-${j}`, at: [i, j] })));
        if (live.length > 8) live.shift();
        await tx.execute({ sql: 'SELECT ?', args: [i] });
        if (i >= 1024 + 16) sizes.push(newSpace());
      }
    });
    expect(sizes.length).toBeGreaterThan(7_000);
    // Never a growth past the hold (V8 doubles: 64 MB, then 128 MB)...
    expect(Math.max(...sizes)).toBeLessThan(2 * YOUNG_GENERATION_BYTES);
    // ...and pages beyond it last until the next turn at most, 16 statements.
    let over = 0;
    let longest = 0;
    for (const size of sizes) {
      over = size > YOUNG_GENERATION_BYTES ? over + 1 : 0;
      longest = Math.max(longest, over);
    }
    expect(longest).toBeLessThanOrEqual(STATEMENTS_PER_TURN);
    expect(sizes.at(-1)).toBeLessThanOrEqual(YOUNG_GENERATION_BYTES);
    await ts.close();
  });
});

describe('writes outside a transaction', () => {
  // The local driver waits for SQLite's write lock synchronously: a statement that writes, run with execute while a
  // transaction of the same process holds the lock across a turn of the event loop, would block the loop the
  // transaction needs to finish, until the busy timeout (SQLITE_BUSY). What serve's webhook queue and leases write so.
  it('waits its turn behind an open write transaction of the same store instead of failing with SQLITE_BUSY', async () => {
    const ts = await createTeamState({ database: `file:${join(dir, 'turns.db')}` });
    try {
      await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'pay', name: 'Payments' }] });
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let began!: () => void;
      const begun = new Promise<void>((resolve) => {
        began = resolve;
      });
      const transaction = ts.store.write(async (tx) => {
        await tx.execute(`UPDATE teams SET name = 'Payments 1' WHERE id = 'pay'`);
        began();
        await held;
        await tx.execute(`UPDATE teams SET name = 'Payments 2' WHERE id = 'pay'`);
      });
      await begun;
      const outside = ts.store.execute(`UPDATE teams SET name = 'Payments 3' WHERE id = 'pay'`);
      setTimeout(release, 50);
      await transaction;
      await outside;
      expect((await ts.store.execute(`SELECT name FROM teams WHERE id = 'pay'`)).rows[0]!.name).toBe('Payments 3');
      // Reads still run beside a transaction, and see what was committed.
      const reading = ts.store.write(async (tx) => {
        await tx.execute(`UPDATE teams SET name = 'Payments 4' WHERE id = 'pay'`);
        expect((await ts.store.execute(`SELECT name FROM teams WHERE id = 'pay'`)).rows[0]!.name).toBe('Payments 3');
      });
      await reading;
    } finally {
      await ts.close();
    }
  });
});

describe('the data version', () => {
  it('changes with every commit to a local file, this process’s or another’s, and not with reads', async () => {
    const path = join(dir, 'version.db');
    const ts = await createTeamState({ database: `file:${path}` });
    const other = await createTeamState({ database: `file:${path}` });
    try {
      const first = await ts.store.dataVersion();
      expect(first).toEqual(expect.any(String));
      await ts.teams.list();
      await ts.store.execute('SELECT count(*) FROM teams');
      expect(await ts.store.dataVersion()).toBe(first);
      await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'pay', name: 'Payments' }] });
      const second = await ts.store.dataVersion();
      expect(second).not.toBe(first);
      // Another process (here another client on the same file) commits: this one sees a new version.
      await other.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'growth', name: 'Growth' }] });
      const third = await ts.store.dataVersion();
      expect(third).not.toBe(second);
      // A statement run with execute that changes rows counts too; one that changes none does not.
      await ts.store.execute(`UPDATE teams SET name = 'Pay' WHERE id = 'pay'`);
      const fourth = await ts.store.dataVersion();
      expect(fourth).not.toBe(third);
      await ts.store.execute(`DELETE FROM teams WHERE id = 'none'`);
      expect(await ts.store.dataVersion()).toBe(fourth);
    } finally {
      await other.close();
      await ts.close();
    }
  });

  it('changes with every change to an in-memory database', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const first = await ts.store.dataVersion();
    expect(await ts.store.dataVersion()).toBe(first);
    await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'pay', name: 'Payments' }] });
    const second = await ts.store.dataVersion();
    expect(second).not.toBe(first);
    // A statement that returns the rows it changed counts as a change too.
    await ts.store.execute(`UPDATE teams SET name = 'Pay' WHERE id = 'pay' RETURNING id`);
    expect(await ts.store.dataVersion()).not.toBe(second);
    await ts.close();
  });
});
