import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { migrations } from './migrations/index.js';
import { createOAuthApi } from './oauth-api.js';
import * as tables from './schema.js';

/** OAuth sign-ins of the remote MCP endpoint: a person's grants and their tokens go when they are erased. */
export const oauthFeature = defineFeature({
  name: 'oauth',
  migrations,
  tables,
  api: (context: FeatureContext) => createOAuthApi({ store: context.store, workspace: context.workspace, clock: context.writeClock }),
  hooks: {
    person: {
      async erase(tx, { workspace, person }) {
        await tx.execute({
          sql: 'DELETE FROM oauth_secrets WHERE workspace = ? AND grant_id IN (SELECT id FROM oauth_grants WHERE workspace = ? AND person_id = ?)',
          args: [workspace, workspace, person],
        });
        await tx.execute({ sql: 'DELETE FROM oauth_consents WHERE workspace = ? AND person_id = ?', args: [workspace, person] });
        const { rowsAffected } = await tx.execute({
          sql: 'DELETE FROM oauth_grants WHERE workspace = ? AND person_id = ?',
          args: [workspace, person],
        });
        return { oauthGrants: rowsAffected };
      },
    },
  },
});
