import { type AiImpact, type AiImpactQuery, aiImpact } from './features/ai/ai-impact.js';
import { type AiConfig, aiConfigSchema, createAiDetector } from './features/ai/detect-ai.js';
import { createActionCatalogue } from './features/approvals/action-catalogue.js';
import { checkActionParams } from './features/approvals/action-params.js';
import { createApprovalNotifier } from './features/approvals/approval-notifier.js';
import { type Actions, type Approvals, createApprovalsApi } from './features/approvals/approvals-api.js';
import { compilePolicy, type Policy } from './features/approvals/policy/compile-policy.js';
import type { PolicyDocument } from './features/approvals/policy/policy-document.js';
import { createDeferredWork, receiveInteraction } from './features/approvals/receive-interaction.js';
import { type AuditLedger, createAuditLedger } from './features/audit/audit-ledger.js';
import { createFeedbackApi, type FeedbackApi } from './features/feedback/feedback-api.js';
import { createKnowledgeApi, type Knowledge, type KnowledgeOptions, validateKnowledgeSources } from './features/knowledge/knowledge-api.js';
import {
  checkLeaderboardSettings,
  type Leaderboard,
  type LeaderboardQuery,
  type LeaderboardSettings,
  leaderboard,
} from './features/leaderboard/leaderboard.js';
import { createMetrics, type Metrics } from './features/metrics/create-metrics.js';
import { type MetricSettings, resolveMetricSettings } from './features/metrics/metric-settings.js';
import { type DeclaredOptOuts, storeDeclaredOptOuts } from './features/privacy/opt-outs.js';
import { createPeopleApi, type People } from './features/privacy/people-api.js';
import { createReportsApi, type ReportOptions, type Reports, resolveReportOptions } from './features/reports/reports-api.js';
import { personTimeZone, type TimelineEntry, type TimelineQuery, timeline } from './features/reports/timeline.js';
import { createRetentionApi, type Retention } from './features/retention/retention-api.js';
import { type RetentionOptions, resolveRetentionOptions } from './features/retention/retention-options.js';
import { createWorkspaceSettings, type WorkspaceSettings } from './features/settings/workspace-settings.js';
import { createSignalsApi, type Signals } from './features/signals/signals-api.js';
import { createSurveys, type SurveySettings, type Surveys } from './features/surveys/surveys-api.js';
import { createTokensApi, type Tokens } from './features/tokens/tokens-api.js';
import { TeamStateError, ValidationError } from './kernel/errors.js';
import { type Logger, silentLogger } from './kernel/logger.js';
import type { Bundle } from './kernel/model/bundle.js';
import type { Provider } from './kernel/model/common.js';
import { localDay } from './kernel/model/local-day.js';
import { describeZodIssues } from './kernel/model/zod-issues.js';
import { DEFAULT_DATABASE, type OpenStoreOptions, openStore, type Store } from './kernel/store/open-store.js';
import { createTelemetry } from './kernel/telemetry/telemetry.js';
import { exportBundle } from './records/bundle/export-bundle.js';
import { type ImportResult, importBundle } from './records/bundle/import-bundle.js';
import { type BundleSource, importBundleStream } from './records/bundle/import-bundle-stream.js';
import { type LinkAccountResult, linkAccount } from './records/identity/link-account.js';
import { type AccountRef, personForAccount, resolvePeople } from './records/identity/resolve-people.js';
import { computeOverview, type Overview } from './records/overview.js';
import { createReaders, type Page, type Readers } from './records/readers.js';
import { runSync, type SyncOptions, type SyncResult } from './records/sync/run-sync.js';
import { createWebhookQueue, type WebhookQueueOptions, type Webhooks } from './records/webhooks/webhook-queue.js';
import type { Connector } from './spec/connector.js';
import type { InteractionContext } from './spec/interaction.js';
import type { MetricCalculator } from './spec/metric-calculator.js';
import type { SignalDetector, SignalSettings } from './spec/signal-detector.js';
import { interactionsOf, validateCalculators, validateConnectors, validateEmbedder } from './spec/validate-specs.js';

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

/** The teamstate SDK facade: typed readers, import/export, sync, actions, approvals and the audit ledger. */
export interface TeamState extends Omit<Readers, 'people'> {
  /** People: `list`, `get`, `unmatched`, and their data: `export`, `erase`, `optOut`, `optIn`, `optOuts`. */
  readonly people: People;
  readonly workspace: string;
  /** The underlying store, for extensions (metric calculators, custom queries). */
  readonly store: Store;
  readonly connectors: readonly Connector[];
  /** The compiled policy (built-in defaults when none was given); `policy.hash` is recorded on approvals. */
  readonly policy: Policy;
  /** Propose actions from the connectors' catalogue. */
  readonly actions: Actions;
  /** Read, decide, wait for and execute approvals. */
  readonly approvals: Approvals;
  /** The hash-chained audit ledger. */
  readonly audit: AuditLedger;
  /** Per-person tokens: create (shown once), list, revoke, authenticate. */
  readonly tokens: Tokens;
  /** Workspace settings kept with the data (`approvals.localTrust`); changes are audited. */
  readonly settings: WorkspaceSettings;
  /** Signals: `refresh()` runs the detectors, `list()` reads what they found. */
  readonly signals: Signals;
  /** Daily reports: `submit`, `list`, `search`, `draft` (docs/daily-reports.md). */
  readonly reports: Reports;
  /** Feedback about AI assistants: `add`, `patterns`, `suggestRules`, `effect` (docs/ai-feedback.md). */
  readonly feedback: FeedbackApi;
  /**
   * Pull request surveys (docs/ai-impact.md): which are `due`, `recordSent`, `answer`, and the `reveals` due once
   * author and reviewer have both answered. The Slack connector's `sendSlackSurveys(ts)` (run by `teamstate serve`)
   * sends them through the policy.
   */
  readonly surveys: Surveys;
  /** Retention: `run({ dryRun? })` archives and deletes expired rows, `restore(manifestPath)` brings them back (docs/daily-reports.md). */
  readonly retention: Retention;
  /**
   * A person's reports and activity merged in time order, oldest first, one page at a time: PRs opened, merged and
   * reviewed, issues (assigned to them) moved, production deployments that shipped their PRs. `from`/`to` are ISO
   * timestamps (`[from, to)`) or days `YYYY-MM-DD` (the person's whole local days).
   * @example const { items, nextCursor } = await ts.timeline('ana', { from: '2026-03-16', to: '2026-03-20' })
   */
  /**
   * AI-assisted vs other pull requests merged in `[from, to)`: n, cycle time, time to first review, review rounds and
   * size per group, the differences with seeded bootstrap 95% intervals, a plain-words verdict ("Not enough data" below
   * `minSample`), weekly adoption, the tools, reviewers' survey answers, tool usage, and the effect of the agent rules
   * teamstate proposed (docs/ai-impact.md#analysis).
   * @example const impact = await ts.aiImpact({ from: '2026-03-01', to: '2026-04-01', team: 'payments' })
   */
  aiImpact(query: AiImpactQuery): Promise<AiImpact>;
  /**
   * Per measure (`reviews_given`, `prs_merged`, `survey_answers`, `guess_accuracy`; never AI usage), the top people
   * of `[from, to)` (default the 7 days before now), highest first, ties by person id; people who opted out of
   * `leaderboard` are left out (docs/ai-impact.md#leaderboard).
   * @example const board = await ts.leaderboard({ from: '2026-03-09', to: '2026-03-16' })
   */
  leaderboard(query?: LeaderboardQuery): Promise<Leaderboard>;
  timeline(person: string, query: TimelineQuery): Promise<Page<TimelineEntry>>;
  /** Knowledge: `sync` the configured sources, `search` passages with citations, `whoKnows` a topic (docs/knowledge.md). */
  readonly knowledge: Knowledge;
  /** The injected clock. */
  now(): Date;
  /** Validates and imports a `teamstate.bundle/v1` document in one transaction. */
  import(bundle: unknown): Promise<ImportResult>;
  /**
   * Imports a `teamstate.bundle/v1` file (a path) or byte stream without holding it in memory, with the guarantees
   * of `import`: one transaction, idempotent, every problem with its JSON path, the store untouched on failure.
   * @example await ts.importFile('company.bundle.json')
   */
  importFile(source: BundleSource): Promise<ImportResult>;
  /** The workspace as a `teamstate.bundle/v1` document. */
  export(): Promise<Bundle>;
  /** The workspace at a glance (totals, and per team: PRs, deployments, incidents, WIP, the active sprint), at the clock's now. */
  overview(query?: { team?: string }): Promise<Overview>;
  /**
   * Webhooks. `receive(path, request)` takes requests to `POST /webhooks/<path>` (the HTTP server calls
   * it): deliveries for the connectors that declare `webhooks` (`path` is their provider), stored and then
   * processed from a queue with retries, and interactive requests for those that declare `interactions`
   * (`path` such as `slack/interactivity`; send `answer` instead of `body` when it is set). `list`,
   * `retry(id)` and `drain()` show and replay the queue.
   * @example for (const d of await ts.webhooks.list({ failed: true })) await ts.webhooks.retry(d.id, { provider: d.provider })
   */
  readonly webhooks: Webhooks;
  /** Person ids for accounts, linking them (see `resolvePeople`); what connectors use through their context. */
  resolvePeople(accounts: readonly AccountRef[]): Promise<(string | undefined)[]>;
  /**
   * Links an existing account to an existing person (`teamstate people link`); a person left without
   * accounts is merged into `person` (see `linkAccount`).
   * @example await ts.linkAccount({ provider: 'jira', id: '5f00aa' }, 'ana')
   */
  linkAccount(account: { provider: Provider; id: string }, person: string): Promise<LinkAccountResult>;
  /** Runs the configured connectors. */
  sync(options?: SyncOptions): Promise<SyncResult>;
  /** The registered metrics: `list()`, `compute(ids, query)`, `explain(id, query)`. */
  readonly metrics: Metrics;
  close(): Promise<void>;
}

/** How often an embedded replica pulls its primary's changes when `syncInterval` is not given, in seconds. */
const DEFAULT_SYNC_INTERVAL_S = 5;

/** The store options of the `database` setting (a URL, or an embedded replica's options). */
function storeOptions(database: TeamStateOptions['database'], authToken: string | undefined): OpenStoreOptions {
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
 * Opens teamstate on a database (migrating it) and returns the facade.
 *
 * @example
 * const ts = await createTeamState({ database: ':memory:', connectors: [demo()] })
 * await ts.sync()
 * const teams = await ts.teams.list()
 */
export async function createTeamState(options: TeamStateOptions = {}): Promise<TeamState> {
  const workspace = options.workspace ?? 'default';
  if (!WORKSPACE_PATTERN.test(workspace)) {
    throw new TeamStateError(
      'invalid_config',
      `workspace: "${workspace}" is not a valid workspace id (letters, digits, "_", "-", "."; at most 64 characters)`,
    );
  }
  const connectors = options.connectors ?? [];
  validateConnectors(connectors);
  const catalogue = createActionCatalogue(connectors);
  const detectors = options.signals ?? [];
  const webhookSpecs = connectors.flatMap((c) => (c.webhooks ? [c.webhooks] : []));
  const interactionSpecs = connectors.flatMap(interactionsOf);
  const channels = connectors.flatMap((c) => (c.approvalChannel ? [c.approvalChannel] : []));
  const policy = compilePolicy(options.policy);
  const calculators = options.metrics ?? [];
  validateCalculators(calculators);
  const metricSettings = resolveMetricSettings(options.metricSettings);
  const reportOptions = resolveReportOptions(options.reports);
  const opened = storeOptions(options.database, options.authToken);
  // The default archive folder is next to the local database file (an embedded replica's file included).
  const retentionOptions = resolveRetentionOptions(options.retention, opened.database ?? DEFAULT_DATABASE);
  const aiConfig = aiConfigSchema.safeParse(options.ai ?? {});
  if (!aiConfig.success) throw new ValidationError('invalid_config', 'ai', describeZodIssues(aiConfigSchema, aiConfig.error.issues));
  const ai = createAiDetector(options.ai);
  const knowledgeSources = options.knowledge?.sources ?? [];
  validateKnowledgeSources(knowledgeSources);
  const embedder = options.knowledge?.embedder;
  if (embedder !== undefined) validateEmbedder(embedder);
  checkLeaderboardSettings(options.leaderboard);
  const clock = options.clock ?? (() => new Date());
  const log = options.logger ?? silentLogger;
  const writeClock = options.approvals?.clock ?? clock;
  const store = await openStore({ ...opened, now: () => clock().getTime() });
  const { actions, approvals, settleOnOpen, stopWatches } = createApprovalsApi(
    {
      store,
      workspace,
      clock: writeClock,
      log,
      policy,
      catalogue,
      notifier: createApprovalNotifier(),
      executionLeaseMs: positive('approvals.executionLeaseMs', options.approvals?.executionLeaseMs, 10 * 60_000),
      pollIntervalMs: positive('approvals.pollIntervalMs', options.approvals?.pollIntervalMs, 200),
      telemetry: createTelemetry(),
    },
    channels,
  );
  const deferred = createDeferredWork(log);
  const queue = createWebhookQueue({ store, workspace, specs: webhookSpecs, clock, log, ai }, options.webhooks);
  const surveys = createSurveys({ store, workspace, clock: writeClock, settings: options.surveys });
  const reports = createReportsApi({
    store,
    workspace,
    clock: writeClock,
    maxDaysBack: reportOptions.maxDaysBack,
    productionEnvironments: metricSettings.productionEnvironments,
    reminders: { policy: policy.document, clock },
  });
  const feedback = createFeedbackApi({ store, workspace, clock: writeClock, now: clock, connectors, log });
  const readers = createReaders(store, workspace);
  const interactionContext: InteractionContext = {
    workspace,
    surveys: { answer: (answer) => surveys.answer(answer) },
    log,
    now: clock,
    approvals: { get: (id) => approvals.get(id), decide: (id, decision) => approvals.decide(id, decision) },
    propose: (proposal) => actions.propose(proposal),
    reports: {
      today: async (person) => localDay(writeClock().getTime(), await personTimeZone(store, workspace, person)),
      draft: (person, day) => reports.draft(person, day),
      submit: (input) => reports.submit(input),
    },
    feedback: {
      async pullRequest(id) {
        const item = await readers.workItems.get(id);
        if (item?.id !== id || item.kind !== 'pull_request' || item.repository === undefined) return undefined;
        const prefix = `${item.repository}#`;
        const number = item.key.startsWith(prefix) ? Number(item.key.slice(prefix.length)) : Number.NaN;
        if (!Number.isInteger(number) || number < 1) return undefined;
        return { key: item.key, title: item.title, repository: item.repository, number };
      },
      add: (input) => feedback.add(input),
    },
    personFor: (provider, externalId) => personForAccount(store, workspace, provider, externalId),
    checkParams(type, params) {
      const action = catalogue.find(type);
      if (!action) {
        const message = `no configured connector declares ${type}, so its params cannot be checked here`;
        return { ok: false, message, issues: [{ path: 'type', message }] };
      }
      const checked = checkActionParams(action, params, 'params');
      return checked.ok ? checked : { ok: false, message: checked.error.message, issues: checked.error.issues };
    },
  };
  try {
    // A restart settles what a stopped process left behind (expired TTLs, interrupted executions).
    await settleOnOpen();
    if (options.optOuts) await storeDeclaredOptOuts(store, workspace, options.optOuts, writeClock().getTime());
  } catch (error) {
    await store.close();
    throw error;
  }
  let closed = false;
  return {
    ...readers,
    people: createPeopleApi({ store, workspace, clock: writeClock, readers: readers.people }),
    workspace,
    store,
    connectors,
    policy,
    actions,
    approvals,
    audit: createAuditLedger(store, workspace),
    tokens: createTokensApi({ store, workspace, clock: writeClock }),
    settings: createWorkspaceSettings({ store, workspace, clock: writeClock }),
    signals: createSignalsApi({ store, workspace, clock, detectors, settings: options.signalSettings, policy: policy.document }),
    reports,
    surveys,
    feedback,
    retention: createRetentionApi({ store, workspace, clock: writeClock, options: retentionOptions }),
    timeline: (person, query) =>
      timeline({ store, workspace, productionEnvironments: metricSettings.productionEnvironments }, person, query),
    knowledge: createKnowledgeApi({
      store,
      workspace,
      clock: writeClock,
      log,
      sources: knowledgeSources,
      ...(embedder ? { embedder } : {}),
    }),
    now: clock,
    import: (bundle) => importBundle(store, workspace, bundle, () => writeClock().getTime(), { ai, deliverySettings: metricSettings }),
    importFile: (source) =>
      importBundleStream(store, workspace, source, () => writeClock().getTime(), { ai, deliverySettings: metricSettings }),
    export: () => exportBundle(store, workspace),
    overview: (query = {}) =>
      computeOverview(
        store,
        workspace,
        clock(),
        query.team,
        connectors.map((c) => c.id),
      ),
    webhooks: {
      receive(path, request) {
        const interaction = interactionSpecs.find((spec) => spec.path === path);
        if (interaction) {
          return receiveInteraction({ store, workspace, clock, log, context: interactionContext, deferred }, interaction, request);
        }
        return queue.receive(path, request);
      },
      list: (query) => queue.list(query),
      retry: (id, retryOptions) => queue.retry(id, retryOptions),
      drain: (drainOptions) => queue.drain(drainOptions),
      idle: () => queue.idle(),
    },
    resolvePeople: (accounts) => resolvePeople(store, workspace, accounts),
    linkAccount: (account, person) => linkAccount(store, workspace, account, person),
    aiImpact: (query) => aiImpact({ store, workspace, now: clock, reworkLabels: metricSettings.reworkLabels }, query),
    leaderboard: (query) => leaderboard({ store, workspace, now: clock, settings: options.leaderboard }, query),
    sync: (syncOptions) => runSync({ store, workspace, connectors, clock, log, ai }, syncOptions),
    metrics: createMetrics(store, workspace, calculators, metricSettings, clock),
    async close() {
      if (closed) return;
      closed = true;
      // Watches stop first (nothing new starts), then work started after answering interactions finishes.
      await stopWatches();
      await deferred.idle();
      await queue.close();
      await store.close();
    },
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new TeamStateError('invalid_config', `${name}: expected a positive whole number of milliseconds, got ${value}`);
  return value;
}
