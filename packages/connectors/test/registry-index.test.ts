import { describe, expect, it } from 'vitest';
import { connectorRegistry } from '../src/registry/index.js';

describe('connectorRegistry', () => {
  it('has one registration per connector, under its own name, whose schema validates its config section', () => {
    for (const [name, registration] of Object.entries(connectorRegistry)) expect(registration.name).toBe(name);
    expect(Object.keys(connectorRegistry)).toEqual([
      'bitbucket',
      'circleci',
      'demo',
      'email',
      'github',
      'gitlab',
      'jira',
      'linear',
      'opsgenie',
      'pagerduty',
      'slack',
      'statuspage',
    ]);
    expect(connectorRegistry.github.configSchema.safeParse({ token: 't', org: 'acme', pageSize: 50 }).success).toBe(false);
    expect(connectorRegistry.slack.configSchema.safeParse({ token: 'xoxb-1', approvalChannel: 'C0APPROVALS' }).success).toBe(true);
  });

  it('builds each connector from its section, with the teams that own repositories and projects', async () => {
    const teams = [{ id: 'payments', name: 'Payments', repositories: ['acme/api'], jiraProjects: ['PAY'] }];
    const github = await connectorRegistry.github.create(
      {
        app: { appId: 1, privateKey: '-----BEGIN RSA PRIVATE KEY-----\\nx', installationId: '42' },
        token: 'ignored',
        repositories: ['acme/api'],
      },
      { teams },
    );
    expect(github.id).toBe('github');
    const jira = await connectorRegistry.jira.create({ host: 'https://acme.atlassian.net', bearerToken: 'x' }, { teams });
    expect(jira.description).toContain('projects PAY');
    const linear = await connectorRegistry.linear.create(
      { apiKey: 'lin_api_x', teams: ['PAY'] },
      { teams: [{ ...teams[0]!, linearTeams: ['pay'] }] },
    );
    expect(linear.description).toBe('Linear: teams PAY');
    expect(connectorRegistry.linear.configSchema.safeParse({ apiKey: 'k', team: ['PAY'] }).success).toBe(false);
    expect((await connectorRegistry.demo.create({}, { teams: [] })).id).toBe('demo');
    expect((await connectorRegistry.slack.create({ token: 'xoxb-1' }, { teams: [] })).id).toBe('slack');
  });

  it('keeps connector-specific team settings in the connector that needs them, and declares its providers', () => {
    const teamFields = Object.fromEntries(Object.entries(connectorRegistry).map(([name, r]) => [name, Object.keys(r.teamFields ?? {})]));
    expect(teamFields).toEqual({
      bitbucket: [],
      circleci: [],
      demo: [],
      email: [],
      github: [],
      gitlab: [],
      jira: ['jiraProjects'],
      linear: ['linearTeams'],
      opsgenie: [],
      pagerduty: [],
      slack: [],
      statuspage: [],
    });
    const providers = Object.fromEntries(Object.entries(connectorRegistry).map(([name, r]) => [name, r.providers]));
    expect(providers).toEqual({
      bitbucket: ['bitbucket'],
      circleci: [],
      demo: [],
      email: [],
      github: ['github'],
      gitlab: ['gitlab'],
      jira: ['jira'],
      linear: ['linear'],
      opsgenie: ['opsgenie'],
      pagerduty: [],
      slack: ['slack'],
      statuspage: [],
    });
    expect(connectorRegistry.jira.teamFields!.jiraProjects.safeParse(['PAY', 'OPS']).success).toBe(true);
    expect(connectorRegistry.jira.teamFields!.jiraProjects.safeParse('PAY').success).toBe(false);
  });

  it('refuses a Jira project that two teams own, naming both', async () => {
    const teams = [
      { id: 'a', name: 'A', jiraProjects: ['PAY'] },
      { id: 'b', name: 'B', jiraProjects: ['PAY'] },
    ];
    await expect(connectorRegistry.jira.create({ host: 'https://acme.atlassian.net', bearerToken: 'x' }, { teams })).rejects.toThrow(
      'teams: Jira project PAY is owned by both "a" and "b"',
    );
  });
});
