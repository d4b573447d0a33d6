export { type Bundle, type BundleInput, bundleJsonSchema, bundleSchema, type ImportResult, parseBundle } from './bundle.js';
export {
  type Agreement,
  type AgreementReport,
  type AgreementReportQuery,
  type Agreements,
  NUDGE_SNOOZE,
  NUDGES_REQUESTER,
  type NudgeRound,
  type NudgeStage,
  type ResolveSide,
  SIGNAL_ACTIONS,
} from './features/agreements/index.js';
export type { AiAdoptionWeek, AiCohort, AiDifference, AiImpact, AiImpactQuery } from './features/ai/ai-impact.js';
export {
  type AiCommit,
  type AiConfig,
  type AiDetectionInput,
  type AiDetector,
  type AiIdentity,
  aiConfigSchema,
  createAiDetector,
  detectAi,
} from './features/ai/detect-ai.js';
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
} from './features/ai/leaderboard.js';
export { RULE_FORMATS, type RuleFormat } from './features/feedback/agent-rule-formats.js';
export type { FeedbackApi, FeedbackInput } from './features/feedback/feedback-api.js';
export type { CategoryEffect, EffectWindow, FeedbackEffect, FeedbackEffectQuery, RuleEffect } from './features/feedback/feedback-effect.js';
export type {
  FeedbackExample,
  FeedbackPattern,
  FeedbackPatternQuery,
  FeedbackPatterns,
  FeedbackTrend,
} from './features/feedback/feedback-patterns.js';
export type { RuleSuggestion, RuleSuggestionQuery } from './features/feedback/suggest-rules.js';
export type {
  BacktestQuery,
  Forecast,
  ForecastApi,
  ForecastBacktest,
  ForecastPercentile,
  ForecastQuery,
} from './features/forecasts/index.js';
export type {
  AllocationShare,
  CountedWork,
  GoalProgress,
  GoalRowRef,
  GoalsApi,
  GoalsProgress,
  GoalsProgressQuery,
  KeyResultProgress,
} from './features/goals/index.js';
export type {
  BriefPerson,
  BriefRunbook,
  BriefTimelineEntry,
  IncidentBrief,
  IncidentListQuery,
  IncidentSummary,
  Suspect,
  SuspectReason,
} from './features/incidents/index.js';
export { type ChunkedMarkdown, type ChunkOptions, chunkMarkdown, type MarkdownChunk } from './features/knowledge/chunk-markdown.js';
export { CODEOWNERS_PATHS, type CodeownersRule, codeownersRuleFor, parseCodeowners } from './features/knowledge/codeowners.js';
export { type HttpEmbedderOptions, httpEmbedder } from './features/knowledge/http-embedder.js';
export type {
  Knowledge,
  KnowledgeOptions,
  KnowledgeSourceResult,
  KnowledgeSyncProgress,
  KnowledgeSyncResult,
} from './features/knowledge/knowledge-api.js';
export { KNOWLEDGE_QUERY_MAX } from './features/knowledge/knowledge-query.js';
export { type LocalKnowledgeOptions, localKnowledge } from './features/knowledge/local-source.js';
export type { KnowledgePassage, KnowledgeSearchOptions } from './features/knowledge/search-knowledge.js';
export type { WhoKnowsEvidence, WhoKnowsOptions, WhoKnowsPerson } from './features/knowledge/who-knows.js';
export type { MeetingEvidence, MeetingLine, MeetingPack, MeetingSection } from './features/meetings/index.js';
export {
  type AuthorizationRequest,
  type IssuedTokens,
  OAUTH_SCOPES,
  type OAuth,
  type OAuthCaller,
  type OAuthClient,
  type OAuthErrorCode,
  type OAuthGrantInfo,
  OAuthRequestError,
  type OAuthScope,
  parseScopes as parseOAuthScopes,
} from './features/oauth/index.js';
export type {
  Milestone,
  OnboardingApi,
  OnboardingContact,
  OnboardingDocument,
  OnboardingMessage,
  OnboardingPlan,
  StarterIssue,
} from './features/onboarding/index.js';
export type { DueReminder, ReportReminders } from './features/reports/report-reminders.js';
export type { ReportOptions, ReportQuery, ReportSubmission, Reports } from './features/reports/reports-api.js';
export type { ReportSearchHit, ReportSearchOptions } from './features/reports/search-reports.js';
export type { TimelineEntry, TimelineEntryKind, TimelineQuery, TimelineWorkItem } from './features/reports/timeline.js';
export type { RiskChange, RiskChangeBy, RiskInput, RiskPatch, RiskQuery, Risks } from './features/risks/index.js';
export type { WorkspaceSettings, WorkspaceSettingValues } from './features/settings/workspace-settings.js';
export type {
  RefreshOptions,
  RefreshResult,
  SignalAck,
  SignalQuery,
  SignalSnooze,
  Signals,
  StoredSignal,
  WellbeingCount,
} from './features/signals/signals-api.js';
export type { DueReveal, DueSurvey, SurveyAnswer, SurveyAnswerOutcome, SurveySettings, Surveys } from './features/surveys/surveys-api.js';
export type { AuthenticatedToken, CreatedToken, TokenInfo, TokenScope, Tokens } from './features/tokens/tokens-api.js';
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
export { createStderrLogger, type Logger, type LogLevel, type StderrLoggerOptions, silentLogger } from './kernel/logger.js';
export { parseDuration } from './kernel/model/duration.js';
export * from './kernel/model/index.js';
export { closest } from './kernel/model/suggest.js';
export { describeZodIssues } from './kernel/model/zod-issues.js';
// Operating a database: explicit migrations of a shared one, and consistent copies of a local file.
export { type BackupOptions, type BackupResult, backupStore } from './kernel/store/backup-store.js';
export type { MigrationReport, OpenStoreOptions, Store, WriteOptions } from './kernel/store/open-store.js';
export { escapeMrkdwn } from './kernel/text/escape-mrkdwn.js';
export { redactSecrets } from './kernel/text/redact-secrets.js';
export { type SafeTextOptions, safeText } from './kernel/text/safe-text.js';
export { migrateDatabase } from './migrations.js';
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
export type { Policy, PolicyRuling } from './services/approvals/policy/compile-policy.js';
export { type PolicyDocument, parsePolicy, parsePolicyText } from './services/approvals/policy/policy-document.js';
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
