// The settings feature's door: the facade's `ts.settings`.
export { createWorkspaceSettings, type WorkspaceSettings } from './workspace-settings.js';
