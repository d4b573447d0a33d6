import { createForecastApi, storeDeclaredAbsences } from './features/forecasts/index.js';
import { createGoalsApi } from './features/goals/index.js';
import type { Knowledge } from './features/knowledge/knowledge-api.js';
import { createOnboardingApi } from './features/onboarding/index.js';
import type { Store } from './kernel/store/open-store.js';
import type { Actions } from './services/approvals/approvals-api.js';
import type { Metrics } from './services/metrics/create-metrics.js';
import type { TeamStateOptions } from './team-state-options.js';

/**
 * The plans features composed for the facade: `ts.goals` (its key results measured by the registered metrics),
 * `ts.forecast` and `ts.onboarding` (reading knowledge, proposing its messages through the policy), and `declare()`, which stores the goals and absences declared in configuration as the store opens.
 */
export function composePlans(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  metrics: Metrics;
  knowledge: Knowledge;
  actions: Actions;
  options: TeamStateOptions;
}) {
  const { store, workspace, clock, metrics, knowledge, actions, options } = deps;
  const goals = createGoalsApi({
    store,
    workspace,
    clock,
    computeMetric: async (id, query) => (await metrics.compute([id], query))[id]!,
  });
  return {
    apis: {
      goals,
      forecast: createForecastApi({ store, workspace, clock }),
      onboarding: createOnboardingApi({
        store,
        workspace,
        clock,
        search: (query, o) => knowledge.search(query, o),
        whoKnows: (topic, o) => knowledge.whoKnows(topic, o),
        propose: (proposal) => actions.propose(proposal),
      }),
    },
    async declare() {
      if (options.absences?.length) await storeDeclaredAbsences(store, workspace, options.absences);
      for (const goal of options.goals ?? []) await goals.add(goal);
    },
  };
}
