export { type Bundle, type BundleInput, bundleJsonSchema, bundleSchema, type ImportResult, parseBundle } from './bundle.js';
export * from './features/agreements/index.js';
export * from './features/ai/index.js';
export * from './features/alerts/index.js';
export * from './features/allocation/index.js';
export * from './features/builds/index.js';
export * from './features/capacity/index.js';
export * from './features/dependencies/index.js';
export * from './features/feedback/index.js';
export * from './features/forecasts/index.js';
export * from './features/goals/index.js';
export * from './features/incidents/index.js';
// What TeamStateOptions is made of (core's options and those of its built-in features), named so its declaration can say so.
export type { BuiltinFeature } from './features/index.js';
export * from './features/knowledge/index.js';
export * from './features/meetings/index.js';
export * from './features/oauth/index.js';
export * from './features/onboarding/index.js';
export * from './features/oncall/index.js';
export * from './features/pulse/index.js';
export * from './features/reports/index.js';
export * from './features/risks/index.js';
export * from './features/settings/index.js';
export * from './features/signals/index.js';
export * from './features/surveys/index.js';
export * from './features/tokens/index.js';
export {
  NotFoundError,
  TeamStateError,
  type TeamStateErrorCode,
  type UnknownIdOptions,
  UpstreamError,
  type UpstreamRequest,
  unknownId,
  ValidationError,
  type ValidationIssue,
  WebhookPayloadError,
} from './kernel/errors.js';
export { errorFields, RateLimitedError } from './kernel/limit-errors.js';
export { createStderrLogger, type Logger, type LogLevel, type StderrLoggerOptions, silentLogger } from './kernel/logger.js';
export { parseDuration } from './kernel/model/duration.js';
export * from './kernel/model/index.js';
export { closest } from './kernel/model/suggest.js';
export { describeZodIssues } from './kernel/model/zod-issues.js';
export type { BackfillProgress } from './kernel/store/backfills.js';
// Operating a database: explicit migrations of a shared one, and consistent copies of a local file.
export { type BackupOptions, type BackupResult, backupStore } from './kernel/store/backup-store.js';
export type { MigrateOptions, MigrationReport, OpenStoreOptions, Store, WriteOptions } from './kernel/store/open-store.js';
export { escapeMrkdwn } from './kernel/text/escape-mrkdwn.js';
export {
  formatDays,
  formatHours,
  formatMetricChange,
  formatMetricValue,
  formatNumber,
  formatPercent,
  formatPoints,
  formatWindow,
  weeklyBuckets,
  weekStart,
} from './kernel/text/format-values.js';
export { redactSecrets } from './kernel/text/redact-secrets.js';
export { type SafeTextOptions, safeText } from './kernel/text/safe-text.js';
export { migrateDatabase, migrationTags } from './migrations.js';
export type { BundleSource } from './records/bundle/import-bundle-stream.js';
export { type LinkAccountResult, linkAccount } from './records/identity/link-account.js';
export type { UnmatchedAccount } from './records/identity/unmatched-accounts.js';
export type {
  PersonalData,
  Readable,
  ReadingPrivacy,
  ReadingPrivacy as WellbeingPrivacy,
  Viewer,
} from './records/identity/viewer.js';
export type { Freshness, Overview, TeamOverview } from './records/overview.js';
export type { DeliveryQuery, Page, Readers, TeamSummary, WorkItemQuery } from './records/readers.js';
export type { ConnectorSyncResult, SyncOptions, SyncResult } from './records/sync/run-sync.js';
export type { FreshnessReport, SourceFreshness, SyncLease } from './records/sync/sync-sources.js';
export type { WebhookResponse } from './records/webhooks/receive-webhook.js';
export { constantTimeEqual, hmacSha256Hex, verifySha256Signature } from './records/webhooks/verify-signature.js';
export type {
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookDrainResult,
  WebhookQueueOptions,
  Webhooks,
} from './records/webhooks/webhook-queue.js';
export { runNudges } from './run-nudges.js';
export type { ActionCatalogue, ActionInfo } from './services/approvals/action-catalogue.js';
export type { ApprovalStats, ApprovalStatsQuery, ApprovalTypeStats } from './services/approvals/approval-stats.js';
export type { Actions, ApprovalQuery, Approvals } from './services/approvals/approvals-api.js';
export type { DecisionInput } from './services/approvals/decide-approval.js';
export type { ApprovedPolicyOptions, LivePolicy, UnapprovedPolicyChange } from './services/approvals/policy/approved-policy.js';
export { POLICY_CHANGE } from './services/approvals/policy/builtin-policy.js';
export type { Policy, PolicyRuling } from './services/approvals/policy/compile-policy.js';
export type { PolicyApi, PolicyProposal } from './services/approvals/policy/policy-api.js';
export { type PolicyDocument, parsePolicy, parsePolicyText } from './services/approvals/policy/policy-document.js';
export { type PolicyVersion, policyTextHash } from './services/approvals/policy/policy-versions.js';
export type { ModeCounts, PolicySimulation } from './services/approvals/policy/simulate-policy.js';
export { unapprovedPolicyChange } from './services/approvals/policy/unapproved-change-signal.js';
export type { PublishResult } from './services/approvals/publish-approvals.js';
export type { ReconcileResult } from './services/approvals/reconcile-approvals.js';
export type { WaitOptions } from './services/approvals/wait-for-approval.js';
export type { ApprovalWatch, WatchOptions } from './services/approvals/watch-approvals.js';
export { type ApprovalContent, approvalContentHash } from './services/audit/approval-content-hash.js';
export type { AuditEventType } from './services/audit/audit-event-types.js';
export { GENESIS_HASH, type HashedAuditContent, hashAuditEntry } from './services/audit/audit-hash.js';
export type { AuditLedger, AuditQuery } from './services/audit/audit-ledger.js';
export { canonicalJson } from './services/audit/canonical-json.js';
export type { AuditHead, AuditVerification, VerifyAuditOptions } from './services/audit/verify-audit-ledger.js';
export type { FeatureOptions } from './services/feature-kit/index.js';
export { defaultMetricIds, metricWindow } from './services/metrics/metric-defaults.js';
export type { MetricSettings } from './services/metrics/metric-settings.js';
export type {
  MetricComputeOptions,
  MetricExplanation,
  MetricInfo,
  MetricSeriesPoint,
  Metrics,
  MetricTrend,
} from './services/metrics/metrics-types.js';
export type { ErasureResult } from './services/privacy/erase-person.js';
export { type DeclaredOptOuts, OPT_OUT_KINDS, type OptOut, type OptOutKind } from './services/privacy/opt-outs.js';
export type { People } from './services/privacy/people-api.js';
export type { ArchiveHolding } from './services/retention/archives-holding.js';
export type { RetentionRestoreResult } from './services/retention/restore-retention.js';
export type { Retention } from './services/retention/retention-api.js';
export type { RetentionCounts, RetentionManifest } from './services/retention/retention-archive.js';
export { type RetentionOptions, retentionOptionsSchema } from './services/retention/retention-options.js';
export type { RetentionRunOptions, RetentionRunResult } from './services/retention/run-retention.js';
export type { SpendEntry, SpendLedger, SpendMonth } from './services/spend/index.js';
export {
  isWithinWorkingHours,
  timeZoneOffset,
  type WorkingTime,
  type WorkingTimeCalendar,
  workingHoursBetween,
  workingTimeCalendar,
} from './services/working-hours/working-hours.js';
// The extension contracts, also importable alone from `@teamstate/core/spec` (SQL helpers: `@teamstate/core/store`).
export * from './spec/index.js';
export { createTeamState, type DatabaseOptions, type TeamState, type TeamStateOptions } from './team-state.js';
