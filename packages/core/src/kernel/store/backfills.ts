import type { InArgs, Transaction } from '@libsql/client';
import { columns, integer, nullable, text } from './row-decoder.js';

// A migration statement that rewrites many rows of a large table runs in batches, each its own short write
// transaction, so that a database being upgraded stays readable and writable between them. Such a statement starts
// with a line `-- in batches: <a query counting the rows it has left>` and is written to take two named parameters:
// `:limit`, the most rows one batch handles, and `:after`, a JSON array (the cursor, `[]` at first) below which
// it has nothing left to do; it returns (`RETURNING ... AS cursor`) a JSON array for each row it wrote, the largest of
// which is the next cursor. It must leave the rows correct for readers whether written yet or not (the migration's
// schema, triggers and import already write the new form). A batch that writes nothing ends it.

/** What runBackfills needs of a migration part (migrate.ts's MigrationPart). */
interface BatchedPart {
  readonly tag: string;
  readonly statements: readonly string[];
}

/** The first line that makes a migration statement run in batches. */
const BATCHED = /^-- in batches: ([^\n]+)\n/;

/** The rows a batch handles unless told otherwise. */
export const BATCH_ROWS = 5_000;

/** How far one batched statement of a migration has got. */
export interface BackfillProgress {
  /** The migration, `0064_person_activity_narrow`. */
  tag: string;
  /** Its place among that migration's batched statements, from 0. */
  ordinal: number;
  /** Rows written so far. */
  done: number;
  /** Rows it had to write when the migration was applied (an estimate once other writers add rows). */
  total: number;
  /** True once a batch found nothing left to write. */
  finished: boolean;
}

/** The table recording each batched statement's progress; created with `__teamstate_migrations`. */
export const BACKFILLS_TABLE = `CREATE TABLE IF NOT EXISTS __teamstate_backfills (tag TEXT NOT NULL, ordinal INTEGER NOT NULL,
  total INTEGER NOT NULL, done INTEGER NOT NULL, cursor TEXT NOT NULL, finished_at INTEGER, PRIMARY KEY (tag, ordinal))`;

/** The count query of a batched statement, or undefined for a statement that runs whole. */
export const batchedCount = (statement: string): string | undefined => BATCHED.exec(statement)?.[1];

/** Registers a batched statement of `tag` while its migration is applied (inside its transaction): counts its rows. */
export async function registerBackfill(tx: Pick<Transaction, 'execute'>, tag: string, ordinal: number, count: string, now: number) {
  const total = Number((await tx.execute(count)).rows[0]?.[0] ?? 0);
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
export type WriteTransaction = <T>(fn: (tx: Pick<Transaction, 'execute'>) => Promise<T>) => Promise<T>;

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
 * Runs the unfinished batched statements of `migrations`, one batch per write transaction, in migration order.
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
      .filter((candidate) => batchedCount(candidate) !== undefined)[pending.ordinal];
    if (statement === undefined) continue;
    for (;;) {
      if (batches >= (options.maxBatches ?? Number.POSITIVE_INFINITY) || options.stop?.()) return backfillProgress(read);
      batches++;
      const finished = await write(async (tx) => {
        const key = {
          sql: 'SELECT cursor, finished_at FROM __teamstate_backfills WHERE tag = ? AND ordinal = ?',
          args: [pending.tag, pending.ordinal],
        };
        const state = cursorRows.first((await tx.execute(key)).rows);
        if (state === undefined || state.finished_at !== null) return true;
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
