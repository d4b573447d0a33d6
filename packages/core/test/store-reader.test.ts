import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/kernel/store/open-store.js';
import { sql } from '../src/kernel/store/sql.js';
import { createStoreReader } from '../src/kernel/store/store-reader.js';
import { migrations } from '../src/migrations.js';

describe('createStoreReader', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  it('runs queries built with the sql tag and returns typed rows', async () => {
    store = await openStore({ database: ':memory:', now: () => 0, migrations });
    await store.execute("INSERT INTO teams (workspace, id, name) VALUES ('w', 'payments', 'Payments'), ('x', 'other', 'Other')");
    const db = createStoreReader(store, 'w');
    const teams = await db.all<{ id: string; n: number }>(sql`SELECT id, length(name) AS n FROM teams WHERE workspace = ${db.workspace}`);
    expect(teams).toEqual([expect.objectContaining({ id: 'payments', n: 8 })]);
    expect(await db.get(sql`SELECT id FROM teams WHERE workspace = ${db.workspace} AND id = ${'none'}`)).toBeUndefined();
    expect((await db.execute('WITH t AS (SELECT 1 AS one) SELECT one FROM t')).rows[0]?.one).toBe(1);
  });

  it('has no way to write: statements that are not queries are refused before they run', async () => {
    store = await openStore({ database: ':memory:', now: () => 0, migrations });
    const db = createStoreReader(store, 'w');
    expect(Object.keys(db).sort()).toEqual(['all', 'execute', 'get', 'workspace']);
    for (const statement of [
      "INSERT INTO teams (workspace, id, name) VALUES ('w', 'a', 'A')",
      '  /* comment */ DELETE FROM teams',
      "WITH x AS (SELECT 1) UPDATE teams SET name = 'B'",
      'WITH x AS (SELECT 1) DELETE FROM teams',
      'DROP TABLE teams',
      'PRAGMA query_only = 0',
    ]) {
      await expect(db.all({ text: statement, args: [] }), statement).rejects.toThrow(/read-only store/);
      await expect(db.execute(statement), statement).rejects.toThrow(/read-only store/);
    }
    expect((await store.execute('SELECT count(*) AS n FROM teams')).rows[0]?.n).toBe(0);
  });
});
