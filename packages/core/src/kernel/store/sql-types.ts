// The read-only query interface calculators, detectors and digests receive (implemented in store-reader.ts), and the
// SQL fragment the `sql` tag builds. The spec re-exports them as part of the extension contract.

import type { RowDecoder } from './row-decoder.js';

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | null;

/** A SQL fragment with its positional arguments, composable with the `sql` tag. */
export interface Sql {
  readonly text: string;
  readonly args: readonly SqlValue[];
}

/**
 * Read-only access to one workspace of the store: what metric calculators, signal detectors and digests
 * get instead of the store itself. There is no `write()` and no raw client, and a statement that is not
 * a query (`SELECT`, `WITH … SELECT`, `VALUES`, `EXPLAIN`) is refused before it reaches the database.
 * Pass the row's columns first (`columns({ n: integer })` from `@teamstate/core/store`) and every row is checked
 * as it is read; without them rows come back as libSQL returns them (numbers for INTEGER and REAL columns, strings
 * for TEXT, `null` for NULL) typed by the type parameter alone.
 *
 * @example
 * const row = await db.get(columns({ n: integer }), sql`SELECT count(*) AS n FROM incidents WHERE workspace = ${db.workspace}`)
 * const open = row?.n ?? 0
 */
export interface StoreReader {
  /** The workspace this reader was made for (every table is scoped by a `workspace` column). */
  readonly workspace: string;
  /** Every row of a query built with the `sql` tag, checked against its columns. */
  all<T>(rows: RowDecoder<T>, query: Sql): Promise<T[]>;
  /** Every row of a query built with the `sql` tag, typed by the caller. */
  all<T extends object = Record<string, unknown>>(query: Sql): Promise<T[]>;
  /** The first row of a query checked against its columns, or `undefined` when it has none. */
  get<T>(rows: RowDecoder<T>, query: Sql): Promise<T | undefined>;
  /** The first row of a query, or `undefined` when it has none. */
  get<T extends object = Record<string, unknown>>(query: Sql): Promise<T | undefined>;
  /**
   * Runs one read-only statement with positional arguments, like `Store.execute` (which calculators written
   * before the reader used); writes are refused.
   * @deprecated Build the statement with the `sql` tag and use {@link StoreReader.all} or {@link StoreReader.get}.
   */
  execute(sql: string, args?: readonly SqlValue[]): Promise<{ rows: Record<string, unknown>[] }>;
}
