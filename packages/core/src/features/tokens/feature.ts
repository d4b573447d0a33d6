import { defineFeature } from '../../records/feature.js';

/** Per-person API tokens: a person's tokens go when they are erased. */
export const tokensFeature = defineFeature({
  name: 'tokens',
  person: {
    async erase(tx, { workspace, person }) {
      const { rowsAffected } = await tx.execute({
        sql: 'DELETE FROM tokens WHERE workspace = ? AND person_id = ?',
        args: [workspace, person],
      });
      return { tokens: rowsAffected };
    },
  },
});
