import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeJira, type FakeJira } from './fake-jira.js';
import { openWorkspace, syncOk, testConnector } from './jira-test-setup.js';

let fake: FakeJira;
beforeEach(() => {
  fake = createFakeJira();
  fake.listen();
});
afterEach(() => fake.close());

describe('jira identity matching', () => {
  it('matches Jira users to GitHub and Slack people by email, then by configured override; lists and links the rest', async () => {
    const ts = await openWorkspace(testConnector());
    // What the GitHub and Slack connectors and the config's `people` overrides left in the store.
    await ts.resolvePeople([
      { provider: 'github', id: '1001', login: 'anag', email: 'ana@acme.example', name: 'Ana Garcia' },
      { provider: 'slack', id: 'U01CHEN', login: 'chen', email: 'Chen@Acme.example', name: 'Chen Wei' },
      { provider: 'github', id: '1004', login: 'dnovak', name: 'Dana Novak' },
    ]);
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ben', name: 'Ben Okafor' }] });
    await ts.resolvePeople([{ provider: 'jira', id: '5b10ac8d82e05b22cc7d4ef5', login: '5b10ac8d82e05b22cc7d4ef5', person: 'ben' }]);

    await syncOk(ts);
    const accounts = async (person: string) => (await ts.people.get(person))!.accounts!.map((a) => `${a.provider}:${a.login}`);
    expect(await accounts('anag')).toEqual(['github:anag', 'jira:Ana Garcia']); // email
    expect(await accounts('chen')).toEqual(['jira:Chen Wei', 'slack:chen']); // email, case-insensitive
    expect(await accounts('ben')).toEqual(['jira:Ben Okafor']); // override (Ben hides his email)
    expect((await ts.workItems.get('PAY-2'))!).toMatchObject({ author: 'ben', assignees: ['anag'] });

    // Dana's Jira profile shows an email her GitHub account does not: nothing ties them together yet.
    expect(await ts.people.unmatched({ provider: 'jira' })).toEqual([
      {
        provider: 'jira',
        id: '5b10ac8d82e05b22cc7d4ef5',
        login: 'Ben Okafor',
        person: 'ben',
        name: 'Ben Okafor',
        missing: ['github', 'slack'],
      },
      {
        provider: 'jira',
        id: '712020:0e5c1b7a-93d4-4c55-9d0a-27c1f1b2a3c4',
        login: 'Dana Novak',
        person: 'dana-novak',
        name: 'Dana Novak',
        email: 'dana@acme.example',
        missing: ['github', 'slack'],
      },
    ]);
    expect((await ts.workItems.get('PAY-4'))!.assignees).toEqual(['dana-novak']);
    await ts.linkAccount({ provider: 'jira', id: '712020:0e5c1b7a-93d4-4c55-9d0a-27c1f1b2a3c4' }, 'dnovak');
    expect((await ts.workItems.get('PAY-4'))!.assignees).toEqual(['dnovak']);
    expect((await ts.people.get('dnovak'))!.email).toBe('dana@acme.example');

    // The next sync keeps the link.
    await syncOk(ts);
    expect((await ts.workItems.get('PAY-4'))!.assignees).toEqual(['dnovak']);
    expect((await ts.people.list()).map((p) => p.id)).toEqual(['anag', 'ben', 'chen', 'dnovak']);
    await ts.close();
  });
});
