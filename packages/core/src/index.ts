export type { AiAdoptionWeek, AiCohort, AiDifference, AiImpact, AiImpactQuery } from './ai/ai-impact.js';
export {
  type AiCommit,
  type AiConfig,
  type AiDetectionInput,
  type AiDetector,
  type AiIdentity,
  aiConfigSchema,
  createAiDetector,
  detectAi,
} from './ai/detect-ai.js';
export type { ActionCatalogue, ActionInfo } from './approvals/action-catalogue.js';
export { type ApprovalContent, approvalContentHash } from './approvals/approval-content-hash.js';
export type { ApprovalStats, ApprovalStatsQuery, ApprovalTypeStats } from './approvals/approval-stats.js';
export type { Actions, ApprovalQuery, Approvals } from './approvals/approvals-api.js';
export type { DecisionInput } from './approvals/decide-approval.js';
export type { PublishResult } from './approvals/publish-approvals.js';
export type { ReconcileResult } from './approvals/reconcile-approvals.js';
export type { WaitOptions } from './approvals/wait-for-approval.js';
export type { ApprovalWatch, WatchOptions } from './approvals/watch-approvals.js';
export type { AuditEventType } from './audit/audit-event-types.js';
export type { AuditLedger, AuditQuery } from './audit/audit-ledger.js';
export type { AuditHead, AuditVerification, VerifyAuditOptions } from './audit/verify-audit-ledger.js';
export type { ImportResult } from './bundle/import-bundle.js';
export type { BundleSource } from './bundle/import-bundle-stream.js';
export { parseBundle } from './bundle/validate-bundle.js';
export { createTeamState, type DatabaseOptions, type TeamState, type TeamStateOptions } from './create-team-state.js';
export {
  NotFoundError,
  TeamStateError,
  type TeamStateErrorCode,
  UpstreamError,
  type UpstreamRequest,
  ValidationError,
  type ValidationIssue,
  WebhookPayloadError,
} from './errors.js';
export { RULE_FORMATS, type RuleFormat } from './feedback/agent-rule-formats.js';
export type { FeedbackApi, FeedbackInput } from './feedback/feedback-api.js';
export type { CategoryEffect, EffectWindow, FeedbackEffect, FeedbackEffectQuery, RuleEffect } from './feedback/feedback-effect.js';
export type {
  FeedbackExample,
  FeedbackPattern,
  FeedbackPatternQuery,
  FeedbackPatterns,
  FeedbackTrend,
} from './feedback/feedback-patterns.js';
export type { RuleSuggestion, RuleSuggestionQuery } from './feedback/suggest-rules.js';
export { type LinkAccountResult, linkAccount } from './identity/link-account.js';
export type { UnmatchedAccount } from './identity/unmatched-accounts.js';
export { type ChunkedMarkdown, type ChunkOptions, chunkMarkdown, type MarkdownChunk } from './knowledge/chunk-markdown.js';
export { CODEOWNERS_PATHS, type CodeownersRule, codeownersRuleFor, parseCodeowners } from './knowledge/codeowners.js';
export { type HttpEmbedderOptions, httpEmbedder } from './knowledge/http-embedder.js';
export type {
  Knowledge,
  KnowledgeOptions,
  KnowledgeSourceResult,
  KnowledgeSyncProgress,
  KnowledgeSyncResult,
} from './knowledge/knowledge-api.js';
export { KNOWLEDGE_QUERY_MAX } from './knowledge/knowledge-query.js';
export { type LocalKnowledgeOptions, localKnowledge } from './knowledge/local-source.js';
export type { KnowledgePassage, KnowledgeSearchOptions } from './knowledge/search-knowledge.js';
export type { WhoKnowsEvidence, WhoKnowsOptions, WhoKnowsPerson } from './knowledge/who-knows.js';
export {
  LEADERBOARD_MEASURES,
  type Leaderboard,
  type LeaderboardEntry,
  type LeaderboardMeasure,
  type LeaderboardQuery,
  type LeaderboardSettings,
  lastScheduledAt,
  leaderboardText,
  parseLeaderboardSchedule,
} from './leaderboard/leaderboard.js';
export { createStderrLogger, type Logger, type LogLevel, type StderrLoggerOptions, silentLogger } from './logger.js';
export type {
  MetricComputeOptions,
  MetricExplanation,
  MetricInfo,
  MetricSeriesPoint,
  Metrics,
  MetricTrend,
} from './metrics/create-metrics.js';
export { defaultMetricIds, metricWindow } from './metrics/metric-defaults.js';
export type { MetricSettings } from './metrics/metric-settings.js';
export * from './model/index.js';
export { closest } from './model/suggest.js';
export { describeZodIssues } from './model/zod-issues.js';
export type { Freshness, Overview, TeamOverview } from './overview.js';
export type { ErasureResult } from './people/erase-person.js';
export { type DeclaredOptOuts, OPT_OUT_KINDS, type OptOut, type OptOutKind } from './people/opt-outs.js';
export type { People } from './people/people-api.js';
export type { Policy, PolicyRuling } from './policy/compile-policy.js';
export { type PolicyDocument, parsePolicy, parsePolicyText } from './policy/policy-document.js';
export type { DeliveryQuery, Page, Readers, TeamSummary, WorkItemQuery } from './readers.js';
export type { DueReminder, ReportReminders } from './reports/report-reminders.js';
export type { ReportOptions, ReportQuery, ReportSubmission, Reports } from './reports/reports-api.js';
export type { ReportSearchHit, ReportSearchOptions } from './reports/search-reports.js';
export type { TimelineEntry, TimelineEntryKind, TimelineQuery, TimelineWorkItem } from './reports/timeline.js';
export type { RetentionRestoreResult } from './retention/restore-retention.js';
export type { Retention } from './retention/retention-api.js';
export type { RetentionCounts, RetentionManifest } from './retention/retention-archive.js';
export { type RetentionOptions, retentionOptionsSchema } from './retention/retention-options.js';
export type { RetentionRunOptions, RetentionRunResult } from './retention/run-retention.js';
export type { WorkspaceSettings, WorkspaceSettingValues } from './settings/workspace-settings.js';
export type { RefreshOptions, RefreshResult, SignalQuery, Signals, StoredSignal, WellbeingCount } from './signals/signals-api.js';
export type { WellbeingPrivacy } from './signals/wellbeing-visibility.js';
export {
  isWithinWorkingHours,
  timeZoneOffset,
  type WorkingTime,
  type WorkingTimeCalendar,
  workingHoursBetween,
  workingTimeCalendar,
} from './signals/working-hours.js';
// The extension contracts, also importable alone from `@teamstate/core/spec` (SQL helpers: `@teamstate/core/store`).
export * from './spec/index.js';
// Operating a database: explicit migrations of a shared one, and consistent copies of a local file.
export { type BackupOptions, type BackupResult, backupStore } from './store/backup-store.js';
export type { Store, WriteOptions } from './store/open-store.js';
export { type MigrationReport, migrateDatabase, type OpenStoreOptions } from './store/open-store.js';
export type { DueReveal, DueSurvey, SurveyAnswer, SurveyAnswerOutcome, SurveySettings, Surveys } from './surveys/surveys-api.js';
export type { ConnectorSyncResult, SyncOptions, SyncResult } from './sync/run-sync.js';
export { escapeMrkdwn } from './text/escape-mrkdwn.js';
export { redactSecrets } from './text/redact-secrets.js';
export { type SafeTextOptions, safeText } from './text/safe-text.js';
export type { AuthenticatedToken, CreatedToken, TokenInfo, TokenScope, Tokens } from './tokens/tokens-api.js';
export type { WebhookResponse } from './webhooks/receive-webhook.js';
export { constantTimeEqual, hmacSha256Hex, verifySha256Signature } from './webhooks/verify-signature.js';
export type {
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookDrainResult,
  WebhookQueueOptions,
  Webhooks,
} from './webhooks/webhook-queue.js';
