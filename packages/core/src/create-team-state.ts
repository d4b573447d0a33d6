import { createActionCatalogue } from './approvals/action-catalogue.js';
import { checkActionParams } from './approvals/action-params.js';
import { createApprovalNotifier } from './approvals/approval-notifier.js';
import { type Actions, type Approvals, createApprovalsApi } from './approvals/approvals-api.js';
import { type AuditLedger, createAuditLedger } from './audit/audit-ledger.js';
import { exportBundle } from './bundle/export-bundle.js';
import { type ImportResult, importBundle } from './bundle/import-bundle.js';
import { TeamStateError } from './errors.js';
import { type LinkAccountResult, linkAccount } from './identity/link-account.js';
import { type AccountRef, personForAccount, resolvePeople } from './identity/resolve-people.js';
import { createKnowledgeApi, type Knowledge, type KnowledgeOptions, validateKnowledgeSources } from './knowledge/knowledge-api.js';
import { type Logger, silentLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics/create-metrics.js';
import { type MetricSettings, resolveMetricSettings } from './metrics/metric-settings.js';
import type { Bundle } from './model/bundle.js';
import type { Provider } from './model/common.js';
import { computeOverview, type Overview } from './overview.js';
import { type DeclaredOptOuts, storeDeclaredOptOuts } from './people/opt-outs.js';
import { createPeopleApi, type People } from './people/people-api.js';
import { compilePolicy, type Policy } from './policy/compile-policy.js';
import type { PolicyDocument } from './policy/policy-document.js';
import { createReaders, type Page, type Readers } from './readers.js';
import { createReportsApi, type ReportOptions, type Reports, resolveReportOptions } from './reports/reports-api.js';
import { type TimelineEntry, type TimelineQuery, timeline } from './reports/timeline.js';
import { createWorkspaceSettings, type WorkspaceSettings } from './settings/workspace-settings.js';
import { createSignalsApi, type Signals } from './signals/signals-api.js';
import type { Connector } from './spec/connector.js';
import type { InteractionContext } from './spec/interaction.js';
import type { MetricCalculator } from './spec/metric-calculator.js';
import type { SignalDetector, SignalSettings } from './spec/signal-detector.js';
import { validateCalculators, validateConnectors } from './spec/validate-specs.js';
import { DEFAULT_DATABASE, openStore, type Store } from './store/open-store.js';
import { runSync, type SyncOptions, type SyncResult } from './sync/run-sync.js';
import { createTokensApi, type Tokens } from './tokens/tokens-api.js';
import { createDeferredWork, receiveInteraction } from './webhooks/receive-interaction.js';
import { createWebhookQueue, type WebhookQueueOptions, type Webhooks } from './webhooks/webhook-queue.js';

/** Options of {@link createTeamState}. */
export interface TeamStateOptions {
  /** `file:.teamstate/teamstate.db` (default), a path, `:memory:`, or a `libsql://` / `http(s)://` URL. */
  database?: string;
  /** Auth token for a remote libSQL server. */
  authToken?: string;
  /** Tenant id; every row is scoped to it. Default `default`. */
  workspace?: string;
  connectors?: readonly Connector[];
  /** The policy document (DESIGN.md section 6), validated here; `undefined` means the built-in defaults. */
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
   * Opt-outs declared in configuration (`people[].optOut`): person id to `reminders`, `surveys`, `wellbeing`. Stored
   * with the data when the facade opens (replacing what the configuration declared before); people opt out
   * themselves with `ts.people.optOut()`.
   */
  optOuts?: DeclaredOptOuts;
  /** Knowledge sources (`localKnowledge({ paths })`, the demo handbook, your own): what `ts.knowledge.sync()` indexes. */
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
  /** Daily reports: `submit`, `list`, `search`, `draft` (DESIGN.md section 12). */
  readonly reports: Reports;
  /**
   * A person's reports and activity merged in time order, oldest first, one page at a time: PRs opened, merged and
   * reviewed, issues (assigned to them) moved, production deployments that shipped their PRs. `from`/`to` are ISO
   * timestamps (`[from, to)`) or days `YYYY-MM-DD` (the person's whole local days).
   * @example const { items, nextCursor } = await ts.timeline('ana', { from: '2026-03-16', to: '2026-03-20' })
   */
  timeline(person: string, query: TimelineQuery): Promise<Page<TimelineEntry>>;
  /** Knowledge: `sync` the configured sources, `search` passages with citations, `whoKnows` a topic (DESIGN.md section 13). */
  readonly knowledge: Knowledge;
  /** The injected clock. */
  now(): Date;
  /** Validates and imports a `teamstate.bundle/v1` document in one transaction. */
  import(bundle: unknown): Promise<ImportResult>;
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
  const interactionSpecs = connectors.flatMap((c) => (c.interactions ? [c.interactions] : []));
  const channels = connectors.flatMap((c) => (c.approvalChannel ? [c.approvalChannel] : []));
  const policy = compilePolicy(options.policy);
  const calculators = options.metrics ?? [];
  validateCalculators(calculators);
  const metricSettings = resolveMetricSettings(options.metricSettings);
  const reportOptions = resolveReportOptions(options.reports);
  const knowledgeSources = options.knowledge?.sources ?? [];
  validateKnowledgeSources(knowledgeSources);
  const clock = options.clock ?? (() => new Date());
  const log = options.logger ?? silentLogger;
  const writeClock = options.approvals?.clock ?? clock;
  const store = await openStore({
    database: options.database ?? DEFAULT_DATABASE,
    authToken: options.authToken,
    now: () => clock().getTime(),
  });
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
    },
    channels,
  );
  const deferred = createDeferredWork(log);
  const queue = createWebhookQueue({ store, workspace, specs: webhookSpecs, clock, log }, options.webhooks);
  const interactionContext: InteractionContext = {
    workspace,
    log,
    now: clock,
    approvals: { get: (id) => approvals.get(id), decide: (id, decision) => approvals.decide(id, decision) },
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
    store.close();
    throw error;
  }
  let closed = false;
  const readers = createReaders(store, workspace);
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
    reports: createReportsApi({
      store,
      workspace,
      clock: writeClock,
      maxDaysBack: reportOptions.maxDaysBack,
      productionEnvironments: metricSettings.productionEnvironments,
    }),
    timeline: (person, query) =>
      timeline({ store, workspace, productionEnvironments: metricSettings.productionEnvironments }, person, query),
    knowledge: createKnowledgeApi({ store, workspace, clock: writeClock, log, sources: knowledgeSources }),
    now: clock,
    import: (bundle) => importBundle(store, workspace, bundle, () => writeClock().getTime()),
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
    sync: (syncOptions) => runSync({ store, workspace, connectors, clock, log }, syncOptions),
    metrics: createMetrics(store, workspace, calculators, metricSettings, clock),
    async close() {
      if (closed) return;
      closed = true;
      // Watches stop first (nothing new starts), then work started after answering interactions finishes.
      await stopWatches();
      await deferred.idle();
      await queue.close();
      store.close();
    },
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new TeamStateError('invalid_config', `${name}: expected a positive whole number of milliseconds, got ${value}`);
  return value;
}
