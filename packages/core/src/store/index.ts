// `@teamstate/core/store`, for extensions that need SQL: the schema's tables, their inferred row types, the one
// `sql` tag and the read-only reader that runs it, and opening a store directly.

export { attributedDeployment, deliverySettingsKey, productionDeployment, reworkPullRequest } from './deployment-mapping.js';
export { type ColumnDescription, describeTables, type TableDescription } from './describe-tables.js';
export { redactUrl, resolveDatabaseUrl, type StoreKind } from './open-store.js';
export * from './rows.js';
export * as tables from './schema.js';
export { and, join, raw, type Sql, type SqlValue, sql, valueList } from './sql.js';
export { assertReadOnly, createStoreReader, type StoreReader } from './store-reader.js';
export { RECORD_TABLES } from './table-specs.js';
