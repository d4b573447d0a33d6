import { createTeamState, NotFoundError } from '@teamstate/core';
import { describe, expect, it } from 'vitest';

describe('unmatched accounts and explicit links', () => {
  it('lists nothing while only one provider is synced', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    await ts.resolvePeople([{ provider: 'jira', id: 'acc-1', login: 'Ana Garcia' }]);
    expect(await ts.people.unmatched()).toEqual([]);
    await ts.close();
  });

  it('lists people seen at one provider only, and a link merges the person made from that account alone', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'payments', name: 'Payments' }],
    });
    // Ana's GitHub and Slack accounts match by email; her Jira account hides its email, so it stays apart.
    const [anag, , jiraAna, ben] = await ts.resolvePeople([
      { provider: 'github', id: '1001', login: 'anag', email: 'ana@acme.example', name: 'Ana Garcia' },
      { provider: 'slack', id: 'U1', login: 'ana', email: 'ana@acme.example' },
      { provider: 'jira', id: 'acc-1', login: 'Ana G.', name: 'Ana G.' },
      { provider: 'jira', id: 'acc-2', login: 'Ben Ode', email: 'ben@acme.example', name: 'Ben Ode' },
    ]);
    expect([anag, jiraAna, ben]).toEqual(['anag', 'ana-g', 'ben-ode']);
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'payments', name: 'Payments', members: ['ana-g'] }],
      workItems: [
        {
          id: 'jira-1',
          source: 'jira',
          kind: 'task',
          key: 'PAY-1',
          title: 'A',
          state: 'To Do',
          createdAt: '2026-03-01T09:00:00Z',
          author: 'ana-g',
          assignees: ['ana-g'],
        },
        {
          id: 'jira-2',
          source: 'jira',
          kind: 'task',
          key: 'PAY-2',
          title: 'B',
          state: 'To Do',
          createdAt: '2026-03-01T09:00:00Z',
          assignees: ['anag', 'ana-g'],
        },
      ],
    });

    expect(await ts.people.unmatched()).toEqual([
      { provider: 'jira', id: 'acc-1', login: 'Ana G.', person: 'ana-g', name: 'Ana G.', missing: ['github', 'slack'] },
      {
        provider: 'jira',
        id: 'acc-2',
        login: 'Ben Ode',
        person: 'ben-ode',
        name: 'Ben Ode',
        email: 'ben@acme.example',
        missing: ['github', 'slack'],
      },
    ]);
    expect(await ts.people.unmatched({ provider: 'github' })).toEqual([]);

    const linked = await ts.linkAccount({ provider: 'jira', id: 'acc-1' }, 'anag');
    expect(linked).toEqual({ provider: 'jira', id: 'acc-1', login: 'Ana G.', person: 'anag', previousPerson: 'ana-g', merged: true });
    expect(await ts.people.get('ana-g')).toBeUndefined();
    expect((await ts.people.get('anag'))!.accounts!.map((a) => `${a.provider}:${a.id}`)).toEqual(['github:1001', 'jira:acc-1', 'slack:U1']);
    expect((await ts.people.get('anag'))!.teams).toEqual(['payments']);
    expect(await ts.workItems.get('PAY-1')).toMatchObject({ author: 'anag', assignees: ['anag'] });
    expect((await ts.workItems.get('PAY-2'))!.assignees).toEqual(['anag']);
    expect((await ts.people.unmatched()).map((a) => a.id)).toEqual(['acc-2']);
    // The next sync resolves the account to its new person.
    expect(await ts.resolvePeople([{ provider: 'jira', id: 'acc-1', login: 'Ana G.' }])).toEqual(['anag']);
    // Linking again changes nothing.
    expect(await ts.linkAccount({ provider: 'jira', id: 'acc-1' }, 'anag')).toMatchObject({ person: 'anag', merged: false });
    await ts.close();
  });

  it('keeps a person who still has other accounts, and refuses unknown accounts and people', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    await ts.resolvePeople([
      { provider: 'github', id: '7', login: 'sam', email: 'sam@acme.example' },
      { provider: 'slack', id: 'U7', login: 'sam', email: 'sam@acme.example' },
      { provider: 'jira', id: 'acc-9', login: 'Kim' },
    ]);
    expect(await ts.linkAccount({ provider: 'slack', id: 'U7' }, 'kim')).toEqual({
      provider: 'slack',
      id: 'U7',
      login: 'sam',
      person: 'kim',
      previousPerson: 'sam',
      merged: false,
    });
    expect(await ts.people.get('sam')).toBeDefined();
    const missingPerson = await ts.linkAccount({ provider: 'jira', id: 'acc-9' }, 'nobody').catch((e: unknown) => e);
    expect(NotFoundError.isInstance(missingPerson) && (missingPerson as Error).message).toBe(
      'person "nobody" was not found in this workspace',
    );
    const missingAccount = await ts.linkAccount({ provider: 'jira', id: 'nope' }, 'sam').catch((e: unknown) => e);
    expect((missingAccount as Error).message).toBe('account "jira:nope" was not found in this workspace');
    await ts.close();
  });
});
