import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { goalsSection } from './bundle-section.js';
import type { GoalInput } from './goal-model.js';
import { createGoalsApi } from './goals-api.js';
import { migrations } from './migrations/index.js';
import * as tables from './schema.js';

/** Goals: the bundle's `goals`; an erased owner leaves their goals without an owner. */
export const goalsFeature = defineFeature({
  name: 'goals',
  migrations,
  tables,
  api: (context: FeatureContext<{ goals?: readonly GoalInput[] }>) =>
    createGoalsApi({
      store: context.store,
      workspace: context.workspace,
      clock: context.clock,
      computeMetric: async (id, query) => (await context.metrics.compute([id], query))[id]!,
    }),
  hooks: {
    // Goals declared in configuration are stored as the database opens, replacing stored goals with the same id.
    async onOpen(context, goals) {
      for (const goal of context.options.goals ?? []) await goals.add(goal);
    },
    person: {
      async erase(tx, { workspace, person }) {
        await tx.execute({ sql: 'UPDATE goals SET owner_id = NULL WHERE workspace = ? AND owner_id = ?', args: [workspace, person] });
        return {};
      },
    },
  },
  bundle: { lists: [goalsSection] },
});
