import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { builtinFeatures } from './features/index.js';
import { SHARED_RECORD_TABLES } from './records/store/table-specs.js';
import { tables as schema } from './tables.js';

/** The tables that hold a workspace's records: the shared records' and the features' (what a bundle imports and exports). */
export const RECORD_TABLES: readonly string[] = [
  ...SHARED_RECORD_TABLES,
  ...builtinFeatures().flatMap((feature) => [
    ...(feature.bundle?.lists ?? []).flatMap((section) => section.tables),
    ...(feature.recordTables ?? []),
  ]),
];

/** One column of a table, as the schema declares it. */
export interface ColumnDescription {
  /** SQL name (`created_at`). */
  name: string;
  /** Property of the row types (`createdAt`). */
  property: string;
  /** SQL type: `text`, `integer`, `real`. */
  type: string;
  nullable: boolean;
  /** The column default, when it has one. */
  default?: unknown;
}

/** One table of the schema: its columns, primary key and indexes. */
export interface TableDescription {
  name: string;
  /** True for the tables that hold a workspace's records (what a bundle imports and exports). */
  record: boolean;
  primaryKey: string[];
  columns: ColumnDescription[];
  indexes: { name: string; columns: string[] }[];
}

/** Every table of the schema, by name (read from drizzle's table config; docs/data-model.md is made from it). */
export function describeTables(): TableDescription[] {
  const tables = (Object.values(schema) as SQLiteTable[]).map((table) => {
    const config = getTableConfig(table);
    const properties = new Map(Object.entries(table).map(([property, column]) => [(column as { name?: string }).name, property]));
    return {
      name: config.name,
      record: RECORD_TABLES.includes(config.name),
      primaryKey: config.primaryKeys[0]?.columns.map((column) => column.name) ?? [],
      columns: config.columns.map((column) => ({
        name: column.name,
        property: properties.get(column.name) ?? column.name,
        type: column.getSQLType(),
        nullable: !column.notNull,
        ...(column.hasDefault && column.default !== undefined ? { default: column.default } : {}),
      })),
      indexes: config.indexes.map((index) => ({
        name: index.config.name,
        columns: index.config.columns.map((column) => ('name' in column ? column.name : 'expression')),
      })),
    };
  });
  // Sorted: a module namespace lists its exports in a different order under node and under vitest.
  return tables.sort((a, b) => a.name.localeCompare(b.name));
}
