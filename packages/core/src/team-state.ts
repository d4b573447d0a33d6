import { composeHub } from './compose-hub.js';
import { composePlans } from './compose-plans.js';
import { composeReading } from './compose-reading.js';
import { checkAgreements } from './features/agreements/agreements-api.js';
import { aiImpact } from './features/ai/ai-impact.js';
import { builtinFeatures } from './features/index.js';
import { leaderboard } from './features/leaderboard/leaderboard.js';
import { createOAuthApi } from './features/oauth/oauth-api.js';
import { resolveReportOptions } from './features/reports/reports-api.js';
import { createRiskActions } from './features/risks/index.js';
import { createWorkspaceSettings } from './features/settings/workspace-settings.js';
import { createSurveys } from './features/surveys/surveys-api.js';
import { createTokensApi } from './features/tokens/tokens-api.js';
import { createInteractionContext } from './interaction-context.js';
import { silentLogger } from './kernel/logger.js';
import { DEFAULT_DATABASE, openStore } from './kernel/store/open-store.js';
import { createTelemetry } from './kernel/telemetry/telemetry.js';
import { migrations } from './migrations.js';
import { exportBundle } from './records/bundle/export-bundle.js';
import { importBundle } from './records/bundle/import-bundle.js';
import { importBundleStream } from './records/bundle/import-bundle-stream.js';
import { bundleSections } from './records/feature.js';
import { linkAccount } from './records/identity/link-account.js';
import { personForAccount, resolvePeople } from './records/identity/resolve-people.js';
import { computeOverview } from './records/overview.js';
import { createReaders } from './records/readers.js';
import { retentionParts } from './records/retention.js';
import { clearRecords } from './records/store/clear-records.js';
import { runSync } from './records/sync/run-sync.js';
import { createDeferredWork, receiveInteraction } from './records/webhooks/receive-interaction.js';
import { createWebhookQueue, createWebhooksApi } from './records/webhooks/webhook-queue.js';
import { createActionCatalogue } from './services/approvals/action-catalogue.js';
import { createApprovalNotifier } from './services/approvals/approval-notifier.js';
import { createApprovalsApi } from './services/approvals/approvals-api.js';
import { compilePolicy } from './services/approvals/policy/compile-policy.js';
import { createAuditLedger } from './services/audit/audit-ledger.js';
import { createMetrics } from './services/metrics/create-metrics.js';
import { resolveMetricSettings } from './services/metrics/metric-settings.js';
import { storeDeclaredOptOuts } from './services/privacy/opt-outs.js';
import { createPeopleApi } from './services/privacy/people-api.js';
import { createRetentionApi } from './services/retention/retention-api.js';
import { resolveRetentionOptions } from './services/retention/retention-options.js';
import { interactionsOf } from './spec/validate-specs.js';
import type { TeamState } from './team-state-facade.js';
import { checkTeamStateOptions, positive, type TeamStateOptions } from './team-state-options.js';

export type { TeamState } from './team-state-facade.js';
export type { DatabaseOptions, TeamStateOptions } from './team-state-options.js';

/**
 * Opens teamstate on a database (migrating it) and returns the facade: kernel (the store), records (readers, bundle,
 * sync, webhooks) and the features, composed here.
 *
 * @example
 * const ts = await createTeamState({ database: ':memory:', connectors: [demo()] })
 * await ts.sync()
 * const teams = await ts.teams.list()
 */
export async function createTeamState(options: TeamStateOptions = {}): Promise<TeamState> {
  const { workspace, ai: detector, opened } = checkTeamStateOptions(options);
  const connectors = options.connectors ?? [];
  const catalogue = createActionCatalogue(connectors, [{ id: 'teamstate', actions: createRiskActions(() => store) }]);
  const policy = compilePolicy(options.policy);
  checkAgreements(policy.document, options.signals ?? []);
  const metricSettings = resolveMetricSettings(options.metricSettings);
  const reportOptions = resolveReportOptions(options.reports);
  // The default archive folder is next to the local database file (an embedded replica's file included).
  const retentionOptions = resolveRetentionOptions(options.retention, opened.database ?? DEFAULT_DATABASE);
  const features = builtinFeatures({ ai: detector });
  const clock = options.clock ?? (() => new Date());
  const log = options.logger ?? silentLogger;
  const writeClock = options.approvals?.clock ?? clock;
  const store = await openStore({ ...opened, now: () => clock().getTime(), migrations });
  // The instruments (and the hub's gauges below), created at open so an exporter lists them before any traffic.
  const telemetry = createTelemetry();
  const { actions, approvals, proposeAll, settleOnOpen, stopWatches } = createApprovalsApi(
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
      telemetry,
    },
    connectors.flatMap((c) => (c.approvalChannel ? [c.approvalChannel] : [])),
  );
  const deferred = createDeferredWork(log);
  const interactionSpecs = connectors.flatMap(interactionsOf);
  const specs = connectors.flatMap((c) => (c.webhooks ? [c.webhooks] : []));
  const queue = createWebhookQueue({ store, workspace, specs, clock, log, features }, options.webhooks);
  const surveys = createSurveys({ store, workspace, clock: writeClock, settings: options.surveys });
  const productionEnvironments = metricSettings.productionEnvironments;
  const readers = createReaders(store, workspace);
  // What reads people's words, for one reader (the reading rule): the owner's below, a person's through `as()`.
  const readingApis = composeReading({
    ...{ store, workspace, clock, writeClock, log, connectors, policy: policy.document, options, productionEnvironments, readers },
    maxDaysBack: reportOptions.maxDaysBack,
    actions,
    approvals,
    facade: () => facade,
  });
  const owner = readingApis();
  const { reports, feedback } = owner;
  const context = { store, workspace, log, clock, writeClock, catalogue, actions, approvals, reports, surveys, feedback, readers };
  const interactionContext = createInteractionContext({ ...context, signals: owner.signals });
  const metrics = createMetrics(store, workspace, options.metrics ?? [], metricSettings, clock);
  const plans = composePlans({ store, workspace, clock, metrics, knowledge: owner.knowledge, actions, options });
  try {
    // A restart settles what a stopped process left behind (expired TTLs, interrupted executions).
    await settleOnOpen();
    if (options.optOuts) await storeDeclaredOptOuts(store, workspace, options.optOuts, writeClock().getTime(), log);
    await plans.declare();
  } catch (error) {
    await store.close();
    throw error;
  }
  const connectorIds = connectors.map((c) => c.id);
  const hub = composeHub({ store, workspace, clock, log, actions, proposeAll, telemetry, connectorIds, policy: policy.document, options });
  const ai = {
    impact: (query) => aiImpact({ store, workspace, now: clock, reworkLabels: metricSettings.reworkLabels }, query),
    leaderboard: (query) => leaderboard({ store, workspace, now: clock, settings: options.leaderboard }, query),
  } satisfies TeamState['ai'];
  const people = {
    ...createPeopleApi({ store, workspace, clock: writeClock, readers: readers.people, features, archive: retentionOptions.archive }),
    link: (account, person) => linkAccount(store, workspace, account, person),
    resolve: (accounts) => resolvePeople(store, workspace, accounts),
    linkedTo: (account) => personForAccount(store, workspace, account.provider, account.id),
  } satisfies TeamState['people'];
  const oauth = createOAuthApi({ store, workspace, clock: writeClock });
  let closed = false;
  const facade: TeamState = {
    ...readers,
    people,
    workspace,
    store,
    connectors,
    policy,
    actions,
    approvals,
    audit: createAuditLedger(store, workspace),
    tokens: createTokensApi({ store, workspace, clock: writeClock, oauth }),
    oauth,
    settings: createWorkspaceSettings({ store, workspace, clock: writeClock }),
    ...owner,
    ...hub.apis,
    surveys,
    retention: createRetentionApi({ store, workspace, clock: writeClock, options: retentionOptions, parts: retentionParts(features) }),
    ai,
    now: clock,
    import: (bundle) =>
      importBundle(store, workspace, bundle, () => writeClock().getTime(), { features, deliverySettings: metricSettings }),
    importFile: (source) =>
      importBundleStream(store, workspace, source, () => writeClock().getTime(), { features, deliverySettings: metricSettings }),
    export: () => exportBundle(store, workspace, bundleSections(features)),
    overview: (query = {}) => computeOverview(store, workspace, clock(), query.team, connectorIds),
    webhooks: createWebhooksApi(queue, (path, request) => {
      const interaction = interactionSpecs.find((spec) => spec.path === path);
      if (!interaction) return undefined;
      return receiveInteraction({ store, workspace, clock, log, context: interactionContext, deferred }, interaction, request);
    }),
    sync: (syncOptions) => runSync({ store, workspace, connectors, clock, log, features }, syncOptions),
    records: { clear: (connector) => clearRecords(store, workspace, connector, features) },
    metrics,
    ...plans.apis,
    // Deprecated aliases of the namespaced names, kept until 1.0.
    aiImpact: ai.impact,
    leaderboard: ai.leaderboard,
    resolvePeople: people.resolve,
    linkAccount: people.link,
    as: (who) => ({ ...facade, ...readingApis(typeof who === 'string' ? { person: who } : who) }),
    async close() {
      if (closed) return;
      closed = true;
      hub.close();
      // Watches stop first (nothing new starts), then work started after answering interactions finishes.
      await stopWatches();
      await deferred.idle();
      await queue.close();
      await store.close();
    },
  };
  return facade;
}
