import { type JiraOptions, jira } from '@teamstate/connectors/jira';
import { type Connector, createTeamState, type SyncProgress, type TeamState, type TeamStateOptions } from '@teamstate/core';
import { NOW, testOptions } from './jira-test-setup-options.js';

export { NOW, SECRET_TOKEN, testOptions, WEBHOOK_SECRET } from './jira-test-setup-options.js';

/** A workspace with the Payments team and the given connector. */
export async function openWorkspace(connector: Connector, extra: Partial<TeamStateOptions> = {}): Promise<TeamState> {
  const ts = await createTeamState({ database: ':memory:', connectors: [connector], clock: () => NOW, ...extra });
  await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'payments', name: 'Payments' }] });
  return ts;
}

/** Syncs and fails the test with the connector's error when the sync did not succeed. */
export async function syncOk(ts: TeamState, progress: SyncProgress[] = []): Promise<void> {
  const result = await ts.sync({ onProgress: (p) => progress.push(p) });
  const failed = result.connectors.find((c) => c.status !== 'succeeded');
  if (failed) throw new Error(`sync ${failed.status}: ${failed.error?.message ?? ''}`);
}

/** A Jira connector for the fake site. */
export const testConnector = (overrides: Partial<JiraOptions> = {}, waits: number[] = []) => jira(testOptions(overrides, waits));
