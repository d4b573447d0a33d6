/**
 * The extension contracts of teamstate: what a connector, action type, webhook or interaction handler,
 * approval channel, metric calculator, signal detector or embedder implements. Each is a plain object with
 * `specificationVersion: 'v1'`. This entry holds types only (plus `defineActionType` and the errors a
 * handler throws), so an extension can depend on the contract without loading the implementation.
 *
 * @example
 * import type { Connector } from '@teamstate/core/spec'
 * export const myTracker: Connector = { specificationVersion: 'v1', id: 'my-tracker', async sync(ctx) { … } }
 */
export {
  TeamStateError,
  type TeamStateErrorCode,
  UpstreamError,
  type UpstreamRequest,
  ValidationError,
  type ValidationIssue,
  WebhookPayloadError,
} from '../kernel/errors.js';
export type { Logger, LogLevel } from '../kernel/logger.js';
export {
  type ActionApprover,
  type ActionContext,
  type ActionType,
  defineActionType,
  type ExecutionCheck,
  type PreconditionResult,
} from './action-type.js';
export type { ApprovalChannel, ApprovalChannelContext, ApprovalMessageRef } from './approval-channel.js';
export type { Connector, SyncContext, SyncProgress, WebhookInstall, WebhookInstallStep } from './connector.js';
export type { Embedder } from './embedder.js';
export type {
  ActionProposal,
  DecisionAuthentication,
  DecisionInput,
  InteractionApprovals,
  InteractionContext,
  InteractionFeedback,
  InteractionReports,
  InteractionResult,
  InteractionSignals,
  InteractionSpec,
} from './interaction.js';
export type {
  KnowledgeDocumentInput,
  KnowledgeOwnersInput,
  KnowledgeSource,
  KnowledgeSourceContext,
  KnowledgeSourceKind,
  KnownKnowledgeDocument,
} from './knowledge-source.js';
export type {
  DerivedTable,
  DoraBenchmarks,
  MetricCalculator,
  MetricEvidence,
  MetricQuery,
  MetricResult,
  ResolvedMetricSettings,
} from './metric-calculator.js';
export type { BuiltinMetricId, MetricId } from './metric-ids.js';
export type { AccountRef, LinksReplaced, RecordKind, SyncBatch } from './records.js';
export type { RepositoryFile, RepositoryFiles, RepositoryFilesContext } from './repository-files.js';
export type {
  DetectedSignal,
  SignalContext,
  SignalDetector,
  SignalIncremental,
  SignalSettings,
  SignalSeverity,
  SignalSource,
  SignalSubject,
  WorkingHours,
} from './signal-detector.js';
export type { Sql, SqlValue, StoreReader } from './store-reader.js';
export type { RecordRemoval, WebhookContext, WebhookEvent, WebhookOutcome, WebhookRequest, WebhookSpec } from './webhook.js';
