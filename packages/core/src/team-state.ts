import { builtinImport } from './bundle.js';
import { composable, composeFeatures } from './compose-features.js';
import { composeHub } from './compose-hub.js';
import { builtinFeatures } from './features/index.js';
import { createInteractionContext } from './interaction-context.js';
import { silentLogger } from './kernel/logger.js';
import { DEFAULT_DATABASE, openStore } from './kernel/store/open-store.js';
import { createTelemetry } from './kernel/telemetry/telemetry.js';
import { freeTextRedactor } from './kernel/text/redact-pii.js';
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
import { redactingFacade, redactorOf } from './redacting-facade.js';
import { createActionCatalogue } from './services/approvals/action-catalogue.js';
import { createApprovalNotifier } from './services/approvals/approval-notifier.js';
import { createApprovalsApi } from './services/approvals/approvals-api.js';
import { openApprovedPolicy } from './services/approvals/policy/approved-policy.js';
import { compilePolicy } from './services/approvals/policy/compile-policy.js';
import { createPolicyApi } from './services/approvals/policy/policy-api.js';
import { policyChangeAction } from './services/approvals/policy/policy-change-action.js';
import { createAuditLedger } from './services/audit/audit-ledger.js';
import { createMetrics } from './services/metrics/create-metrics.js';
import { resolveMetricSettings } from './services/metrics/metric-settings.js';
import { storeDeclaredOptOuts } from './services/privacy/opt-outs.js';
import { createPeopleApi } from './services/privacy/people-api.js';
import { createRetentionApi } from './services/retention/retention-api.js';
import { resolveRetentionOptions } from './services/retention/retention-options.js';
import { createSpendLedger, registerSpendGauge } from './services/spend/index.js';
import { interactionsOf } from './spec/validate-specs.js';
import type { FeatureNamespaces, TeamState } from './team-state-facade.js';
import { checkTeamStateOptions, positive, type TeamStateOptions } from './team-state-options.js';

export type { TeamState } from './team-state-facade.js';
export type { CoreOptions, DatabaseOptions, TeamStateOptions } from './team-state-options.js';

/**
 * Opens teamstate on a database (migrating it) and returns the facade: kernel (the store), records (readers, bundle,
 * sync, webhooks), the services (approvals, audit, metrics, privacy, retention) and the features of
 * `features/index.ts`, each composed from its definition.
 *
 * @example
 * const ts = await createTeamState({ database: ':memory:', connectors: [demo()] })
 * await ts.sync()
 * const teams = await ts.teams.list()
 */
export async function createTeamState(options: TeamStateOptions = {}): Promise<TeamState> {
  const { workspace, opened } = checkTeamStateOptions(options);
  const features = builtinFeatures({ ai: options.ai });
  const composed = composable(features);
  const connectors = options.connectors ?? [];
  // The configured document (the approved version, if it differs, is known once the store is open).
  const configured = compilePolicy(options.policy).document;
  for (const feature of composed) feature.hooks?.checkOptions?.(options, configured);
  const catalogue = createActionCatalogue(connectors, [
    { id: 'teamstate', actions: composed.flatMap((feature) => feature.hooks?.actionTypes?.(() => store, options, configured) ?? []) },
    {
      id: 'teamstate',
      actions: [policyChangeAction(() => ({ store, workspace, now: () => writeClock().getTime(), refresh: approved.refresh }))],
    },
  ]);
  const metricSettings = resolveMetricSettings(options.metricSettings);
  // The default archive folder is next to the local database file (an embedded replica's file included).
  const retentionOptions = resolveRetentionOptions(options.retention, opened.database ?? DEFAULT_DATABASE);
  const clock = options.clock ?? (() => new Date());
  const log = options.logger ?? silentLogger;
  const writeClock = options.approvals?.clock ?? clock;
  const store = await openStore({ ...opened, now: () => clock().getTime(), migrations });
  // The policy that runs: as given, or (`approvedPolicy`, the CLI) the version approved in the database.
  const approved = await openApprovedPolicy(store, workspace, () => writeClock().getTime(), options.policy, options.approvedPolicy).catch(
    async (error: unknown) => {
      await store.close();
      throw error;
    },
  );
  const { policy } = approved;
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
      refreshPolicy: approved.refresh,
      spend: createSpendLedger({ store, workspace, clock: writeClock, capUsd: policy.limits.max_monthly_cost_usd }),
    },
    connectors.flatMap((c) => (c.approvalChannel ? [c.approvalChannel] : [])),
  );
  const deferred = createDeferredWork(log);
  const interactionSpecs = connectors.flatMap(interactionsOf);
  const specs = connectors.flatMap((c) => (c.webhooks ? [c.webhooks] : []));
  const queue = createWebhookQueue({ store, workspace, specs, clock, log, features }, options.webhooks);
  const readers = createReaders(store, workspace);
  const metrics = createMetrics(store, workspace, options.metrics ?? [], metricSettings, clock);
  const compose = composeFeatures(composed, {
    ...{ store, workspace, clock, writeClock, log, telemetry, connectors, readers, options, policy },
    ...{ actions, approvals, proposeAll, metrics, metricSettings },
  });
  const owner = compose.owner(() => facade);
  // Slack's interactive answers read through the readers' facade, redacted like every other surface.
  const interactionContext = createInteractionContext({ store, workspace, log, clock, writeClock, catalogue, facade: () => readersFacade });
  const connectorIds = connectors.map((c) => c.id);
  const hub = composeHub({ store, workspace, clock, connectorIds });
  // The month's spend and cap (`teamstate status`, `/metrics`), read at the facade's clock.
  const spend = createSpendLedger({ store, workspace, clock, capUsd: policy.limits.max_monthly_cost_usd });
  const closeSpendGauge = registerSpendGauge(spend);
  const people = {
    ...createPeopleApi({ store, workspace, clock: writeClock, readers: readers.people, features, archive: retentionOptions.archive }),
    link: (account, person) => linkAccount(store, workspace, account, person),
    resolve: (accounts) => resolvePeople(store, workspace, accounts),
    linkedTo: (account) => personForAccount(store, workspace, account.provider, account.id),
  } satisfies TeamState['people'];
  let closed = false;
  const facade: TeamState = {
    ...readers,
    ...owner.apis,
    workItems: { ...readers.workItems, dependencies: owner.apis.dependencies.of },
    people,
    workspace,
    store,
    connectors,
    policy: createPolicyApi({ store, workspace, clock: writeClock, catalogue, approved, propose: actions.propose }),
    actions,
    approvals,
    audit: createAuditLedger(store, workspace),
    spend,
    ...hub.apis,
    retention: createRetentionApi({ store, workspace, clock: writeClock, options: retentionOptions, parts: retentionParts(features) }),
    now: clock,
    redact: redactorOf(policy.piiRedaction === 'off' ? undefined : freeTextRedactor(policy.piiRedaction)),
    import: (bundle) =>
      builtinImport(importBundle(store, workspace, bundle, () => writeClock().getTime(), { features, deliverySettings: metricSettings })),
    importFile: (source) =>
      builtinImport(
        importBundleStream(store, workspace, source, () => writeClock().getTime(), { features, deliverySettings: metricSettings }),
      ),
    export: () => exportBundle(store, workspace, bundleSections(features)),
    overview: (query = {}) => computeOverview(store, workspace, clock(), query.team, connectorIds, metricSettings.productionEnvironments),
    webhooks: createWebhooksApi(queue, (path, request) => {
      const interaction = interactionSpecs.find((spec) => spec.path === path);
      if (!interaction) return undefined;
      return receiveInteraction({ store, workspace, clock, log, context: interactionContext, deferred }, interaction, request);
    }),
    sync: (syncOptions) => runSync({ store, workspace, connectors, clock, log, features }, syncOptions),
    records: { clear: (connector) => clearRecords(store, workspace, connector, features) },
    metrics,
    // Deprecated aliases of the namespaced names, kept until 1.0.
    aiImpact: owner.apis.ai.impact,
    leaderboard: owner.apis.ai.leaderboard,
    timeline: owner.apis.reports.timeline,
    resolvePeople: people.resolve,
    linkAccount: people.link,
    as(who) {
      const reader = compose.reader(typeof who === 'string' ? { person: who } : who, () => view, { approvals, actions });
      const view: TeamState = { ...facade, ...reader, timeline: reader.reports?.timeline ?? facade.timeline };
      return view;
    },
    async close() {
      if (closed) return;
      closed = true;
      hub.close();
      closeSpendGauge();
      for (const feature of composed) feature.hooks?.close?.(owner.apis[feature.name as keyof FeatureNamespaces]);
      // Watches stop first (nothing new starts), then work started after answering interactions finishes.
      await stopWatches();
      await deferred.idle();
      await queue.close();
      await store.close();
    },
  };
  // What every surface reads: free text redacted by `limits.pii_redaction`; features compute on `facade`'s stored text.
  const readersFacade = policy.piiRedaction === 'off' ? facade : redactingFacade(facade);
  try {
    // A restart settles what a stopped process left behind (expired TTLs, interrupted executions).
    await settleOnOpen();
    if (options.optOuts) await storeDeclaredOptOuts(store, workspace, options.optOuts, writeClock().getTime(), log);
    for (const feature of composed) await feature.hooks?.onOpen?.(owner.context, owner.apis[feature.name as keyof FeatureNamespaces]);
  } catch (error) {
    await store.close();
    throw error;
  }
  return readersFacade;
}
