import type { InArgs, Transaction } from '@libsql/client';
import { columns, integer, nullable, text } from './row-decoder.js';
import type { ThreadStatement } from './write-thread.js';

// A migration statement that rewrites many rows of a large table runs in batches, each its own short write
// transaction, so that a database being upgraded stays readable and writable between them. Such a statement starts
// with a line `-- in batches: <a query counting the rows it has left>` and is written to take two named parameters:
// `:limit`, the most rows one batch handles, and `:after`, a JSON array (the cursor, `[]` at first) below which
// it has nothing left to do; it returns (`RETURNING ... AS cursor`) a JSON array for each row it wrote, the largest of
// which is the next cursor. It must leave the rows correct for readers whether written yet or not (the migration's
// schema, triggers and import already write the new form). A batch that writes nothing ends it.
//
// A statement that builds an index over a large table cannot be split into batches, and inside the migration's
// transaction it would hold the first open of a large database for as long as it reads the table. It starts with a
// line `-- after open: <a query counting the rows it reads>` and runs after the migration, whole, in its own write
// transaction, with the batches: once the store is open (behind its reads, on a thread of its own for a local file), or
// in `teamstate migrate`. It is a `CREATE INDEX`; or one step of replacing an index by a narrower one under a new name
// (create the new one, then drop the old one in the next statement); or, for an index that a reader names with
// INDEXED BY, a replacement under the same name: `DROP INDEX IF EXISTS x; CREATE INDEX x ...` in one statement block,
// run in the one transaction, so readers see the old index until the new one is committed; or the drop of indexes no
// reader needs (dropping one reads every page of it); or the drop of a table no reader reads any more (its indexes,
// then, after a batched DELETE of its rows, `DROP TABLE IF EXISTS`); or the rebuild of a table under its own name in
// a new storage (its rows copied aside, the table dropped, created again and filled from the copy, with its indexes
// and triggers), readers seeing the old table until it commits. Its count may be an estimate read in a moment
// (`SELECT coalesce(max(rowid), 0) FROM t`), as long as it is 0 for an empty table. It must be idempotent
// (`IF NOT EXISTS`, `IF EXISTS`): a process stopped during it rolls it back and the next open runs it again. Readers
// must be right without it (they use the old index or none meanwhile, so none may name a new name with INDEXED BY). Its
// progress is 0 of the rows until it finishes. On a table with no rows (a new database) it runs at once inside the
// migration.

/** What runBackfills needs of a migration part (migrate.ts's MigrationPart). */
interface BatchedPart {
  readonly tag: string;
  readonly statements: readonly string[];
}

/** The first line that makes a migration statement run in batches. */
const BATCHED = /^-- in batches: ([^\n]+)\n/;
/**
 * The line that makes a migration statement (an index build) run whole after the migration: its first, or the first
 * after the comment (and blank) lines that open the migration's file.
 */
const AFTER_OPEN = /^(?:--(?! after open: )[^\n]*\n|[ \t]*\n)*-- after open: ([^\n]+)\n/;

/** The rows a batch handles unless told otherwise. */
export const BATCH_ROWS = 5_000;

/** How far one batched statement of a migration has got. */
export interface BackfillProgress {
  /** The migration, `0064_person_activity_narrow`. */
  tag: string;
  /** Its place among that migration's batched and after-open statements, from 0. */
  ordinal: number;
  /** Rows written so far (an index build: 0 until it is built, then its total). */
  done: number;
  /** Rows it had to write (or read, an index build) when the migration was applied (an estimate once others write). */
  total: number;
  /** True once a batch found nothing left to write. */
  finished: boolean;
}

/** The table recording each batched statement's progress; created with `__teamstate_migrations`. */
export const BACKFILLS_TABLE = `CREATE TABLE IF NOT EXISTS __teamstate_backfills (tag TEXT NOT NULL, ordinal INTEGER NOT NULL,
  total INTEGER NOT NULL, done INTEGER NOT NULL, cursor TEXT NOT NULL, finished_at INTEGER, PRIMARY KEY (tag, ordinal))`;

/** The count query of a batched statement, or undefined for a statement that runs whole. */
export const batchedCount = (statement: string): string | undefined => BATCHED.exec(statement)?.[1];

/** The count query of a statement that runs after the migration (an index build), or undefined for any other. */
export const afterOpenCount = (statement: string): string | undefined => AFTER_OPEN.exec(statement)?.[1];

/** The count query of a statement the migration only registers (batched or after open), in that order of checks. */
export const deferredCount = (statement: string): string | undefined => batchedCount(statement) ?? afterOpenCount(statement);

/**
 * Registers a batched or after-open `statement` of `tag` while its migration is applied (inside its transaction):
 * counts its rows. An after-open statement with no rows to read runs there and then.
 */
export async function registerBackfill(
  tx: Pick<Transaction, 'execute' | 'executeMultiple'>,
  tag: string,
  ordinal: number,
  statement: string,
  now: number,
) {
  const count = deferredCount(statement) ?? 'SELECT 0';
  const total = Number((await tx.execute(count)).rows[0]?.[0] ?? 0);
  if (total === 0 && afterOpenCount(statement) !== undefined) await tx.executeMultiple(statement);
  await tx.execute({
    sql: 'INSERT OR REPLACE INTO __teamstate_backfills (tag, ordinal, total, done, cursor, finished_at) VALUES (?, ?, ?, 0, ?, ?)',
    args: [tag, ordinal, total, '[]', total === 0 ? now : null],
  });
}

const progressRows = columns({ tag: text, ordinal: integer, done: integer, total: integer, finished_at: nullable(integer) });

/** Every batched statement's progress, in migration order (none before the table exists). */
export async function backfillProgress(read: (sql: string) => Promise<{ rows: readonly object[] }>): Promise<BackfillProgress[]> {
  const exists = await read("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__teamstate_backfills'");
  if (exists.rows.length === 0) return [];
  const { rows } = await read('SELECT tag, ordinal, done, total, finished_at FROM __teamstate_backfills ORDER BY tag, ordinal');
  return progressRows
    .all(rows)
    .map((row) => ({ tag: row.tag, ordinal: row.ordinal, done: row.done, total: row.total, finished: row.finished_at !== null }));
}

/** One write transaction: the store's (queued with its other writes) or a raw client's. */
export type WriteTransaction = <T>(fn: (tx: Pick<Transaction, 'execute' | 'executeMultiple'>) => Promise<T>) => Promise<T>;

/** Options of {@link runBackfills}. */
export interface RunBackfillsOptions {
  /** Rows per batch (default {@link BATCH_ROWS}). */
  limit?: number;
  /** Stop after this many batches (default: until every batched statement is finished). */
  maxBatches?: number;
  /** Asked before each batch: true stops (the rest waits for the next open or `teamstate migrate`). */
  stop?: () => boolean;
  /** Called after each batch, between transactions. */
  between?: () => Promise<void>;
  /** The time recorded when a statement finishes. */
  now: () => number;
  /**
   * Runs an after-open statement and the record of its end in one write transaction off the event loop (a local
   * file's write thread), holding this process's write turn; without it they run through `write`.
   */
  buildAside?: (statements: ThreadStatement[], guard: Required<ThreadStatement>) => Promise<void>;
}

const cursorRows = columns({ cursor: text, finished_at: nullable(integer) });

/** SQLite's order of two JSON arrays of keys (text compared as UTF-8 bytes, as its BINARY collation does). */
function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    const order =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : typeof x === 'number'
          ? -1
          : typeof y === 'number'
            ? 1
            : Buffer.compare(Buffer.from(String(x)), Buffer.from(String(y)));
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/**
 * Runs the unfinished batched and after-open statements of `migrations`, one batch (or one whole after-open
 * statement) per write transaction, in migration order.
 * Each batch reads its statement's cursor inside its own transaction, so two processes running them at once share the
 * work instead of repeating it. Returns the progress after the last batch.
 */
export async function runBackfills(
  write: WriteTransaction,
  read: (sql: string) => Promise<{ rows: readonly object[] }>,
  migrations: readonly BatchedPart[],
  options: RunBackfillsOptions,
): Promise<BackfillProgress[]> {
  const limit = options.limit ?? BATCH_ROWS;
  let batches = 0;
  for (const pending of (await backfillProgress(read)).filter((progress) => !progress.finished)) {
    const statement = migrations
      .filter((part) => part.tag === pending.tag)
      .flatMap((part) => part.statements)
      .filter((candidate) => deferredCount(candidate) !== undefined)[pending.ordinal];
    if (statement === undefined) continue;
    const whole = afterOpenCount(statement) !== undefined;
    for (;;) {
      if (batches >= (options.maxBatches ?? Number.POSITIVE_INFINITY) || options.stop?.()) return backfillProgress(read);
      batches++;
      const build = whole ? options.buildAside : undefined;
      if (build !== undefined) {
        // The build and its record commit together, on a connection of their own (a thread): the event loop goes on.
        // Only while unfinished: another process (`teamstate migrate`) may have built it since the list was read.
        const key = [pending.tag, pending.ordinal];
        await build(
          [
            { sql: statement },
            {
              sql: 'UPDATE __teamstate_backfills SET done = total, finished_at = ? WHERE tag = ? AND ordinal = ?',
              args: [options.now(), ...key],
            },
          ],
          { sql: 'SELECT 1 FROM __teamstate_backfills WHERE tag = ? AND ordinal = ? AND finished_at IS NULL', args: key },
        );
        await options.between?.();
        break;
      }
      const finished = await write(async (tx) => {
        const key = {
          sql: 'SELECT cursor, finished_at FROM __teamstate_backfills WHERE tag = ? AND ordinal = ?',
          args: [pending.tag, pending.ordinal],
        };
        const state = cursorRows.first((await tx.execute(key)).rows);
        if (state === undefined || state.finished_at !== null) return true;
        if (whole) {
          // The build and its record commit together: stopped half way, both roll back and the next run repeats it.
          await tx.executeMultiple(statement);
          await tx.execute({
            sql: 'UPDATE __teamstate_backfills SET done = total, finished_at = ? WHERE tag = ? AND ordinal = ?',
            args: [options.now(), pending.tag, pending.ordinal],
          });
          return true;
        }
        const args: InArgs = { after: state.cursor, limit };
        const { rows } = await tx.execute({ sql: statement, args });
        const next = rows.reduce<unknown[]>((max, row) => {
          const cursor = JSON.parse(String(row.cursor)) as unknown[];
          return compareKeys(cursor, max) > 0 ? cursor : max;
        }, JSON.parse(state.cursor) as unknown[]);
        await tx.execute({
          sql: 'UPDATE __teamstate_backfills SET done = done + ?, cursor = ?, finished_at = ? WHERE tag = ? AND ordinal = ?',
          args: [rows.length, JSON.stringify(next), rows.length === 0 ? options.now() : null, pending.tag, pending.ordinal],
        });
        return rows.length === 0;
      });
      await options.between?.();
      if (finished) break;
    }
  }
  return backfillProgress(read);
}
