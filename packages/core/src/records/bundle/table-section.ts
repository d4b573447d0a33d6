import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { z } from 'zod';
import { type TypedTableSpec, toRow } from '../../kernel/store/table-spec.js';
import { upsertRows } from '../../kernel/store/upsert.js';
import type { BundleReference, BundleSection, ListItem } from '../feature.js';

/**
 * A bundle list kept one element a row of one table: written with the bulk writer (a stored row with the same key is
 * replaced), read back in `orderBy` order, one person's by `personColumn`.
 */
export function tableSection<const L extends string, S extends z.ZodType, T extends SQLiteTable>(options: {
  list: L;
  element: S;
  spec: TypedTableSpec<T>;
  orderBy: string;
  /** The column naming the person whose data a row is (`person_id` unless said). */
  personColumn?: string;
  references(item: ListItem<S>): BundleReference[];
  toRow(workspace: string, item: ListItem<S>): T['$inferInsert'];
  fromRow(row: T['$inferSelect']): ListItem<S>;
}): BundleSection<L, S> {
  const { spec } = options;
  return {
    list: options.list,
    element: options.element,
    tables: [spec.name],
    references: options.references,
    write: (tx, workspace, items) =>
      upsertRows(
        tx,
        spec,
        items.map((item) => toRow(spec, options.toRow(workspace, item))),
      ),
    async read(execute, workspace, person) {
      const { rows } = await execute(
        `SELECT ${spec.select()} FROM ${spec.name} WHERE workspace = ?1 ${person === undefined ? '' : `AND ${options.personColumn ?? 'person_id'} = ?2`} ORDER BY ${options.orderBy}`,
        person === undefined ? [workspace] : [workspace, person],
      );
      return spec.rows.all(rows).map(options.fromRow);
    },
  };
}
