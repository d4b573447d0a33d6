import type { Client } from '@libsql/client';
import type { MigrationPart } from './migrate.js';
import { columns, integer, nullable, scalar, text } from './row-decoder.js';

/**
 * What a new database holds once every migration of a list has run and its statements run after open are done: the
 * statements of its schema objects in the order they were created, and its migration bookkeeping (the times left
 * out). Taken from the first new local database a process sets up with that list, it sets up the next ones in one
 * transaction (about 25 ms instead of 250: the migrations add columns one at a time, and SQLite checks the whole
 * schema again for each).
 */
interface FreshSchema {
  readonly objects: readonly string[];
  readonly tags: readonly string[];
  readonly backfills: readonly { tag: string; ordinal: number; total: number; done: number; cursor: string; finished: boolean }[];
}

/** One per list of migrations (the same array, as the store is opened with it), for this process. */
const taken = new WeakMap<readonly MigrationPart[], FreshSchema>();

const objectRows = columns({ name: text, tbl_name: text, sql: text });
const nameRows = columns({ name: text });
const tagRows = columns({ tag: text });
const backfillRows = columns({ tag: text, ordinal: integer, total: integer, done: integer, cursor: text, finished_at: nullable(integer) });

type Execute = (sql: string) => Promise<{ rows: readonly object[] }>;

/** True when the database holds nothing at all: no table, index, trigger or view. */
export async function isEmptyDatabase(execute: Execute): Promise<boolean> {
  return scalar((await execute('SELECT count(*) AS n FROM sqlite_master')).rows, 'n', integer) === 0;
}

/**
 * Keeps what `execute`'s database holds, set up by `migrations` from empty, for the next new database opened with the
 * same list. Once per list: the first taken stays.
 */
export async function takeFreshSchema(execute: Execute, migrations: readonly MigrationPart[]): Promise<void> {
  if (taken.has(migrations)) return;
  // A virtual table's own tables (full-text search's) are created with it.
  const shadow = new Set(
    nameRows.all((await execute("SELECT name FROM pragma_table_list WHERE type = 'shadow'")).rows).map((row) => row.name),
  );
  const objects = objectRows
    .all((await execute('SELECT name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid')).rows)
    .filter((row) => !shadow.has(row.tbl_name))
    .map((row) => row.sql);
  const backfills = backfillRows
    .all((await execute('SELECT tag, ordinal, total, done, cursor, finished_at FROM __teamstate_backfills ORDER BY tag, ordinal')).rows)
    .map(({ finished_at, ...row }) => ({ ...row, finished: finished_at !== null }));
  // Only a database that is done: statements still running in batches would be taken half done.
  if (backfills.some((row) => !row.finished)) return;
  const tags = tagRows.all((await execute('SELECT tag FROM __teamstate_migrations ORDER BY tag')).rows).map((row) => row.tag);
  taken.set(migrations, { objects, tags, backfills });
}

/**
 * Sets up an empty database with the schema this process took for `migrations` (its times `now`), inside one write
 * transaction. False, with nothing written, when none was taken yet or the database is not empty (another connection
 * may have set it up meanwhile): the migrations then run as usual.
 */
export async function setUpFromFreshSchema(client: Client, migrations: readonly MigrationPart[], now: number): Promise<boolean> {
  const schema = taken.get(migrations);
  if (schema === undefined) return false;
  const tx = await client.transaction('write');
  try {
    if (!(await isEmptyDatabase((sql) => tx.execute(sql)))) return false;
    // SQLite keeps what comes before a statement's semicolon (an index's text, the space up to it): nothing is added,
    // save a line break after a closing comment.
    await tx.executeMultiple(schema.objects.map((sql) => (/--[^\n]*$/.test(sql) ? `${sql}\n;` : `${sql};`)).join('\n'));
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
