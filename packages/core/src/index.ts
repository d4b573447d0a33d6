export type { ActionCatalogue, ActionInfo } from './approvals/action-catalogue.js';
export { type ApprovalContent, approvalContentHash } from './approvals/approval-content-hash.js';
export type { ApprovalStats, ApprovalStatsQuery, ApprovalTypeStats } from './approvals/approval-stats.js';
export type { Actions, ApprovalQuery, Approvals } from './approvals/approvals-api.js';
export type { DecisionInput } from './approvals/decide-approval.js';
export type { ActionProposal } from './approvals/propose-action.js';
export type { PublishResult } from './approvals/publish-approvals.js';
export type { ReconcileResult } from './approvals/reconcile-approvals.js';
export type { WaitOptions } from './approvals/wait-for-approval.js';
export type { ApprovalWatch, WatchOptions } from './approvals/watch-approvals.js';
export { AUDIT_EVENT_TYPES, type AuditEventType } from './audit/audit-event-types.js';
export { GENESIS_HASH, type HashedAuditContent, hashAuditEntry } from './audit/audit-hash.js';
export type { AuditLedger, AuditQuery } from './audit/audit-ledger.js';
export { canonicalJson } from './audit/canonical-json.js';
export type { AuditHead, AuditVerification, VerifyAuditOptions } from './audit/verify-audit-ledger.js';
export { exportBundle } from './bundle/export-bundle.js';
export { type ImportResult, importBundle } from './bundle/import-bundle.js';
export { type IngestResult, ingestBundle } from './bundle/ingest-bundle.js';
export { type RecordRemoval, removeRecords } from './bundle/remove-records.js';
export { parseBundle } from './bundle/validate-bundle.js';
export { type BundleLists, type RecordCounts, writeBundle } from './bundle/write-bundle.js';
export { createTeamState, type TeamState, type TeamStateOptions } from './create-team-state.js';
export {
  NotFoundError,
  TeamStateError,
  type TeamStateErrorCode,
  ValidationError,
  type ValidationIssue,
  WebhookPayloadError,
} from './errors.js';
export { type LinkAccountResult, linkAccount } from './identity/link-account.js';
export { resolvePeople } from './identity/resolve-people.js';
export { type UnmatchedAccount, unmatchedAccounts } from './identity/unmatched-accounts.js';
export { createStderrLogger, type Logger, type LogLevel, silentLogger } from './logger.js';
export {
  type MetricComputeOptions,
  type MetricExplanation,
  type MetricInfo,
  type MetricSeriesPoint,
  type Metrics,
  parseWindowBound,
  weeklyBuckets,
} from './metrics/create-metrics.js';
export { DEFAULT_METRIC_CATEGORIES, DEFAULT_METRIC_WINDOW_DAYS, defaultMetricIds, metricWindow } from './metrics/metric-defaults.js';
export { DEFAULT_METRIC_SETTINGS, type MetricSettings, resolveMetricSettings } from './metrics/metric-settings.js';
export * from './model/index.js';
export { closest } from './model/suggest.js';
export { describeZodIssues } from './model/zod-issues.js';
export { computeOverview, type Overview, type TeamOverview } from './overview.js';
export { compilePolicy, type Policy, type PolicyRuling } from './policy/compile-policy.js';
export { parseDuration } from './policy/duration.js';
export { type PolicyDocument, parsePolicy, parsePolicyText, policyDocumentSchema } from './policy/policy-document.js';
export type { DeliveryQuery, Page, Readers, TeamSummary, WorkItemQuery } from './readers.js';
export type { WorkspaceSettings, WorkspaceSettingValues } from './settings/workspace-settings.js';
export {
  createSignalsApi,
  fingerprintOf,
  type RefreshResult,
  type SignalQuery,
  type Signals,
  type StoredSignal,
} from './signals/signals-api.js';
export { DEFAULT_WORKING_HOURS, workingHoursBetween, workingMsBetween } from './signals/working-hours.js';
// The extension contracts, also importable alone from `@teamstate/core/spec`.
export * from './spec/index.js';
export { existingIds } from './store/existing-ids.js';
export { DEFAULT_DATABASE, type OpenStoreOptions, openStore, redactUrl, resolveDatabaseUrl, type Store } from './store/open-store.js';
export * as tables from './store/schema.js';
export { and, join, raw, type Sql, type SqlValue, sql, valueList } from './store/sql.js';
export { createStoreReader, type StoreReader } from './store/store-reader.js';
export { RECORD_TABLES } from './store/table-specs.js';
export type { ConnectorSyncResult, SyncOptions, SyncResult } from './sync/run-sync.js';
export { type SafeTextOptions, safeText } from './text/safe-text.js';
export {
  type AuthenticatedToken,
  type CreatedToken,
  DEFAULT_TOKEN_SCOPES,
  type TokenInfo,
  type TokenScope,
  type Tokens,
} from './tokens/tokens-api.js';
export { receiveWebhook, type WebhookResponse } from './webhooks/receive-webhook.js';
export { constantTimeEqual, hmacSha256Hex, verifySha256Signature } from './webhooks/verify-signature.js';
