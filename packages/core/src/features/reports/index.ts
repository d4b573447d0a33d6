// The reports feature's public face for the rest of core.
export { reportsFeature } from './feature.js';
export { reportFromRow } from './report-rows.js';
export type { ReportRevisionRow, ReportRow } from './schema.js';
export { reportSpecs } from './table-specs.js';
