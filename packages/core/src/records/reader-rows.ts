import { TeamStateError } from '../kernel/errors.js';
import { parseTimestamp } from '../kernel/model/timestamp.js';
import type { InValue } from '../kernel/store/driver.js';
import type { Store } from '../kernel/store/open-store.js';
import type { RowDecoder } from '../kernel/store/row-decoder.js';

/** What every reader of a workspace queries: the store, and the workspace (parameter 1 of every query). */
export interface ReaderContext {
  store: Store;
  workspace: string;
}

// The workspace is parameter 1 of every query, so subqueries say `workspace = ?1`: one that said
// `workspace = w.workspace` would be correlated, evaluated again for every row. Children of a page are
// ordered by their lookup key first, or SQLite walks the whole workspace in the ORDER BY's index.
// Rows are read with their columns: a table's spec's `rows` when selected with its `select()`, else the columns named.
/** The rows of a query of the workspace (prepended to `args`), decoded. */
export const rows = async <T>(reader: ReaderContext, decoder: RowDecoder<T>, sql: string, args: InValue[] = []) =>
  decoder.all((await reader.store.execute(sql, [reader.workspace, ...args])).rows);

export const byPerson = (r: { personId: string }) => r.personId;
export const byItem = (r: { workItemId: string }) => r.workItemId;

/** One placeholder per value, for `IN (…)`. */
export const inList = (values: readonly InValue[]) => values.map(() => '?').join(',');

const MAX_LIMIT = 500;

/** A page size from 1 to 500 (`fallback` when not given). */
export function limitOf(limit: number | undefined, fallback = 50): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new TeamStateError('invalid_argument', `limit: expected a whole number from 1 to ${MAX_LIMIT}, got ${limit}`);
  }
  return limit;
}

/** An ISO timestamp filter as epoch milliseconds, refused when it is not one. */
export function instant(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseTimestamp(value);
  if (ms === undefined)
    throw new TeamStateError('invalid_argument', `${name}: invalid ISO timestamp "${value}" (expected e.g. 2026-03-01T00:00:00Z)`);
  return ms;
}

export const encodeCursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

export function decodeCursor(cursor: string): [number, string] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && typeof parts[0] === 'number' && typeof parts[1] === 'string') return [parts[0], parts[1]];
  } catch {}
  throw new TeamStateError('invalid_argument', 'cursor: not a cursor returned by a previous page (omit it to start from the first page)');
}
