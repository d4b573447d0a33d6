import type { AiConfig, BuiltinFeature } from './features/index.js';
import { TeamStateError } from './kernel/errors.js';
import type { Logger } from './kernel/logger.js';
import { DEFAULT_DATABASE, type OpenStoreOptions } from './kernel/store/open-store.js';
import type { WebhookQueueOptions } from './records/webhooks/webhook-queue.js';
import type { ApprovedPolicyOptions } from './services/approvals/policy/approved-policy.js';
import type { PolicyDocument } from './services/approvals/policy/policy-document.js';
import type { FeatureOptions } from './services/feature-kit/index.js';
import type { MetricSettings } from './services/metrics/metric-settings.js';
import type { DeclaredOptOuts } from './services/privacy/opt-outs.js';
import type { RetentionOptions } from './services/retention/retention-options.js';
import type { Connector } from './spec/connector.js';
import type { MetricCalculator } from './spec/metric-calculator.js';
import type { SignalDetector, SignalSettings } from './spec/signal-detector.js';
import { validateCalculators, validateConnectors } from './spec/validate-specs.js';

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

/** Options of {@link createTeamState}: core's own, and those its features read (`reports`, `knowledge`, `goals` …). */
export type TeamStateOptions = CoreOptions & FeatureOptions<BuiltinFeature>;

/** The options core reads itself. */
export interface CoreOptions {
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
  /**
   * Run the policy approved in the database instead of `policy` as given (what the CLI does; docs/security.md#changing-the-policy):
   * the first open adopts `policy` as version 1, and a `policy` that differs from the active version later is reported
   * (`onUnapprovedChange`, the `policy.unapproved_change` signal) but not run. Left out, `policy` runs as given.
   */
  approvedPolicy?: ApprovedPolicyOptions;
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
  /**
   * Opt-outs declared in configuration (`people[].optOut`): person id to `reminders`, `surveys`, `wellbeing`, `leaderboard`. Stored
   * with the data when the facade opens (replacing what the configuration declared before); people opt out
   * themselves with `ts.people.optOut()`.
   */
  optOuts?: DeclaredOptOuts;
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
 * Checks core's options that need no database and returns what the facade is built from: the workspace id and the
 * store options (each feature checks its own). Anything wrong fails here, naming the option, before a file is opened.
 */
export function checkTeamStateOptions(options: CoreOptions): { workspace: string; opened: OpenStoreOptions } {
  const workspace = options.workspace ?? 'default';
  if (!WORKSPACE_PATTERN.test(workspace)) {
    throw new TeamStateError(
      'invalid_config',
      `workspace: "${workspace}" is not a valid workspace id (letters, digits, "_", "-", "."; at most 64 characters)`,
    );
  }
  validateConnectors(options.connectors ?? []);
  validateCalculators(options.metrics ?? []);
  return { workspace, opened: storeOptions(options.database, options.authToken) };
}

/** A positive whole number of milliseconds, or `fallback` when not given. */
export function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new TeamStateError('invalid_config', `${name}: expected a positive whole number of milliseconds, got ${value}`);
  return value;
}
