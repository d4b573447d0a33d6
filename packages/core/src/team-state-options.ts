import { type AiConfig, type AiDetector, aiConfigSchema, createAiDetector } from './features/ai/detect-ai.js';
import { type KnowledgeOptions, validateKnowledgeSources } from './features/knowledge/knowledge-api.js';
import { checkLeaderboardSettings, type LeaderboardSettings } from './features/leaderboard/leaderboard.js';
import type { ReportOptions } from './features/reports/reports-api.js';
import type { SurveySettings } from './features/surveys/surveys-api.js';
import { TeamStateError, ValidationError } from './kernel/errors.js';
import type { Logger } from './kernel/logger.js';
import type { Absence, GoalInput } from './kernel/model/plans.js';
import { describeZodIssues } from './kernel/model/zod-issues.js';
import { DEFAULT_DATABASE, type OpenStoreOptions } from './kernel/store/open-store.js';
import type { WebhookQueueOptions } from './records/webhooks/webhook-queue.js';
import type { PolicyDocument } from './services/approvals/policy/policy-document.js';
import type { MetricSettings } from './services/metrics/metric-settings.js';
import type { DeclaredOptOuts } from './services/privacy/opt-outs.js';
import type { RetentionOptions } from './services/retention/retention-options.js';
import type { Connector } from './spec/connector.js';
import type { MetricCalculator } from './spec/metric-calculator.js';
import type { SignalDetector, SignalSettings } from './spec/signal-detector.js';
import { validateCalculators, validateConnectors, validateEmbedder } from './spec/validate-specs.js';

// The options of createTeamState() and their checks, done before anything is opened.

/**
 * An embedded replica of a libSQL server (docs/configuration.md#database): a local file that answers reads, while writes go to the
 * primary at `syncUrl` and everyone's writes come back into the file.
 * @example { url: 'file:.teamstate/replica.db', syncUrl: 'libsql://teamstate.example.com', authToken: process.env.TEAMSTATE_DB_AUTH_TOKEN, syncInterval: 5 }
 */
export interface DatabaseOptions {
  /** The local replica file (`file:…` or a path); one per process. */
  url: string;
  /** The primary: a libSQL server (sqld, Turso) at `libsql://…`, `https://…` or `http://…`. */
  syncUrl?: string;
  /** The primary's auth token (default: `TeamStateOptions.authToken`). */
  authToken?: string;
  /**
   * How often, in seconds, the replica pulls other machines' writes in the background (default 5). `approvals.wait()`
   * and `approvals.watch()` also pull before each look, so a decision made elsewhere is seen at their own pace.
   */
  syncInterval?: number;
}

/** Options of {@link createTeamState}. */
export interface TeamStateOptions {
  /**
   * `file:.teamstate/teamstate.db` (default), a path, `:memory:`, a `libsql://` / `http(s)://` URL, or an embedded
   * replica `{ url, syncUrl, authToken?, syncInterval? }`. A shared database (a libSQL server) is set up when empty and
   * refused while its schema is older than this version (`migrateDatabase()`, `teamstate migrate`).
   */
  database?: string | DatabaseOptions;
  /** Auth token for a remote libSQL server. */
  authToken?: string;
  /** Tenant id; every row is scoped to it. Default `default`. */
  workspace?: string;
  connectors?: readonly Connector[];
  /** The policy document (docs/approvals.md#the-policy-document), validated here; `undefined` means the built-in defaults. */
  policy?: PolicyDocument;
  /** Tuning of the approval lifecycle. */
  approvals?: {
    /** An execution still `executing` this long after it started is settled by `reconcile()` (default 10 minutes). */
    executionLeaseMs?: number;
    /** How often `wait()` re-reads the database for other processes' decisions (default 200 ms). */
    pollIntervalMs?: number;
    /**
     * The clock of the write path: proposal, decision and execution times, expiry, and every audit entry
     * (default: `clock`). The CLI always sets the real clock here: its `--now` is for reading only.
     */
    clock?: () => Date;
  };
  /** Signal detectors (`builtinSignals` from `@teamstate/metrics`, plus your own). */
  signals?: readonly SignalDetector[];
  /** Signal thresholds (for everyone and per team) and the working week. */
  signalSettings?: SignalSettings;
  /** Metric calculators (`builtinMetrics` from `@teamstate/metrics`, plus your own). */
  metrics?: readonly MetricCalculator[];
  /** Production environments, rework labels, waiting statuses and the DORA benchmark table (docs/metrics.md). */
  metricSettings?: MetricSettings;
  /** The clock; inject one in tests and for `--now`. */
  clock?: () => Date;
  logger?: Logger;
  /** Retries and back-off of the webhook queue. */
  webhooks?: WebhookQueueOptions;
  /** Daily reports: how many days back `ts.reports.submit()` accepts (`maxDaysBack`, default 30). */
  reports?: ReportOptions;
  /**
   * Opt-outs declared in configuration (`people[].optOut`): person id to `reminders`, `surveys`, `wellbeing`, `leaderboard`. Stored
   * with the data when the facade opens (replacing what the configuration declared before); people opt out
   * themselves with `ts.people.optOut()`.
   */
  optOuts?: DeclaredOptOuts;
  /** Pull request surveys (docs/ai-impact.md#pull-request-surveys-slack): off unless `enabled`; see {@link SurveySettings}. */
  surveys?: SurveySettings;
  /** Absences declared in configuration (`absences[] { person, from, to }`, days inclusive): stored on open; forecasts count them out. */
  absences?: readonly Absence[];
  /** Goals declared in configuration (`goals[]`): stored on open, replacing stored goals with the same id. */
  goals?: readonly GoalInput[];
  /** The weekly leaderboard (docs/ai-impact.md#leaderboard): off unless `enabled`; `measures` and `schedule` are checked at open. */
  leaderboard?: LeaderboardSettings;
  /**
   * How long reports, webhook deliveries and resolved signals are kept before `ts.retention.run()` archives and
   * deletes them (defaults `365d`, `30d`, `180d`), and the archive folder (default: `archive` next to the database file).
   */
  retention?: RetentionOptions;
  /**
   * AI detection: entries added to the built-in lists (co-author emails, bot logins, labels, body markers, tool names;
   * docs/ai-impact.md). Applied to every pull request imported, synced or received by webhook.
   */
  ai?: AiConfig;
  /**
   * Knowledge sources (`localKnowledge({ paths })`, the demo handbook, your own): what `ts.knowledge.sync()` indexes;
   * optionally an `embedder` for vector search fused with BM25.
   */
  knowledge?: KnowledgeOptions;
}

/** How often an embedded replica pulls its primary's changes when `syncInterval` is not given, in seconds. */
const DEFAULT_SYNC_INTERVAL_S = 5;

/** The store options of the `database` setting (a URL, or an embedded replica's options). */
export function storeOptions(database: TeamStateOptions['database'], authToken: string | undefined): OpenStoreOptions {
  if (database === undefined || typeof database === 'string') return { database: database ?? DEFAULT_DATABASE, authToken };
  if (typeof database !== 'object' || database === null || typeof database.url !== 'string') {
    throw new TeamStateError('invalid_config', 'database.url: expected the local replica file (e.g. file:.teamstate/replica.db)');
  }
  const { url, syncUrl, syncInterval } = database;
  return {
    database: url,
    authToken: database.authToken ?? authToken,
    syncUrl,
    syncInterval: syncUrl === undefined ? undefined : (syncInterval ?? DEFAULT_SYNC_INTERVAL_S),
  };
}

const WORKSPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Checks the options that need no database and returns what the facade is built from: the workspace id, the AI
 * detector and the store options. Anything wrong fails here, naming the option, before a file is opened.
 */
export function checkTeamStateOptions(options: TeamStateOptions): { workspace: string; ai: AiDetector; opened: OpenStoreOptions } {
  const workspace = options.workspace ?? 'default';
  if (!WORKSPACE_PATTERN.test(workspace)) {
    throw new TeamStateError(
      'invalid_config',
      `workspace: "${workspace}" is not a valid workspace id (letters, digits, "_", "-", "."; at most 64 characters)`,
    );
  }
  validateConnectors(options.connectors ?? []);
  validateCalculators(options.metrics ?? []);
  const aiConfig = aiConfigSchema.safeParse(options.ai ?? {});
  if (!aiConfig.success) throw new ValidationError('invalid_config', 'ai', describeZodIssues(aiConfigSchema, aiConfig.error.issues));
  validateKnowledgeSources(options.knowledge?.sources ?? []);
  if (options.knowledge?.embedder !== undefined) validateEmbedder(options.knowledge.embedder);
  checkLeaderboardSettings(options.leaderboard);
  return { workspace, ai: createAiDetector(options.ai), opened: storeOptions(options.database, options.authToken) };
}

/** A positive whole number of milliseconds, or `fallback` when not given. */
export function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new TeamStateError('invalid_config', `${name}: expected a positive whole number of milliseconds, got ${value}`);
  return value;
}
