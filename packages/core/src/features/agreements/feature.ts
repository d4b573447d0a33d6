import { defineFeature } from '../../records/feature.js';

/** Working agreements: the nudges sent to a person go when they are erased. */
export const agreementsFeature = defineFeature({
  name: 'agreements',
  person: {
    async erase(tx, { workspace, person }) {
      await tx.execute({ sql: 'DELETE FROM agreement_nudges WHERE workspace = ? AND recipient = ?', args: [workspace, person] });
      return {};
    },
  },
});
