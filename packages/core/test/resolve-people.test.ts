import { createTeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';

describe('identity resolution', () => {
  it('creates a person per new account, matches others by email, and never touches other accounts', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const [ana] = await ts.resolvePeople([
      { provider: 'github', id: '1001', login: 'AnaG', email: 'Ana@Acme.example', name: 'Ana Garcia' },
    ]);
    expect(ana).toBe('anag');
    const [viaJira, bot] = await ts.resolvePeople([
      { provider: 'jira', id: '5f00aa', login: 'Ana Garcia', email: 'ana@acme.example' },
      { provider: 'github', id: '9', login: 'dependabot[bot]', bot: true },
    ]);
    expect(viaJira).toBe('anag');
    expect(bot).toBeUndefined();
    expect((await ts.people.get('anag'))!.accounts).toEqual([
      { provider: 'github', id: '1001', login: 'AnaG' },
      { provider: 'jira', id: '5f00aa', login: 'Ana Garcia' },
    ]);
    // Resolving again is stable and adds nothing.
    expect(await ts.resolvePeople([{ provider: 'github', id: '1001', login: 'AnaG' }])).toEqual(['anag']);
    expect(await ts.people.list()).toHaveLength(1);
    await ts.close();
  });

  it('uses a configured override, and keeps generated ids unique', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ana', name: 'Ana Garcia' }] });
    await ts.resolvePeople([{ provider: 'github', id: 'anag', login: 'anag', person: 'ana' }]);
    expect(await ts.resolvePeople([{ provider: 'github', id: '1001', login: 'anag', name: 'Ana G.' }])).toEqual(['ana']);
    const [sam, otherSam] = await ts.resolvePeople([
      { provider: 'slack', id: 'U1', name: 'Sam' },
      { provider: 'jira', id: 'x9', name: 'Sam' },
    ]);
    expect([sam, otherSam]).toEqual(['sam', 'sam-2']);
    await ts.close();
  });
});
