import type { SignalContext, Sql, StoreReader } from '@teamstate/core';
import { blob, type Column, columns, nullable, type RowOf, raw, sql, text } from '@teamstate/core/store';

/**
 * Many small rows read as one: `query` selects a single `packed` column, `json_group_array(json_array(…))` over the rows
 * (an aggregate ORDER BY orders them). Tens of thousands of rows cost more to hand over one by one than to find; one
 * JSON text costs little more than counting them.
 */
export async function allPacked<T extends readonly unknown[]>(db: StoreReader, query: Sql): Promise<T[]> {
  const row = await db.get(packedRows, sql`SELECT CAST(packed AS BLOB) AS packed FROM (${query})`);
  const packed = row?.packed;
  return packed ? (JSON.parse(packed) as T[]) : [];
}

const utf8 = new TextDecoder();
const COMMA = 44;

/**
 * The numbers of a `group_concat` text handed over as a BLOB (`CAST(group_concat(x) AS BLOB)`: ASCII, `,` between
 * them), read in place into a typed array: no string, JSON array or boxed number per value (item.aging reads 480,000
 * cycle times at 10,000 engineers). NULL, or an empty text, has none. A value that is not a plain whole number (a
 * sign, a real) is read as written; an empty one (`1,,2`) is an error.
 */
export function numbersOf(text: Uint8Array | ArrayBuffer | null): Float64Array {
  const bytes = text instanceof Uint8Array ? text : new Uint8Array(text ?? new ArrayBuffer(0));
  if (bytes.length === 0) return new Float64Array(0);
  let count = 1;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === COMMA) count++;
  const numbers = new Float64Array(count);
  let n = 0;
  let from = 0;
  let value = 0;
  let digits = true;
  for (let end = 0; end <= bytes.length; end++) {
    const code = end < bytes.length ? bytes[end]! : COMMA;
    if (code === COMMA) {
      // group_concat leaves NULL out: an empty value is a bug to report, never a 0.
      if (end === from) throw new Error(`numbersOf: no number at byte ${from} of ${bytes.length}`);
      numbers[n++] = digits ? value : Number(utf8.decode(bytes.subarray(from, end)));
      value = 0;
      digits = true;
      from = end + 1;
    } else if (code >= 48 && code <= 57) value = value * 10 + (code - 48);
    else digits = false;
  }
  return numbers;
}

/**
 * A text the query handed over as a BLOB (`CAST(… AS BLOB)`), read back as text (a text as it is, NULL as `null`). A
 * reader thread hands a BLOB over as it is (its buffer moves, no copy), where a text of megabytes is copied three times
 * on the way (into the thread's heap, into the message, into this one's): person.after_hours' 6 MB of times cost
 * 290–390 ms as text against 200–320 ms as a BLOB at full size.
 */
export const blobText: Column<string | null> = nullable({
  type: 'a blob or text',
  decode: (value, name) => (typeof value === 'string' ? value : utf8.decode(blob.decode(value, name))),
});

/** Bytes a query handed over as a BLOB (`CAST(group_concat(x) AS BLOB)`, read with {@link numbersOf}); NULL as `null`. */
export const blobBytes: Column<Uint8Array | null> = nullable(blob);

const packedRows = columns({ packed: blobText });

/** A JSON array a query handed over as a BLOB (`CAST(json_group_array(x) AS BLOB)`, read with {@link blobText}); NULL is empty. */
export const jsonArrayOf = <T>(value: string | null | undefined): T[] => JSON.parse(value ?? '[]') as T[];

/**
 * The rows of `query` (a SELECT with the columns of `shape`) as `db.all(columns(shape), query)` gives them, handed over
 * as one JSON text ({@link allPacked}): at 10,000 engineers thousands of open pull requests cost three times as long
 * to hand over row by row (32 against 12 ms for 4,800) as packed. Columns hold text, numbers or NULL, never blobs.
 */
export async function allRows<S extends Record<string, Column<unknown>>>(db: StoreReader, shape: S, query: Sql): Promise<RowOf<S>[]> {
  const names = Object.keys(shape);
  // Quoted as names of the subquery's columns: one that is not a column is an error.
  const values = names.map((column) => `q.\`${column.replaceAll('`', '``')}\``).join(', ');
  const packed = await allPacked<unknown[]>(db, sql`SELECT json_group_array(json_array(${raw(values)})) AS packed FROM (${query}) q`);
  const rows = columns(shape);
  return packed.map((row) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) object[names[i]!] = row[i];
    return rows.one(object);
  });
}

/**
 * Orders rows of text (or NULL) columns by `columns`, NULL first, as an `ORDER BY` of them does for text of the Basic
 * Multilingual Plane. The aggregate `json_group_array(x ORDER BY …)` would do it in SQL, but libSQL's statement parser
 * (embedded replicas parse every statement to route it) rejects an ORDER BY inside an aggregate's arguments.
 */
export const byColumns =
  (...columns: number[]) =>
  (a: readonly unknown[], b: readonly unknown[]): number => {
    for (const column of columns) {
      const x = a[column] as string | null;
      const y = b[column] as string | null;
      if (x === y) continue;
      if (x === null) return -1;
      if (y === null) return 1;
      return x < y ? -1 : 1;
    }
    return 0;
  };

/**
 * The team of a work item: its own, else its repository's. `alias` names a row with the item's `workspace`, `team_id`
 * and `repository_id` (a work item, or a row carrying its columns).
 */
export const itemTeam = (alias: string): Sql =>
  raw(
    `(COALESCE(${alias}.team_id, (SELECT r.team_id FROM repositories r WHERE r.workspace = ${alias}.workspace AND r.id = ${alias}.repository_id)))`,
  );

/** {@link itemTeam} of the work_items alias `w`. */
export const ITEM_TEAM: Sql = itemTeam('w');

/** The columns every work item a detector reports carries: its id, key, title and team (`null` when it has none). */
export const itemColumns = { id: text, key: text, title: text, team: nullable(text) };

/** A pull request's columns: {@link itemColumns} with its author. */
export const pullRequestColumns = { ...itemColumns, author_id: nullable(text) };

/** An issue's columns: {@link itemColumns} with its status. */
export const issueColumns = { ...itemColumns, state: text };

/** The team of a row with a `repository_id` column under alias `d`. */
export const REPOSITORY_TEAM: Sql = raw(
  '(SELECT r.team_id FROM repositories r WHERE r.workspace = d.workspace AND r.id = d.repository_id)',
);

const HOUR = 3_600_000;
/** "3.5 days", "5 hours": how long, for a title. */
export function humanDuration(ms: number): string {
  const hours = ms / HOUR;
  if (hours < 48) return `${Math.round(hours)} hour${Math.round(hours) === 1 ? '' : 's'}`;
  const days = Math.round((hours / 24) * 10) / 10;
  return `${days} days`;
}

/** "2.4 working days" from working hours (8 per day). */
export function workingDays(hours: number): string {
  const days = Math.round((hours / 8) * 10) / 10;
  return `${days} working day${days === 1 ? '' : 's'}`;
}

/** A detector setting's value. */
type Setting = number | string | readonly string[] | undefined;
/** A setting as a number (thresholds come from config as numbers; the one place a setting is converted). */
export const num = (value: Setting): number => (typeof value === 'number' ? value : Number(value));
/** A setting as a list of lower-case strings. */
export const names = (value: Setting): string[] => (typeof value === 'object' ? value : [value]).map((v) => `${v}`.toLowerCase());

const teamRows = columns({ team: text });

/**
 * The lowest value of a numeric setting over every team a person can belong to (each team of a membership) and no team:
 * only people above it can be above their own team's, so a detector may hand over only those. `null` when it is not a
 * finite number (nobody can be left out then).
 */
export async function lowestSetting(db: StoreReader, ctx: SignalContext, name: string): Promise<number | null> {
  const teams = await db.all(teamRows, sql`SELECT DISTINCT team_id AS team FROM memberships WHERE workspace = ${ctx.workspace}`);
  const lowest = Math.min(...[undefined, ...teams.map((t) => t.team)].map((team) => num(ctx.settings(team)[name])));
  return Number.isFinite(lowest) ? lowest : null;
}
