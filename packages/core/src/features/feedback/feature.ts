import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { aiFeedbackSection } from './bundle-section.js';
import { createFeedbackApi } from './feedback-api.js';
import { migrations } from './migrations/index.js';
import * as tables from './schema.js';

/** Feedback about AI assistants: the bundle's `aiFeedback`; a person's feedback goes when they are erased. */
export const feedbackFeature = defineFeature({
  name: 'feedback',
  migrations,
  tables,
  perReader: true,
  api: (context: FeatureContext) =>
    createFeedbackApi({
      store: context.store,
      workspace: context.workspace,
      clock: context.writeClock,
      now: context.clock,
      connectors: context.connectors,
      log: context.log,
      reading: context.reading,
    }),
  bundle: { lists: [aiFeedbackSection] },
  hooks: {
    person: {
      async erase(tx, { workspace, person }) {
        const { rowsAffected } = await tx.execute({
          sql: 'DELETE FROM ai_feedback WHERE workspace = ? AND person_id = ?',
          args: [workspace, person],
        });
        return { aiFeedback: rowsAffected };
      },
    },
  },
});
