import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { migrations } from './migrations/index.js';
import * as tables from './schema.js';
import { createWorkspaceSettings } from './workspace-settings.js';

/** Workspace settings kept with the data (`approvals.localTrust`): `ts.settings`; every change is audited. */
export const settingsFeature = defineFeature({
  name: 'settings',
  migrations,
  tables,
  api: (context: FeatureContext) =>
    createWorkspaceSettings({ store: context.store, workspace: context.workspace, clock: context.writeClock }),
});
