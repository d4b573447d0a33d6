import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationPart } from '../src/kernel/store/migrate.js';
import { openStore, type Store } from '../src/kernel/store/open-store.js';
import { migrations } from '../src/migrations.js';
import { runScript } from './helpers/child-process.js';

// The first new local database a process opens runs every migration; the next ones with the same migrations are set up
// in one transaction from what the first one holds. Both ways must give the same database.

const NOW = Date.parse('2026-11-29T10:00:00Z');
let dir: string;
let files = 0;
const newFile = () => `file:${join(dir, `fresh-${++files}.db`)}`;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-fresh-schema-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Every table but SQLite's own (its schema, whose root pages differ: nothing was dropped to make the second).
const TABLES =
  "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type <> 'view' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
type Execute = Pick<Store, 'execute'> | Pick<Client, 'execute'>;
/** What a database holds: its schema objects in the order they were made, and every row of every table. */
async function contents(db: Execute) {
  const objects = (await db.execute('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid')).rows.map((row) => ({ ...row }));
  const rows: Record<string, unknown[]> = {};
  for (const { name } of (await db.execute(TABLES)).rows)
    rows[String(name)] = (await db.execute(`SELECT * FROM "${String(name)}"`)).rows.map((row) => JSON.stringify({ ...row })).sort();
  return { objects, rows };
}
/** How many times the schema changed: one per statement that created or altered something. */
const schemaVersion = async (db: Execute) => Number((await db.execute('PRAGMA schema_version')).rows[0]?.schema_version);

async function opened<T>(database: string, list: readonly MigrationPart[], read: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ database, migrations: list, now: () => NOW });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

describe('a new database', () => {
  it('set up from the first one of the process holds exactly what its migrations write, on a file and in memory', async () => {
    const list = [...migrations];
    const first = await opened(newFile(), list, async (store) => ({ ...(await contents(store)), version: await schemaVersion(store) }));
    expect(first.rows.__teamstate_migrations).toHaveLength(new Set(list.map((part) => part.tag)).size);
    expect(first.rows.__teamstate_backfills?.length).toBeGreaterThan(0);
    for (const database of [newFile(), ':memory:']) {
      const next = await opened(database, list, async (store) => ({ ...(await contents(store)), version: await schemaVersion(store) }));
      expect(next.objects).toEqual(first.objects);
      expect(next.rows).toEqual(first.rows);
      // Set up in one go: every migration ran one statement after the other, adding columns one at a time.
      expect(next.version).toBeLessThan(first.version / 2);
    }
  });

  it('opened with other migrations is set up by them, not from another list’s database', async () => {
    const list = [...migrations];
    await opened(newFile(), list, async () => undefined);
    const last = list.at(-1)!.tag;
    const fewer = list.filter((part) => part.tag !== last);
    const tags = await opened(newFile(), fewer, async (store) =>
      (await store.execute('SELECT tag FROM __teamstate_migrations')).rows.map((row) => String(row.tag)),
    );
    expect(tags).toHaveLength(new Set(fewer.map((part) => part.tag)).size);
    expect(tags).not.toContain(last);
  });

  it('that holds anything already is migrated, its own table kept', async () => {
    const list = [...migrations];
    const reference = await opened(newFile(), list, contents);
    const database = newFile();
    const client = createClient({ url: database });
    await client.execute('CREATE TABLE mine (x TEXT)');
    await client.execute("INSERT INTO mine VALUES ('kept')");
    client.close();
    const after = await opened(database, list, async (store) => ({ ...(await contents(store)), version: await schemaVersion(store) }));
    expect(after.rows.mine).toEqual([JSON.stringify({ x: 'kept' })]);
    expect(after.rows.__teamstate_migrations).toEqual(reference.rows.__teamstate_migrations);
    expect(after.objects.filter((object) => object.name !== 'mine').map((object) => object.name)).toEqual(
      reference.objects.map((object) => object.name),
    );
    expect(after.version).toBeGreaterThan(list.length);
  });

  it('opened by two processes at once is set up once, as the migrations set it up', async () => {
    const reference = await opened(newFile(), migrations, contents);
    const database = newFile();
    const runs = await Promise.all([runScript('./open-new.ts', [database]), runScript('./open-new.ts', [database])]);
    for (const run of runs)
      expect(run).toMatchObject({ code: 0, stderr: '', stdout: String(reference.rows.__teamstate_migrations?.length) });
    const client = createClient({ url: database });
    const after = await contents(client);
    client.close();
    expect(after.objects).toEqual(reference.objects);
    expect(after.rows.__teamstate_migrations).toHaveLength(reference.rows.__teamstate_migrations!.length);
  });
});
