import { type JiraOptions, jira } from '@teamstate/connectors/jira';
import { type Connector, createTeamState, type SyncProgress, type TeamState, type TeamStateOptions } from '@teamstate/core';
import { SITE } from './fake-jira.js';

/** The credentials the tests use; none of them may ever show in a message. */
export const SECRET_TOKEN = 'ATATT3xFfGF0-secret-api-token';
export const WEBHOOK_SECRET = 'whsec-jira-test';

/** The test clock: after every fixture timestamp. */
export const NOW = new Date('2026-03-25T12:00:00Z');

/** Connector options for the fake site: small pages, strict schemas, no pacing, waits recorded instead of slept. */
export function testOptions(overrides: Partial<JiraOptions> = {}, waits: number[] = []): JiraOptions {
  return {
    host: SITE,
    email: 'bot@acme.example',
    apiToken: SECRET_TOKEN,
    projects: ['PAY'],
    teamOfProject: { PAY: 'payments' },
    pageSize: 3,
    onSchemaMismatch: 'throw',
    requestsPerSecond: 0,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  };
}

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
