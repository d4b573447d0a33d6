import { JiraRequestError, jira } from '@teamstate/connectors/jira';
import type { SyncProgress } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeJira, type FakeJira } from './fake-jira.js';
import { openWorkspace, SECRET_TOKEN, syncOk, testConnector, testOptions } from './jira-test-setup.js';

let fake: FakeJira;
beforeEach(() => {
  fake = createFakeJira();
  fake.listen();
});
afterEach(() => fake.close());

describe('jira rate limits and failures', () => {
  it('waits for Retry-After on 429, backs off on 503, and shows the waits as progress', async () => {
    const waits: number[] = [];
    const ts = await openWorkspace(testConnector({ retry: { baseDelayMs: 250 } }, waits));
    fake.force('search', { status: 429, headers: { 'Retry-After': '7' } }, { status: 503 }, { status: 503 });
    fake.force('bulkfetch', { status: 429, headers: { 'Retry-After': '2' } });
    const progress: SyncProgress[] = [];
    await syncOk(ts, progress);
    expect(waits).toEqual([7000, 500, 1000, 2000]); // the back-off doubles with every retry of a request
    expect(progress.filter((p) => p.waitingMs).map((p) => [p.waitingMs, p.message])).toEqual([
      [7000, 'rate limited by Jira (429); retry 1 of 6 for POST /rest/api/3/search/jql'],
      [500, 'Jira unavailable (503); retry 2 of 6 for POST /rest/api/3/search/jql'],
      [1000, 'Jira unavailable (503); retry 3 of 6 for POST /rest/api/3/search/jql'],
      [2000, 'rate limited by Jira (429); retry 1 of 6 for POST /rest/api/3/changelog/bulkfetch'],
    ]);
    // The retried requests were answered: everything is stored.
    expect((await ts.workItems.list()).items).toHaveLength(7);
    expect(fake.count('search')).toBe(3 + 3);
    await ts.close();
  });

  it('gives up after the retries with an error that names the request and the fix, never a credential', async () => {
    const ts = await openWorkspace(testConnector({ retry: { maxRetries: 2, baseDelayMs: 1 } }));
    fake.force('search', ...Array.from({ length: 3 }, () => ({ status: 429, headers: { 'Retry-After': '1' } })));
    const result = await ts.sync();
    expect(result.connectors[0]).toMatchObject({ status: 'failed', error: { code: 'upstream_error' } });
    expect(result.connectors[0]!.error!.message).toBe(
      'Jira POST /rest/api/3/search/jql failed with 429: forced 429 (still rate limited after the retries; sync again later or lower connectors.jira.requestsPerSecond)',
    );
    await ts.close();
  });

  it('reports rejected credentials and unknown projects with the fix, without the token', async () => {
    fake.force('project', { status: 401, body: 'Client must be authenticated to access this resource.' });
    const ts = await openWorkspace(testConnector());
    const denied = await ts.sync();
    expect(denied.connectors[0]!.error!.message).toBe(
      'Jira GET /rest/api/3/project/PAY failed with 401: Client must be authenticated to access this resource. (check connectors.jira email + apiToken (Cloud) or bearerToken (OAuth 2.0, Data Center PAT); the token may have expired)',
    );
    expect(denied.connectors[0]!.error!.message).not.toContain(SECRET_TOKEN);
    await ts.close();

    const unknown = await openWorkspace(testConnector({ projects: ['OPS'], teamOfProject: {} }));
    const error = (await unknown.sync()).connectors[0]!.error!;
    expect(error.message).toBe(
      "Jira GET /rest/api/3/project/OPS failed with 404: No project could be found with key 'OPS'. (check the project key, issue key or board id; Jira also answers 404 when the account may not see the item)",
    );
    await unknown.close();
  });

  it('fails fast on configuration mistakes, naming the option', () => {
    const attempt = (overrides: Parameters<typeof testOptions>[0]) => {
      try {
        jira(testOptions(overrides));
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(attempt({ projects: [] })).toBe(
      'jira.projects: list the project keys to sync, e.g. [PAY] (or give teams jiraProjects in the config)',
    );
    expect(attempt({ projects: ['pay'] })).toBe('jira.projects: "pay" is not a project key (upper-case letters and digits, e.g. PAY)');
    expect(attempt({ host: 'acme.atlassian.net' })).toBe(
      'jira.host: expected an http(s) URL such as https://acme.atlassian.net, got "acme.atlassian.net"',
    );
    // Credentials in the host would end up in every request error, log line and --json (issue 17): refused, not echoed.
    const withCredentials = attempt({ host: 'https://me:tok_in_the_host_123@acme.atlassian.net' });
    expect(withCredentials).toBe(
      'jira.host: must not contain credentials ("user:token@"); put the account in email and the token in apiToken (or bearerToken)',
    );
    expect(attempt({ host: 'ftp://me:tok_in_the_host_123@acme.atlassian.net' })).not.toContain('tok_in_the_host_123');
    expect(attempt({ apiToken: undefined })).toBe('jira.apiToken: basic auth needs both email and apiToken (or use bearerToken instead)');
    expect(attempt({ bearerToken: SECRET_TOKEN })).toBe(
      'jira: set either email + apiToken (basic auth) or bearerToken (OAuth 2.0 / personal access token), not both',
    );
    expect(attempt({ email: undefined, apiToken: undefined })).toBe(
      'jira: no credentials; set email + apiToken (Jira Cloud API token) or bearerToken (OAuth 2.0 access token, Data Center PAT)',
    );
    expect(attempt({ deployment: 'datacenter' })).toBe(
      'jira.apiToken: Data Center authenticates with a personal access token; set bearerToken instead of email + apiToken',
    );
    expect(attempt({ overlapMinutes: -1 })).toBe('jira.overlapMinutes: expected a number >= 0, got -1');
    expect(attempt({ boards: [0] })).toBe('jira.boards: expected board ids (positive whole numbers), got 0');
  });

  it('checks that configured owner teams exist', async () => {
    const ts = await openWorkspace(testConnector({ teamOfProject: { PAY: 'checkout' } }));
    expect((await ts.sync()).connectors[0]!.error!.message).toBe(
      'jira.teamOfProject.PAY: team "checkout" does not exist (declare it under teams in the config, or import it before syncing)',
    );
    await ts.close();
  });

  it('gives a project without an owner a team of its own', async () => {
    const ts = await openWorkspace(testConnector({ teamOfProject: {} }));
    await syncOk(ts);
    expect(await ts.teams.get('jira-pay')).toMatchObject({ id: 'jira-pay', name: 'Payments' });
    expect((await ts.workItems.get('PAY-2'))!.team).toBe('jira-pay');
    expect((await ts.sprints.list()).map((s) => s.team)).toEqual(['jira-pay', 'jira-pay', 'jira-pay']);
    await ts.close();
  });

  it('syncs a site without the approximate count and without Jira Software (no boards, no sprints)', async () => {
    fake.force('count', { status: 404 });
    fake.force('boards', { status: 404, body: { errorMessages: ['Jira Software is not licensed'], errors: {} } });
    const ts = await openWorkspace(testConnector());
    await syncOk(ts);
    expect((await ts.workItems.list()).items).toHaveLength(7);
    expect(await ts.sprints.list()).toEqual([]);
    expect((await ts.workItems.get('PAY-2'))!.sprint).toBeUndefined();
    await ts.close();
  });

  it('is a JiraRequestError with status and retryability for callers that catch it', () => {
    const error = new JiraRequestError({ method: 'GET', path: '/rest/api/3/myself' }, 503, 'Service Unavailable', { isRetryable: true });
    expect([error.code, error.statusCode, error.isRetryable, error.request]).toEqual([
      'upstream_error',
      503,
      true,
      { method: 'GET', path: '/rest/api/3/myself' },
    ]);
  });
});
