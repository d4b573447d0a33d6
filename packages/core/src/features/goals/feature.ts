import { defineFeature } from '../../records/feature.js';
import { goalsSection } from './bundle-section.js';

/** Goals: the bundle's `goals`; an erased owner leaves their goals without an owner. */
export const goalsFeature = defineFeature({
  name: 'goals',
  bundle: { lists: [goalsSection] },
  person: {
    async erase(tx, { workspace, person }) {
      await tx.execute({ sql: 'UPDATE goals SET owner_id = NULL WHERE workspace = ? AND owner_id = ?', args: [workspace, person] });
      return {};
    },
  },
});
