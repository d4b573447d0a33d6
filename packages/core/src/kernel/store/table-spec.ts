import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { type RowDecoder, tableRows } from './row-decoder.js';
import type { TableSpec } from './upsert.js';

/** A record table as the bulk writer sees it, plus its columns' property names (in column order) for typed rows. */
export interface TypedTableSpec<T extends SQLiteTable> extends TableSpec {
  /** The drizzle property of each column, in `columns` order (`createdAt` for `created_at`). */
  readonly fields: readonly (keyof T['$inferInsert'] & string)[];
  /** `alias.created_at AS "createdAt", …`: selects a row shaped as `T['$inferSelect']`. */
  select(alias?: string): string;
  /** Reads rows selected with {@link select}, checked against the table's column types. */
  readonly rows: RowDecoder<T['$inferSelect']>;
}

/**
 * The bulk writer's spec of a drizzle table. `derived` names columns the store derives from other rows: the bulk
 * writer never writes them and readers never map them.
 */
export function specOf<T extends SQLiteTable>(table: T, derived: readonly string[] = []): TypedTableSpec<T> {
  const full = getTableConfig(table);
  const config = { ...full, columns: full.columns.filter((column) => !derived.includes(column.name)) };
  const key = config.primaryKeys[0]?.columns.map((column) => column.name) ?? [];
  const byName = new Map(Object.entries(table).map(([field, column]) => [(column as { name?: string }).name, field]));
  const fields = config.columns.map((column) => byName.get(column.name)!) as (keyof T['$inferInsert'] & string)[];
  const select = (alias?: string) =>
    config.columns.map((column, i) => `${alias ? `${alias}.` : ''}${column.name} AS "${fields[i]}"`).join(', ');
  const cached = new Map<string, string>();
  return {
    name: config.name,
    columns: config.columns.map((column) => column.name),
    key,
    fields,
    rows: tableRows(table, fields),
    select: (alias = '') => {
      const text = cached.get(alias) ?? select(alias);
      cached.set(alias, text);
      return text;
    },
  };
}

/**
 * Orders a typed row into the table's column order for the bulk writer. The row is the table's
 * `$inferInsert`, so a misspelt or missing column is a compile error; an absent optional one is NULL.
 */
export function toRow<T extends SQLiteTable>(spec: TypedTableSpec<T>, values: T['$inferInsert']): (string | number | null)[] {
  const record = values as Record<string, string | number | null | undefined>;
  return spec.fields.map((field) => record[field] ?? null);
}
