// Options of the connector for the fake site; no runtime import of the connector, so a child process can use it too.
import type { JiraOptions } from '@teamstate/connectors/jira';
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
