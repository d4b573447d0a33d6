import type { Sql, SqlValue } from './sql-types.js';

export type { Sql, SqlValue };

const isSql = (value: unknown): value is Sql => typeof value === 'object' && value !== null && 'text' in value && 'args' in value;

/**
 * Template tag that builds a {@link Sql}: interpolated values become `?` arguments, interpolated
 * fragments are inlined with their arguments, so queries stay parameterized however they are composed.
 * It is the one way to write SQL against the store: run the result with a `StoreReader`.
 *
 * @example
 * const open = sql`resolved_at IS NULL`
 * const { n } = (await db.get(columns({ n: integer }), sql`SELECT count(*) AS n FROM incidents WHERE workspace = ${db.workspace} AND ${open}`))!
 */
export function sql(strings: TemplateStringsArray, ...values: (SqlValue | Sql)[]): Sql {
  let text = strings[0] ?? '';
  const args: SqlValue[] = [];
  values.forEach((value, index) => {
    if (isSql(value)) {
      text += value.text;
      args.push(...value.args);
    } else {
      text += '?';
      args.push(value);
    }
    text += strings[index + 1] ?? '';
  });
  return { text, args };
}

/** Trusted SQL text (identifiers, aliases) inlined as is. */
export const raw = (text: string): Sql => ({ text, args: [] });

/** Joins fragments with a separator; `empty` when there are none. */
export function join(parts: readonly Sql[], separator: string, empty = ''): Sql {
  if (parts.length === 0) return raw(empty);
  return { text: parts.map((part) => part.text).join(separator), args: parts.flatMap((part) => part.args) };
}

/** `AND`-joins conditions (`1` when there are none). */
export const and = (conditions: readonly Sql[]): Sql =>
  join(
    conditions.map((c) => sql`(${c})`),
    ' AND ',
    '1',
  );

/** A comma-separated list of `?` arguments, for `IN (…)`. */
export const valueList = (values: readonly SqlValue[]): Sql =>
  join(
    values.map((value) => sql`${value}`),
    ', ',
  );
