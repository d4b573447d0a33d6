// `@teamstate/core/store`, for extensions that need SQL: the schema's tables, their inferred row types, the one
// `sql` tag and the read-only reader that runs it, and opening a store directly.

export { type ColumnDescription, describeTables, RECORD_TABLES, type TableDescription } from './describe-tables.js';
export type {
  AiFeedbackRow,
  AiUsageInsert,
  AiUsageRow,
  KnowledgeDocumentInsert,
  KnowledgeDocumentRow,
  ReportRevisionRow,
  ReportRow,
  SignalRow,
  SurveyResponseInsert,
  SurveyResponseRow,
} from './features/index.js';
export { redactUrl, resolveDatabaseUrl, type StoreKind } from './kernel/store/open-store.js';
export {
  blob,
  type Column,
  type ColumnValue,
  columns,
  flag,
  integer,
  nullable,
  oneOf,
  optional,
  type RowDecoder,
  type RowOf,
  real,
  scalar,
  tableRows,
  text,
  textOf,
} from './kernel/store/row-decoder.js';
export { and, join, raw, type Sql, type SqlValue, sql, valueList } from './kernel/store/sql.js';
export { assertReadOnly, createStoreReader, type StoreReader } from './kernel/store/store-reader.js';
export * from './records/rows.js';
export { awaitingReviewAt, incidentOpenAt, incidentTeam, openPullRequestAt, workItemTeam } from './records/shared-counts.js';
export { attributedDeployment, deliverySettingsKey, productionDeployment, reworkPullRequest } from './records/store/deployment-mapping.js';
export {
  byPerson,
  isIssue,
  isPullRequest,
  issueScope,
  ofTeamRepository,
  pullRequestScope,
  scopedByRepository,
  type WorkScope,
  workInProgress,
} from './records/work-in-progress.js';
export { tables } from './tables.js';
