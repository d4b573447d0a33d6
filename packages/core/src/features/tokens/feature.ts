import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { migrations } from './migrations/index.js';
import * as tables from './schema.js';
import { createTokensApi, type OAuthSignIns } from './tokens-api.js';

/** Per-person API tokens: a person's tokens go when they are erased. */
export const tokensFeature = defineFeature({
  name: 'tokens',
  migrations,
  tables,
  api: (context: FeatureContext<unknown, { oauth: OAuthSignIns }>) =>
    createTokensApi({ store: context.store, workspace: context.workspace, clock: context.writeClock, oauth: () => context.facade().oauth }),
  hooks: {
    person: {
      async erase(tx, { workspace, person }) {
        const { rowsAffected } = await tx.execute({
          sql: 'DELETE FROM tokens WHERE workspace = ? AND person_id = ?',
          args: [workspace, person],
        });
        return { tokens: rowsAffected };
      },
    },
  },
});
