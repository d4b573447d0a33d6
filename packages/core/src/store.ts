// `@teamstate/core/store`, for extensions that need SQL: the schema's tables, their inferred row types, the one
// `sql` tag and the read-only reader that runs it, and opening a store directly.

export { redactUrl, resolveDatabaseUrl, type StoreKind } from './kernel/store/open-store.js';
export { and, join, raw, type Sql, type SqlValue, sql, valueList } from './kernel/store/sql.js';
export { assertReadOnly, createStoreReader, type StoreReader } from './kernel/store/store-reader.js';
export * from './records/rows.js';
export * as tables from './records/schema.js';
export { attributedDeployment, deliverySettingsKey, productionDeployment, reworkPullRequest } from './records/store/deployment-mapping.js';
export { type ColumnDescription, describeTables, type TableDescription } from './records/store/describe-tables.js';
export { RECORD_TABLES } from './records/store/table-specs.js';
