import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { buildsSection } from './bundle-section.js';
import { createBuildsApi } from './failed-builds.js';
import { migrations } from './migrations/index.js';
import * as tables from './schema.js';

/**
 * CI builds: the bundle's `builds` and the `builds` table that connectors fill. They go with the workspace's other
 * records when those are cleared (a build names a repository and a pull request).
 */
export const buildsFeature = defineFeature({
  name: 'builds',
  migrations,
  tables,
  api: (context: FeatureContext) => createBuildsApi(context.store, context.workspace),
  bundle: { lists: [buildsSection] },
  hooks: {
    async onRecordsCleared(tx, workspace) {
      await tx.execute({ sql: 'DELETE FROM builds WHERE workspace = ?', args: [workspace] });
    },
  },
});
