import { defineFeature } from '../../records/feature.js';
import { aiFeedbackSection } from './bundle-section.js';

/** Feedback about AI assistants: the bundle's `aiFeedback`; a person's feedback goes when they are erased. */
export const feedbackFeature = defineFeature({
  name: 'feedback',
  bundle: { lists: [aiFeedbackSection] },
  person: {
    async erase(tx, { workspace, person }) {
      const { rowsAffected } = await tx.execute({
        sql: 'DELETE FROM ai_feedback WHERE workspace = ? AND person_id = ?',
        args: [workspace, person],
      });
      return { aiFeedback: rowsAffected };
    },
  },
});
