import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { createClient } from '@libsql/client/sqlite3';
import type { MigrationPart } from './migrate.js';
import { columns, integer, nullable, scalar, text } from './row-decoder.js';

/**
 * What a new database holds once every migration of a list has run and its statements run after open are done: the
 * statements of its schema objects in the order they were created, and its migration bookkeeping (the times left
 * out). It sets up a new database in one transaction (about 25 ms instead of 200: the migrations add columns one
 * at a time, and SQLite checks the whole schema again for each). Known ahead for this version's migrations
 * (`src/fresh-schema.generated.ts`, used while its digest is theirs), else taken from the first new database a
 * process sets up with a list.
 */
export interface FreshSchema {
  /** {@link migrationsDigest} of the migrations it is theirs. */
  readonly digest: string;
  readonly objects: readonly string[];
  readonly tags: readonly string[];
  readonly backfills: readonly { tag: string; ordinal: number; total: number; done: number; cursor: string; finished: boolean }[];
}

/** One per list of migrations (the same array, as the store is opened with it), for this process. */
const taken = new WeakMap<readonly MigrationPart[], FreshSchema>();

/** What identifies a list of migrations: a digest of every part's tag, owner and statements, in order. */
export function migrationsDigest(migrations: readonly MigrationPart[]): string {
  const parts = migrations.map((part) => [part.tag, part.owner, part.statements]);
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Schemas known ahead, their digests not checked yet: on the first new database (a process that opens none pays nothing). */
const known = new WeakMap<readonly MigrationPart[], FreshSchema>();

/** Uses `schema` for new databases opened with `migrations`, unless its digest is another list's. */
export function knowFreshSchema(migrations: readonly MigrationPart[], schema: FreshSchema): void {
  known.set(migrations, schema);
}

/** The schema taken or known for `migrations`, if any. */
function freshSchemaOf(migrations: readonly MigrationPart[]): FreshSchema | undefined {
  const ahead = known.get(migrations);
  if (ahead !== undefined) {
    known.delete(migrations);
    if (!taken.has(migrations) && ahead.digest === migrationsDigest(migrations)) taken.set(migrations, ahead);
  }
  return taken.get(migrations);
}

const objectRows = columns({ name: text, tbl_name: text, sql: text });
const nameRows = columns({ name: text });
const tagRows = columns({ tag: text });
const backfillRows = columns({ tag: text, ordinal: integer, total: integer, done: integer, cursor: text, finished_at: nullable(integer) });

type Execute = (sql: string) => Promise<{ rows: readonly object[] }>;

/** The tables SQLite and libSQL (a server's) keep for themselves. */
const INTERNAL = /^(?:sqlite_|libsql_|_litestream)/;

/** True when the database holds nothing at all: no table, index, trigger or view but SQLite's and libSQL's own. */
export async function isEmptyDatabase(execute: Execute): Promise<boolean> {
  const { rows } = await execute(
    "SELECT count(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'libsql\\_%' ESCAPE '\\' AND name NOT LIKE '\\_litestream%' ESCAPE '\\'",
  );
  return scalar(rows, 'n', integer) === 0;
}

/** What `execute`'s database holds, set up by `migrations` from empty; undefined while statements run in batches. */
export async function readFreshSchema(execute: Execute, migrations: readonly MigrationPart[]): Promise<FreshSchema | undefined> {
  const backfills = backfillRows
    .all((await execute('SELECT tag, ordinal, total, done, cursor, finished_at FROM __teamstate_backfills ORDER BY tag, ordinal')).rows)
    .map(({ finished_at, ...row }) => ({ ...row, finished: finished_at !== null }));
  if (backfills.some((row) => !row.finished)) return undefined;
  // A virtual table's own tables (full-text search's) are created with it.
  const shadow = new Set(
    nameRows.all((await execute("SELECT name FROM pragma_table_list WHERE type = 'shadow'")).rows).map((row) => row.name),
  );
  const objects = objectRows
    .all((await execute('SELECT name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid')).rows)
    .filter((row) => !shadow.has(row.tbl_name) && !INTERNAL.test(row.name))
    .map((row) => row.sql);
  const tags = tagRows.all((await execute('SELECT tag FROM __teamstate_migrations ORDER BY tag')).rows).map((row) => row.tag);
  return { digest: migrationsDigest(migrations), objects, tags, backfills };
}

/**
 * Keeps what `execute`'s database holds, set up by `migrations` from empty, for the next new database opened with the
 * same list. Once per list: the first taken (or known) stays.
 */
export async function takeFreshSchema(execute: Execute, migrations: readonly MigrationPart[]): Promise<void> {
  if (freshSchemaOf(migrations) !== undefined) return;
  const schema = await readFreshSchema(execute, migrations);
  if (schema !== undefined && !taken.has(migrations)) taken.set(migrations, schema);
}

/**
 * Sets up an empty database with the schema known or taken for `migrations` (its times `now`), inside one write
 * transaction (`local`: a local file or memory, not a libSQL server directly or through a replica). False, with nothing written, when there is none yet or the database is not empty (another connection
 * may have set it up meanwhile): the migrations then run as usual.
 */
export async function setUpFromFreshSchema(
  client: Client,
  migrations: readonly MigrationPart[],
  now: number,
  local: boolean,
): Promise<boolean> {
  const schema = freshSchemaOf(migrations);
  if (schema === undefined) return false;
  const tx = await client.transaction('write');
  try {
    if (!(await isEmptyDatabase((sql) => tx.execute(sql)))) return false;
    // A libSQL server (directly or through a replica) stores a script's statements as it parsed them, a batch's as sent.
    if (!local) await tx.batch([...schema.objects]);
    // SQLite keeps what comes before a statement's semicolon (an index's text, the space up to it): nothing is added,
    // save a line break after a closing comment.
    else await tx.executeMultiple(schema.objects.map((sql) => (/--[^\n]*$/.test(sql) ? `${sql}\n;` : `${sql};`)).join('\n'));
    await tx.execute({
      sql: 'INSERT INTO __teamstate_migrations (tag, applied_at) SELECT value, ? FROM json_each(?)',
      args: [now, JSON.stringify(schema.tags)],
    });
    await tx.execute({
      sql: `INSERT INTO __teamstate_backfills (tag, ordinal, total, done, cursor, finished_at)
        SELECT value ->> 'tag', value ->> 'ordinal', value ->> 'total', value ->> 'done', value ->> 'cursor', iif(value ->> 'finished', ?, NULL)
        FROM json_each(?)`,
      args: [now, JSON.stringify(schema.backfills)],
    });
    await tx.commit();
    return true;
  } finally {
    tx.close();
  }
}

/** This process's {@link freshTemplate}, per list of migrations. */
const templates = new WeakMap<readonly MigrationPart[], Promise<Uint8Array | undefined>>();

/**
 * The bytes of a local database file set up with the schema known or taken for `migrations` (its bookkeeping's times
 * 0), made once in this process: a new local file starts as a copy of them, its times then set (a write of about 1 MB
 * and two updates, where creating the schema's objects takes 30 to 90 ms: SQLite reads its whole schema again for each
 * one). Kept in memory, the temporary file they were made in removed at once. Undefined while no schema is known for
 * the list, or when they could not be made.
 */
export function freshTemplate(migrations: readonly MigrationPart[]): Promise<Uint8Array | undefined> {
  if (freshSchemaOf(migrations) === undefined) return Promise.resolve(undefined);
  let made = templates.get(migrations);
  if (made === undefined) {
    made = makeTemplate(migrations).catch(() => undefined);
    templates.set(migrations, made);
  }
  return made;
}

async function makeTemplate(migrations: readonly MigrationPart[]): Promise<Uint8Array | undefined> {
  const folder = mkdtempSync(join(tmpdir(), 'teamstate-schema-'));
  try {
    const file = join(folder, 'schema.db');
    const client = createClient({ url: `file:${file}`, intMode: 'number' });
    try {
      await client.execute('PRAGMA journal_mode = WAL');
      if (!(await setUpFromFreshSchema(client, migrations, 0, true))) return undefined;
      // Everything in the file itself, none of it in the log: the file alone is the whole database.
      const { rows } = await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
      if (scalar(rows, 'busy', integer) !== 0) return undefined;
    } finally {
      client.close();
    }
    return readFileSync(file);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Gives a database copied from {@link freshTemplate} its own times: when each migration was applied, each batch finished. */
export async function stampFreshCopy(client: Client, now: number): Promise<void> {
  await client.batch(
    [
      { sql: 'UPDATE __teamstate_migrations SET applied_at = ?', args: [now] },
      { sql: 'UPDATE __teamstate_backfills SET finished_at = ? WHERE finished_at IS NOT NULL', args: [now] },
    ],
    'write',
  );
}
