export { exportBundle } from './bundle/export-bundle.js';
export { type ImportResult, importBundle } from './bundle/import-bundle.js';
export { checkBundleReferences, parseBundle } from './bundle/validate-bundle.js';
export { countRecords, type RecordCounts, writeBundle } from './bundle/write-bundle.js';
export { createTeamState, type TeamState, type TeamStateOptions } from './create-team-state.js';
export { NotFoundError, TeamStateError, type TeamStateErrorCode, ValidationError, type ValidationIssue } from './errors.js';
export { createStderrLogger, type Logger, type LogLevel, silentLogger } from './logger.js';
export {
  type MetricComputeOptions,
  type MetricExplanation,
  type MetricInfo,
  type MetricSeriesPoint,
  type Metrics,
  weeklyBuckets,
} from './metrics/create-metrics.js';
export { DEFAULT_METRIC_SETTINGS, type MetricSettings, resolveMetricSettings } from './metrics/metric-settings.js';
export type {
  DoraBenchmarks,
  MetricCalculator,
  MetricEvidence,
  MetricQuery,
  MetricResult,
  ResolvedMetricSettings,
} from './metrics/metric-spec.js';
export * from './model/index.js';
export { closest } from './model/suggest.js';
export { describeZodIssues } from './model/zod-issues.js';
export { computeOverview, type Overview, type TeamOverview } from './overview.js';
export type { DeliveryQuery, Page, Readers, TeamSummary, WorkItemQuery } from './readers.js';
export { DEFAULT_DATABASE, type OpenStoreOptions, openStore, redactUrl, resolveDatabaseUrl, type Store } from './store/open-store.js';
export * as tables from './store/schema.js';
export type { Connector, SyncBatch, SyncContext, SyncProgress } from './sync/connector-spec.js';
export type { ConnectorSyncResult, SyncOptions, SyncResult } from './sync/run-sync.js';
