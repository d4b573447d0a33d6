import type { InArgs, Row } from '@libsql/client';
import { TeamStateError } from '../errors.js';
import type { Store } from './open-store.js';
import type { Sql } from './sql.js';

/**
 * Read-only access to one workspace of the store: what metric calculators, signal detectors and digests
 * get instead of the {@link Store}. There is no `write()` and no raw client, and a statement that is not
 * a query (`SELECT`, `WITH … SELECT`, `VALUES`, `EXPLAIN`) is refused before it reaches the database.
 * Rows come back as libSQL returns them: numbers for INTEGER and REAL columns, strings for TEXT, `null`
 * for NULL; name their shape with the type parameter.
 *
 * @example
 * const row = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM incidents WHERE workspace = ${db.workspace}`)
 * const open = row?.n ?? 0
 */
export interface StoreReader {
  /** The workspace this reader was made for (every table is scoped by a `workspace` column). */
  readonly workspace: string;
  /** Every row of a query built with the `sql` tag. */
  all<T extends object = Record<string, unknown>>(query: Sql): Promise<T[]>;
  /** The first row of a query, or `undefined` when it has none. */
  get<T extends object = Record<string, unknown>>(query: Sql): Promise<T | undefined>;
  /**
   * Runs one read-only statement with positional arguments, like `Store.execute` (which calculators written
   * before the reader used); writes are refused.
   * @deprecated Build the statement with the `sql` tag and use {@link StoreReader.all} or {@link StoreReader.get}.
   */
  execute(sql: string, args?: InArgs): Promise<{ rows: Row[] }>;
}

// Leading comments and whitespace, then the statement's first keyword.
const FIRST_KEYWORD = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*([a-z]+)/i;
const READ_KEYWORDS = new Set(['select', 'with', 'values', 'explain']);
// A common table expression may end in a write (`WITH x AS (…) DELETE FROM …`).
const WRITE_CLAUSE = /\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update\s+(?:or\s+\w+\s+)?["`[\w.\]]+\s+set|delete\s+from)\b/i;

/** Refuses a statement that could write, naming what to do instead. */
export function assertReadOnly(text: string): void {
  const keyword = FIRST_KEYWORD.exec(text)?.[1]?.toLowerCase();
  if (keyword && READ_KEYWORDS.has(keyword) && (keyword !== 'with' || !WRITE_CLAUSE.test(text))) return;
  throw new TeamStateError(
    'invalid_argument',
    `read-only store: only queries (SELECT, WITH … SELECT, VALUES) can run here, got "${text.trim().slice(0, 40)}…"; writes go through the SDK (ts.import, ts.sync, approvals)`,
  );
}

/** A {@link StoreReader} over one workspace of a store. */
export function createStoreReader(store: Pick<Store, 'execute'>, workspace: string): StoreReader {
  const execute = (text: string, args: InArgs) => {
    assertReadOnly(text);
    return store.execute(text, args);
  };
  return {
    workspace,
    all: async <T extends object>(query: Sql) => (await execute(query.text, [...query.args])).rows as unknown as T[],
    get: async <T extends object>(query: Sql) => (await execute(query.text, [...query.args])).rows[0] as T | undefined,
    execute: async (text, args) => ({ rows: (await execute(text, args ?? [])).rows }),
  };
}
