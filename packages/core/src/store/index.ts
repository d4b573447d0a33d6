// What extensions that need SQL use (the future `@teamstate/core/store` subpath): the schema's tables,
// their inferred row types, the one `sql` tag and the read-only reader that runs it.

export { type ColumnDescription, describeTables, type TableDescription } from './describe-tables.js';
export * from './rows.js';
export * as tables from './schema.js';
export { and, join, raw, type Sql, type SqlValue, sql, valueList } from './sql.js';
export { assertReadOnly, createStoreReader, type StoreReader } from './store-reader.js';
export { RECORD_TABLES } from './table-specs.js';
