import { defineFeature } from '../../records/feature.js';
import { risksSection } from './bundle-section.js';

/**
 * The risk register: the bundle's `risks`. An erased person's risks stay (they are the team's), owned by their
 * pseudonym.
 */
export const risksFeature = defineFeature({
  name: 'risks',
  bundle: { lists: [risksSection] },
  person: {
    async erase(tx, { workspace, person, pseudonym }) {
      const { rowsAffected } = await tx.execute({
        sql: 'UPDATE risks SET owner_id = ? WHERE workspace = ? AND owner_id = ?',
        args: [pseudonym, workspace, person],
      });
      return { risksReassigned: rowsAffected };
    },
  },
});
