import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from '../src/fresh-schema.generated.js';
import { freshTemplate, knowFreshSchema, migrationsDigest } from '../src/kernel/store/fresh-schema.js';
import type { MigrationPart } from '../src/kernel/store/migrate.js';
import { openStore, type Store } from '../src/kernel/store/open-store.js';
import { connect } from '../src/kernel/store/store-connection.js';
import { migrations } from '../src/migrations.js';
import { runScript } from './helpers/child-process.js';
import { startSqld } from './helpers/sqld.js';

// A new local database is set up in one transaction from the schema known ahead for this version's migrations
// (src/fresh-schema.generated.ts; test/fresh-schema-generated.test.ts at the root checks it is current), or, for another
// list, from the first new database the process set up with it, which ran every migration. Every way must give the same
// database.

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
/**
 * What a database holds: its schema objects in the order they were made, and every row of every table, read in one
 * batch (one round trip to a libSQL server, not one per table).
 */
async function contents(db: Pick<Client, 'execute' | 'batch'>) {
  const objects = (await db.execute('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid')).rows.map((row) => ({ ...row }));
  const names = (await db.execute(TABLES)).rows.map(({ name }) => String(name));
  const read = await db.batch(
    names.map((name) => `SELECT * FROM "${name}"`),
    'read',
  );
  const rows = Object.fromEntries(names.map((name, i) => [name, read[i]!.rows.map((row) => JSON.stringify({ ...row })).sort()]));
  return { objects, rows };
}
/** How many times the schema changed: one per statement that created or altered something. */
const schemaVersion = async (db: Execute) => Number((await db.execute('PRAGMA schema_version')).rows[0]?.schema_version);

async function opened<T>(database: string, list: readonly MigrationPart[], read: (store: Store) => Promise<T>, now = NOW): Promise<T> {
  const store = await openStore({ database, migrations: list, now: () => now });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

describe('a new database', () => {
  it('set up from the first one of the process holds exactly what its migrations write, on a file and in memory', async () => {
    const list = [...migrations];
    const first = await opened(newFile(), list, async (store) => ({
      ...(await contents(store.client)),
      version: await schemaVersion(store),
    }));
    expect(first.rows.__teamstate_migrations).toHaveLength(new Set(list.map((part) => part.tag)).size);
    expect(first.rows.__teamstate_backfills?.length).toBeGreaterThan(0);
    for (const database of [newFile(), ':memory:']) {
      const next = await opened(database, list, async (store) => ({
        ...(await contents(store.client)),
        version: await schemaVersion(store),
      }));
      expect(next.objects).toEqual(first.objects);
      expect(next.rows).toEqual(first.rows);
      // Set up in one go: every migration ran one statement after the other, adding columns one at a time.
      expect(next.version).toBeLessThan(first.version / 2);
    }
  });

  it('on a file starts as a copy of one set up once in the process, with its own times, for its owner only', async () => {
    const list = [...migrations];
    const first = await opened(newFile(), list, (store) => contents(store.client));
    const later = NOW + 3_600_000;
    const database = newFile();
    const copy = await opened(
      database,
      list,
      async (store) => ({
        ...(await contents(store.client)),
        integrity: (await store.execute('PRAGMA integrity_check')).rows[0]?.integrity_check,
        journal: (await store.execute('PRAGMA journal_mode')).rows[0]?.journal_mode,
      }),
      later,
    );
    expect(copy.objects).toEqual(first.objects);
    const retimed = (rows: string[] | undefined, column: string) =>
      rows!
        .map((row) => JSON.parse(row) as Record<string, unknown>)
        .map((row) => (row[column] === null ? row : { ...row, [column]: later }));
    expect(copy.rows.__teamstate_migrations!.map((row) => JSON.parse(row))).toEqual(
      retimed(first.rows.__teamstate_migrations, 'applied_at'),
    );
    expect(copy.rows.__teamstate_backfills!.map((row) => JSON.parse(row))).toEqual(
      retimed(first.rows.__teamstate_backfills, 'finished_at'),
    );
    expect(copy).toMatchObject({ integrity: 'ok', journal: 'wal' });
    const path = database.slice('file:'.length);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((name) => name.endsWith('.new'))).toEqual([]);

    // The copy is what connecting made of a new file; a file that appeared meanwhile (another process's) is kept.
    const fresh = newFile();
    const made = await connect({ database: fresh }, () => freshTemplate(list));
    made.close();
    expect(made.copied).toBe(true);
    const raced = newFile();
    const kept = await connect({ database: raced }, async () => {
      writeFileSync(raced.slice('file:'.length), '', { mode: 0o600 });
      return freshTemplate(list);
    });
    kept.close();
    expect(kept.copied).toBe(false);
    expect(await opened(raced, list, async (store) => (await contents(store.client)).objects)).toEqual(first.objects);
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
    const reference = await opened(newFile(), list, (store) => contents(store.client));
    const database = newFile();
    const client = createClient({ url: database });
    await client.execute('CREATE TABLE mine (x TEXT)');
    await client.execute("INSERT INTO mine VALUES ('kept')");
    client.close();
    const after = await opened(database, list, async (store) => ({
      ...(await contents(store.client)),
      version: await schemaVersion(store),
    }));
    expect(after.rows.mine).toEqual([JSON.stringify({ x: 'kept' })]);
    expect(after.rows.__teamstate_migrations).toEqual(reference.rows.__teamstate_migrations);
    expect(after.objects.filter((object) => object.name !== 'mine').map((object) => object.name)).toEqual(
      reference.objects.map((object) => object.name),
    );
    expect(after.version).toBeGreaterThan(list.length);
  });

  it('opened by two processes at once is set up once, from the schema known ahead, as the migrations set it up', async () => {
    const reference = await opened(newFile(), [...migrations], async (store) => ({
      ...(await contents(store.client)),
      version: await schemaVersion(store),
    }));
    const database = newFile();
    const runs = await Promise.all([runScript('./open-new.ts', [database]), runScript('./open-new.ts', [database])]);
    for (const run of runs) {
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const { tags, schemaVersion: version } = JSON.parse(run.stdout) as { tags: number; schemaVersion: number };
      expect(tags).toBe(reference.rows.__teamstate_migrations?.length);
      // The first new database of each process: set up in one go, not by its migrations.
      expect(version).toBeLessThan(reference.version / 2);
    }
    const client = createClient({ url: database });
    const after = await contents(client);
    client.close();
    expect(after.objects).toEqual(reference.objects);
    expect(after.rows.__teamstate_migrations).toHaveLength(reference.rows.__teamstate_migrations!.length);
  });

  it('on a libSQL server, directly or through an embedded replica, is set up in one go, as the migrations set it up', async () => {
    /** What a new server holds once opened (`replica`: through a new embedded replica of it) with `list`. */
    const server = async (list: readonly MigrationPart[], replica = false) => {
      const sqld = await startSqld();
      try {
        const where = replica ? { database: newFile(), syncUrl: sqld.url } : { database: sqld.url };
        await (await openStore({ ...where, migrations: list, now: () => NOW })).close();
        // Read on the server itself.
        const client = createClient({ url: sqld.url });
        try {
          return { ...(await contents(client)), version: await schemaVersion(client) };
        } finally {
          client.close();
        }
      } finally {
        await sqld.stop();
      }
    };
    // Through a replica, a script reaches the server as the replica's driver parsed it (its spacing changed), and the
    // migrations run some statements as scripts: the same schema, but not always the same text.
    const spacing = (objects: Record<string, unknown>[]) =>
      objects.map((object) => ({ ...object, sql: String(object.sql).replace(/\s+/g, '') }));
    for (const replica of [false, true]) {
      const { version: migrated, ...reference } = await server([...migrations], replica);
      const { version, ...after } = await server(migrations, replica);
      if (replica) expect(spacing(after.objects)).toEqual(spacing(reference.objects));
      else expect(after.objects).toEqual(reference.objects);
      expect(after.rows).toEqual(reference.rows);
      expect(version).toBeLessThan(migrated / 2);
    }
  });

  it('is set up by its migrations when the schema known for them is another list’s', async () => {
    const list = [...migrations];
    knowFreshSchema(list, { ...freshSchema, digest: migrationsDigest(list.slice(1)) });
    const version = await opened(newFile(), list, schemaVersion);
    expect(version).toBeGreaterThan(list.length);
  });
});
