// The settings feature's public face: exactly the names @teamstate/core exports from it.
export type { WorkspaceSettings, WorkspaceSettingValues } from './workspace-settings.js';
