import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { type Connector, createTeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addedRows,
  deleteAdded,
  parseSyncChildArgs,
  recordStoreCalls,
  replayStoreCalls,
  rowMarks,
  type StoreCall,
  timedConnector,
} from '../bench/scale-sync-measure.js';

describe('the scale sync child: arguments', () => {
  it('reads a sync run and a raw run', () => {
    expect(parseSyncChildArgs(['sync', 'http://127.0.0.1:1', 'http://127.0.0.1:2', '/tmp/a.db'])).toEqual({
      mode: 'sync',
      githubUrl: 'http://127.0.0.1:1',
      jiraUrl: 'http://127.0.0.1:2',
      database: '/tmp/a.db',
    });
    expect(parseSyncChildArgs(['raw', '/tmp/a.db', '{"work_items":{"rowid":7,"rows":5}}'])).toEqual({
      mode: 'raw',
      database: '/tmp/a.db',
      marks: { work_items: { rowid: 7, rows: 5 } },
    });
  });

  it('names what is wrong', () => {
    expect(() => parseSyncChildArgs(['sync', '127.0.0.1:1', 'http://127.0.0.1:2', '/tmp/a.db'])).toThrow(/github url: expected an http/);
    expect(() => parseSyncChildArgs(['raw', '/tmp/a.db', '{work_items'])).toThrow(/marks: expected JSON/);
    expect(() => parseSyncChildArgs(['raw', '/tmp/a.db', '{"work_items":{"rowid":"7","rows":5}}'])).toThrow(/"rowid": <integer>/);
    expect(() => parseSyncChildArgs(['raw', '/tmp/a.db'])).toThrow(/expected "sync" with 3 arguments or "raw" with 2/);
    expect(() => parseSyncChildArgs([])).toThrow(/usage: scale-sync-child.ts/);
  });
});

describe('the scale sync child: the store share of a sync', () => {
  it('times the store calls of the context, once while they overlap, and nothing else', async () => {
    let now = 0;
    const connector: Connector = {
      specificationVersion: 'v1',
      id: 'bench',
      async sync(ctx) {
        now += 1_000; // the network: not timed
        await Promise.all([ctx.getCursor('page'), ctx.existing('team', ['platform'])]);
        now += 1_000; // mapping: not timed
        await ctx.emit({ teams: [{ id: 'platform', name: 'Platform' }] }, { cursors: { page: '2' } });
        now += 100;
      },
    };
    const spent = { ms: 0, calls: 0 };
    const ts = await createTeamState({
      database: ':memory:',
      connectors: [
        timedConnector(connector, spent, () => {
          // Each reading advances the clock by 1 ms: a span of store calls lasts 1 ms.
          now += 1;
          return now;
        }),
      ],
    });
    try {
      const result = await ts.sync();
      expect(result.ok).toBe(true);
      expect((await ts.teams.list()).map((t) => t.id)).toEqual(['platform']);
      // getCursor and existing overlap: one span of 1 ms (4 ms if each counted its own), then emit's; the 2,100 ms
      // outside the store calls are not counted.
      expect(spent).toEqual({ ms: 2, calls: 3 });
    } finally {
      await ts.close();
    }
  });
});

describe('the scale sync child: the replay', () => {
  it('makes the recorded store calls again, in order, and stores what the sync stored', async () => {
    const connector: Connector = {
      specificationVersion: 'v1',
      id: 'bench',
      async sync(ctx) {
        await ctx.getCursor('page');
        const [person] = await ctx.resolvePeople([{ provider: 'github', id: '42', login: 'ana', email: 'ana@acme.example' }]);
        await ctx.emit({ teams: [{ id: 'platform', name: 'Platform', members: [person!] }] }, { cursors: { page: '1' } });
        await ctx.existing('team', ['platform']);
        await ctx.emit({ teams: [{ id: 'payments', name: 'Payments' }] }, { cursors: { page: '2' } });
      },
    };
    const calls: StoreCall[] = [];
    const stored = async (ts: Awaited<ReturnType<typeof createTeamState>>) => ({
      teams: (await ts.teams.list()).map((t) => [t.id, t.members]),
      accounts: (await ts.store.execute('SELECT provider, external_id, person_id FROM accounts')).rows.map((r) => Object.values(r)),
      cursor: (await ts.store.execute("SELECT value FROM sync_cursors WHERE key = 'page'")).rows[0]?.value,
    });
    const live = await createTeamState({ database: ':memory:', connectors: [recordStoreCalls(connector, (call) => calls.push(call))] });
    expect((await live.sync()).ok).toBe(true);
    expect(calls.map((c) => c.call)).toEqual(['getCursor', 'resolvePeople', 'emit', 'existing', 'emit']);
    const replayed = await createTeamState({
      database: ':memory:',
      connectors: [replayStoreCalls('bench', JSON.parse(JSON.stringify(calls)))],
    });
    try {
      expect((await replayed.sync()).ok).toBe(true);
      expect(await stored(replayed)).toEqual(await stored(live));
      expect((await stored(live)).cursor).toBe('2');
    } finally {
      await live.close();
      await replayed.close();
    }
  });
});

describe('the scale sync child: rows added', () => {
  let dir: string;
  let client: Client;
  afterEach(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const read = async (sql: string, args: (string | number)[] = []) => (await client.execute({ sql, args })).rows;

  it('counts the rows past each mark, not the stored rows updated', async () => {
    dir = mkdtempSync(join(tmpdir(), 'teamstate-sync-measure-'));
    client = createClient({ url: `file:${join(dir, 'a.db')}` });
    await client.execute('CREATE TABLE items (id TEXT PRIMARY KEY, title TEXT)');
    await client.execute('CREATE TABLE empty (id TEXT PRIMARY KEY)');
    await client.execute("INSERT INTO items VALUES ('a', 'A'), ('b', 'B')");
    const marks = await rowMarks(read, ['items', 'empty']);
    expect(marks).toEqual({ items: { rowid: 2, rows: 2 }, empty: { rowid: 0, rows: 0 } });
    await client.execute("INSERT INTO items VALUES ('c', 'C'), ('a', 'A2') ON CONFLICT (id) DO UPDATE SET title = excluded.title");
    expect(await addedRows(read, marks)).toEqual({ items: 1 });
  });

  it('takes the rows of a table without a rowid past its mark as those of the work items past theirs', async () => {
    dir = mkdtempSync(join(tmpdir(), 'teamstate-sync-measure-'));
    client = createClient({ url: `file:${join(dir, 'a.db')}` });
    await client.execute('CREATE TABLE work_items (id TEXT PRIMARY KEY)');
    await client.execute('CREATE TABLE transitions (work_item_id TEXT, seq INTEGER, PRIMARY KEY (work_item_id, seq)) WITHOUT ROWID');
    await client.execute("INSERT INTO work_items VALUES ('a')");
    await client.execute("INSERT INTO transitions VALUES ('a', 0), ('a', 1)");
    const marks = await rowMarks(read, ['work_items', 'transitions']);
    expect(marks).toEqual({ work_items: { rowid: 1, rows: 1 }, transitions: { rowid: 1, rows: 2, byItem: true } });
    await client.execute("INSERT INTO work_items VALUES ('b')");
    await client.execute("INSERT INTO transitions VALUES ('b', 0), ('b', 1), ('b', 2)");
    expect(await addedRows(read, marks)).toEqual({ work_items: 1, transitions: 3 });
    await deleteAdded((sql, args) => client.execute({ sql, args }), marks);
    expect((await read('SELECT work_item_id AS id, seq FROM transitions')).map((r) => `${r.id}${r.seq}`)).toEqual(['a0', 'a1']);
    expect((await read('SELECT id FROM work_items')).map((r) => r.id)).toEqual(['a']);
  });

  it('refuses a table that lost rows', async () => {
    dir = mkdtempSync(join(tmpdir(), 'teamstate-sync-measure-'));
    client = createClient({ url: `file:${join(dir, 'a.db')}` });
    await client.execute('CREATE TABLE items (id TEXT PRIMARY KEY)');
    await client.execute("INSERT INTO items VALUES ('a'), ('b')");
    const marks = await rowMarks(read, ['items']);
    await client.execute("DELETE FROM items WHERE id = 'a'");
    await client.execute("INSERT INTO items VALUES ('c')");
    await expect(addedRows(read, marks)).rejects.toThrow('items: 1 rows past rowid 2 but 0 more rows in all: the sync removed stored rows');
  });

  it('deletes the rows past the marks and nothing else', async () => {
    dir = mkdtempSync(join(tmpdir(), 'teamstate-sync-measure-'));
    client = createClient({ url: `file:${join(dir, 'a.db')}` });
    await client.execute('CREATE TABLE parents (id TEXT PRIMARY KEY)');
    await client.execute('CREATE TABLE children (id TEXT PRIMARY KEY)');
    await client.execute("INSERT INTO parents VALUES ('a')");
    const marks = await rowMarks(read, ['parents', 'children']);
    await client.execute("INSERT INTO parents VALUES ('b')");
    await client.execute("INSERT INTO children VALUES ('b1'), ('b2')");
    const order: string[] = [];
    await deleteAdded(async (sql, args) => {
      order.push(sql.split(' ')[2]!);
      return client.execute({ sql, args });
    }, marks);
    expect(order).toEqual(['children', 'parents']);
    expect((await read('SELECT id FROM parents UNION ALL SELECT id FROM children')).map((r) => r.id)).toEqual(['a']);
  });
});
