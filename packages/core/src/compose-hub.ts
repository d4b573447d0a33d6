import { createAgreementsApi } from './features/agreements/agreements-api.js';
import type { Logger } from './kernel/logger.js';
import type { Store } from './kernel/store/open-store.js';
import type { Telemetry } from './kernel/telemetry/telemetry.js';
import { mayRead, reading, readingRules } from './records/identity/viewer.js';
import { registerHubGauges } from './records/sync/hub-gauges.js';
import { LAST_SYNC_SUCCESS } from './records/sync/run-sync.js';
import { acquireSyncLease, computeFreshness } from './records/sync/sync-sources.js';
import type { Actions, ProposeAll } from './services/approvals/approvals-api.js';
import type { PolicyDocument } from './services/approvals/policy/policy-document.js';
import type { TeamState } from './team-state-facade.js';
import type { TeamStateOptions } from './team-state-options.js';

/**
 * The hub's parts composed for the facade: `ts.freshness()` and `ts.syncLease()` (with the gauges `/metrics` reads
 * at each scrape), the working agreements' nudges. `close()` unregisters the gauges.
 */
export function composeHub(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  log: Logger;
  actions: Actions;
  proposeAll: ProposeAll;
  telemetry: Telemetry;
  connectorIds: readonly string[];
  policy: PolicyDocument;
  options: TeamStateOptions;
}) {
  const { store, workspace, clock, log, actions, proposeAll, telemetry, connectorIds, policy, options } = deps;
  const freshness: TeamState['freshness'] = (query = {}) =>
    computeFreshness(store, workspace, clock(), [...connectorIds, ...(query.sources ?? [])], LAST_SYNC_SUCCESS);
  const close = registerHubGauges({ store, workspace, freshness: () => freshness() });
  const rules = readingRules(policy);
  const wellbeing = {
    kinds: (options.signals ?? []).filter((detector) => detector.wellbeing).map((detector) => detector.kind),
    mayRead: async (recipient: string, person: string) =>
      mayRead(await reading(store, workspace, rules, { person: recipient }).readable('wellbeing'), person),
  };
  return {
    apis: {
      freshness,
      syncLease: (connector, lease) => acquireSyncLease(store, workspace, connector, { ...lease, now: () => clock().getTime() }),
      agreements: createAgreementsApi(
        { store, workspace, clock, log, actions: { list: actions.list, proposeAll }, telemetry, wellbeing },
        policy,
        options.signalSettings,
      ),
    } satisfies Partial<TeamState>,
    close,
  };
}
