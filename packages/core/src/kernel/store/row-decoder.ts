import { getTableColumns } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { TeamStateError } from '../errors.js';

// Rows read typed: a query's columns are declared once, next to the query, and every row is checked against them
// as it is read. A column that comes back with another type (a renamed column, a migration that changed it, a
// query that selects the wrong thing) fails with its name instead of flowing on as a wrong value.

/** How one column is read: `decode` checks the libSQL value and returns it typed. */
export interface Column<T> {
  readonly type: string;
  decode(value: unknown, name: string): T;
}

/** The type a column reads as. */
export type ColumnValue<C> = C extends Column<infer T> ? T : never;

/** The row a set of columns reads as. */
export type RowOf<S extends Record<string, Column<unknown>>> = { -readonly [K in keyof S]: ColumnValue<S[K]> };

/** Reads rows of one shape. */
export interface RowDecoder<T> {
  /** One row, checked. */
  one(row: object): T;
  /** Every row, checked. */
  all(rows: readonly object[]): T[];
  /** The first row, or `undefined` when there is none. */
  first(rows: readonly object[]): T | undefined;
}

function mismatch(name: string, type: string, value: unknown): never {
  const got =
    value === null || value === undefined
      ? 'NULL'
      : typeof value === 'object'
        ? 'a blob'
        : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
  throw new TeamStateError('store_error', `column "${name}": expected ${type}, the database returned ${got} (is the schema migrated?)`);
}

function column<T>(type: string, accept: (value: unknown) => T | undefined): Column<T> {
  return {
    type,
    decode(value, name) {
      const decoded = accept(value);
      return decoded === undefined ? mismatch(name, type, value) : decoded;
    },
  };
}

const toNumber = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined;

/** A TEXT column (not NULL). */
export const text: Column<string> = column('text', (value) => (typeof value === 'string' ? value : undefined));
/** An INTEGER or REAL column (not NULL); a bigint from the driver becomes a number. */
export const integer: Column<number> = column('a number', toNumber);
/** A REAL column (not NULL); the same check as {@link integer}, named for the reader. */
export const real: Column<number> = integer;
/** An INTEGER column holding 0 or 1. */
export const flag: Column<boolean> = column('0 or 1', (value) => {
  const n = toNumber(value);
  return n === 0 ? false : n === 1 ? true : undefined;
});
/** A BLOB column. */
export const blob: Column<Uint8Array> = column('a blob', (value) =>
  value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : undefined,
);

/** A TEXT column whose values are one of a known set (checked). */
export function oneOf<const T extends string>(...values: readonly T[]): Column<T> {
  const allowed = new Set<string>(values);
  return column(`one of ${values.join(', ')}`, (value) => (typeof value === 'string' && allowed.has(value) ? (value as T) : undefined));
}

/** A TEXT column of a string type the writer guarantees (an id kind, a union kept elsewhere); checked as text. */
export function textOf<T extends string>(): Column<T> {
  return text as Column<T>;
}

/** A nullable column read as `undefined` when NULL. */
export function optional<T>(inner: Column<T>): Column<T | undefined> {
  return {
    type: `${inner.type} or NULL`,
    decode: (value, name) => (value === null || value === undefined ? undefined : inner.decode(value, name)),
  };
}

/** A nullable column read as `null` when NULL. */
export function nullable<T>(inner: Column<T>): Column<T | null> {
  return {
    type: `${inner.type} or NULL`,
    decode: (value, name) => (value === null || value === undefined ? null : inner.decode(value, name)),
  };
}

/** Reads a row column by column: what {@link compiled} falls back to. */
function looped(names: readonly string[], readers: readonly Column<unknown>[]): (row: object) => unknown {
  return (row) => {
    const source = row as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++)
      // A property, even one named `__proto__` (an assignment would set the prototype).
      Object.defineProperty(out, names[i]!, {
        value: readers[i]!.decode(source[names[i]!], names[i]!),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  };
}

/**
 * Reads a row as one object literal, `{ "id": c[0].decode(r["id"], "id"), … }`, made once per shape from the shape's
 * column names (declared in code, quoted with JSON.stringify; never data): every row gets the same hidden class and
 * each column's call site sees one reader. It reads a 34-column `work_items` row about ten times faster than a loop.
 * Where code cannot be made at run time (a `__proto__` column, a runtime that forbids `new Function`), the loop reads.
 */
function compiled(entries: readonly (readonly [string, Column<unknown>])[]): (row: object) => unknown {
  const names = entries.map(([name]) => name);
  const readers = entries.map(([, reader]) => reader);
  if (names.includes('__proto__')) return looped(names, readers);
  const fields = names.map((name, i) => {
    const key = JSON.stringify(name);
    return `${key}: c[${i}].decode(r[${key}], ${key})`;
  });
  try {
    return new Function('c', `return (r) => ({ ${fields.join(', ')} });`)(readers) as (row: object) => unknown;
  } catch {
    return looped(names, readers);
  }
}

function decoderOf<T>(entries: readonly (readonly [string, Column<unknown>])[]): RowDecoder<T> {
  // Made when first used: the library declares hundreds of decoders as it loads, and a process uses a few of them.
  let made: ((row: object) => T) | undefined;
  const read = () => {
    made ??= compiled(entries) as (row: object) => T;
    return made;
  };
  return {
    one: (row) => read()(row),
    all: (rows) => rows.map(read()),
    first: (rows) => (rows.length === 0 ? undefined : read()(rows[0]!)),
  };
}

/**
 * The rows of a query, by column name.
 *
 * @example
 * const counts = columns({ team: text, open: integer, oldest: optional(integer) })
 * const rows = counts.all((await store.execute(sql, args)).rows)   // { team: string; open: number; oldest?: number }[]
 */
export function columns<S extends Record<string, Column<unknown>>>(shape: S): RowDecoder<RowOf<S>> {
  return decoderOf<RowOf<S>>(Object.entries(shape));
}

/** One value of the first row (a `count(*)`, a `max(…)`): `scalar(rows, 'n', integer)`. */
export function scalar<T>(rows: readonly object[], name: string, reader: Column<T>): T {
  return reader.decode((rows[0] as Record<string, unknown> | undefined)?.[name], name);
}

const byDataType: Record<string, Column<unknown>> = { string: text, number: integer, boolean: flag, buffer: blob };

/**
 * The rows of a drizzle table selected with its spec's `select()` (columns aliased to the drizzle property names),
 * typed as the table's `$inferSelect`. `fields` limits it to the columns selected (a spec leaves derived ones out).
 */
export function tableRows<T extends SQLiteTable>(table: T, fields?: readonly string[]): RowDecoder<T['$inferSelect']> {
  const entries = Object.entries(getTableColumns(table))
    .filter(([field]) => !fields || fields.includes(field))
    .map(([field, definition]) => {
      const reader = byDataType[definition.dataType];
      if (!reader)
        throw new TeamStateError('store_error', `column "${definition.name}": no reader for drizzle type ${definition.dataType}`);
      return [field, definition.notNull ? reader : nullable(reader)] as const;
    });
  return decoderOf<T['$inferSelect']>(entries);
}
