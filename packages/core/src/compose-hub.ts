import type { Store } from './kernel/store/open-store.js';
import { registerHubGauges } from './records/sync/hub-gauges.js';
import { LAST_SYNC_SUCCESS } from './records/sync/run-sync.js';
import { acquireSyncLease, computeFreshness } from './records/sync/sync-sources.js';
import type { TeamState } from './team-state-facade.js';

/**
 * The hub's parts of the facade that are core's own: `ts.freshness()` and `ts.syncLease()`, with the gauges `/metrics`
 * reads at each scrape. `close()` unregisters the gauges.
 */
export function composeHub(deps: { store: Store; workspace: string; clock: () => Date; connectorIds: readonly string[] }) {
  const { store, workspace, clock, connectorIds } = deps;
  const freshness: TeamState['freshness'] = (query = {}) =>
    computeFreshness(store, workspace, clock(), [...connectorIds, ...(query.sources ?? [])], LAST_SYNC_SUCCESS);
  const close = registerHubGauges({ store, workspace, freshness: () => freshness() });
  return {
    apis: {
      freshness,
      syncLease: (connector, lease) => acquireSyncLease(store, workspace, connector, { ...lease, now: () => clock().getTime() }),
    } satisfies Partial<TeamState>,
    close,
  };
}
