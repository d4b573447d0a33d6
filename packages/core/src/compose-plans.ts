import { createForecastApi, storeDeclaredAbsences } from './features/forecasts/index.js';
import { createGoalsApi } from './features/goals/index.js';
import type { Metrics } from './features/metrics/create-metrics.js';
import type { Store } from './kernel/store/open-store.js';
import type { TeamStateOptions } from './team-state-options.js';

/**
 * The plans features composed for the facade: `ts.goals` (its key results measured by the registered metrics) and
 * `ts.forecast`, and `declare()`, which stores the goals and absences declared in configuration as the store opens.
 */
export function composePlans(deps: { store: Store; workspace: string; clock: () => Date; metrics: Metrics; options: TeamStateOptions }) {
  const { store, workspace, clock, metrics, options } = deps;
  const goals = createGoalsApi({
    store,
    workspace,
    clock,
    computeMetric: async (id, query) => (await metrics.compute([id], query))[id]!,
  });
  return {
    apis: { goals, forecast: createForecastApi({ store, workspace, clock }) },
    async declare() {
      if (options.absences?.length) await storeDeclaredAbsences(store, workspace, options.absences);
      for (const goal of options.goals ?? []) await goals.add(goal);
    },
  };
}
