// The read-only query interface calculators, detectors and digests receive: declared with the store engine
// (kernel/store/sql-types.ts), part of the extension contract here.
export type { Sql, SqlValue, StoreReader } from '../kernel/store/sql-types.js';
