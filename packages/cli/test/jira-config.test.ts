import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createFakeJira, type FakeJira } from '../../connectors/test/jira/fake-jira.js';
import { buildConnectors } from '../src/config/build-connectors.js';
import { loadConfig } from '../src/config/load-config.js';
import { runCli } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'teamstate-jira-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let fake: FakeJira | undefined;
afterEach(() => {
  fake?.close();
  fake = undefined;
});

const TOKEN = 'ATATT3xFfGF0-config-api-token';
const write = (name: string, text: string) => {
  const path = join(root, `${name}.yaml`);
  writeFileSync(path, text);
  return path;
};

describe('connectors.jira in the config', () => {
  it('builds the Jira connector with the projects and owners the teams declare, and syncs through it', async () => {
    const path = write(
      'jira',
      `connectors:
  jira: { host: https://acme.atlassian.net, email: \${JIRA_EMAIL}, apiToken: \${JIRA_API_TOKEN}, webhookSecret: \${JIRA_WEBHOOK_SECRET}, overlapMinutes: 10, requestsPerSecond: 0 }
teams:
  - { id: payments, name: Payments, jiraProjects: [PAY] }
`,
    );
    const loaded = loadConfig(path, { JIRA_EMAIL: 'bot@acme.example', JIRA_API_TOKEN: TOKEN, JIRA_WEBHOOK_SECRET: 'whsec' });
    const connectors = await buildConnectors(loaded);
    expect(connectors.map((c) => c.id)).toEqual(['config', 'jira']);
    expect(connectors[1]!.webhooks?.provider).toBe('jira');
    expect(connectors[1]!.description).toBe('Jira Cloud at acme.atlassian.net: projects PAY');

    fake = createFakeJira();
    fake.listen();
    const ts = await createTeamState({ database: ':memory:', connectors, clock: () => new Date('2026-03-25T12:00:00Z') });
    const result = await ts.sync();
    expect(result.connectors.map((c) => [c.connector, c.status])).toEqual([
      ['config', 'succeeded'],
      ['jira', 'succeeded'],
    ]);
    expect((await ts.workItems.get('PAY-2'))!.team).toBe('payments');
    expect((await ts.sprints.list({ team: 'payments' })).map((s) => s.id)).toEqual(['jira-sprint-3', 'jira-sprint-2', 'jira-sprint-1']);
    expect(fake.received.find((r) => r.path === '/rest/api/3/search/jql')!.body.jql).toBe('project in ("PAY") ORDER BY updated ASC');
    await ts.close();
  });

  it('names the config key in connector errors, and refuses a project owned by two teams', async () => {
    const none = loadConfig(
      write('no-projects', 'connectors:\n  jira: { host: https://acme.atlassian.net, email: a@acme.example, apiToken: x }\n'),
      {},
    );
    await expect(buildConnectors(none)).rejects.toThrow(
      'connectors.jira.projects: list the project keys to sync, e.g. [PAY] (or give teams jiraProjects in the config)',
    );
    const twice = loadConfig(
      write(
        'twice',
        'connectors:\n  jira: { host: https://acme.atlassian.net, bearerToken: x }\nteams:\n  - { id: a, name: A, jiraProjects: [PAY] }\n  - { id: b, name: B, jiraProjects: [PAY] }\n',
      ),
      {},
    );
    await expect(buildConnectors(twice)).rejects.toThrow(
      'teams: Jira project PAY is owned by both "a" and "b" (keep it in one team\'s jiraProjects)',
    );
  });

  it('masks the Jira credentials in config check', async () => {
    write(
      'teamstate.config',
      `connectors:\n  jira: { host: https://acme.atlassian.net, deployment: datacenter, bearerToken: \${JIRA_PAT}, projects: [PAY] }\n`,
    );
    const result = await runCli(['config', 'check'], { cwd: root, env: { JIRA_PAT: TOKEN } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('bearerToken: "********"');
    expect(result.stdout).not.toContain(TOKEN);
  });

  it('refuses a host that carries credentials, without echoing them, in config check and sync --json (issue 17)', async () => {
    write(
      'teamstate.config',
      `connectors:\n  jira: { host: "https://me:\${JIRA_API_TOKEN}@acme.atlassian.net", email: me@acme.example, apiToken: \${JIRA_API_TOKEN}, projects: [PAY] }\n`,
    );
    const env = { JIRA_API_TOKEN: TOKEN };
    const check = await runCli(['config', 'check'], { cwd: root, env });
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/connectors\.jira\.host: must not contain credentials \("user:token@"\)/);
    const sync = await runCli(['--json', 'sync'], { cwd: root, env });
    expect(sync.code).toBe(1);
    expect(JSON.parse(sync.stdout).error.message).toMatch(/connectors\.jira\.host: must not contain credentials/);
    for (const out of [check.stdout, check.stderr, sync.stdout, sync.stderr]) expect(out).not.toContain(TOKEN);
  });
});
