import { afterEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState } from '../src/index.js';
import { assertMayRead, readablePeople, readingRules, viewerOf } from '../src/records/identity/viewer.js';

// The one reading rule (docs/security.md): who reads whose reports and wellbeing, on a real libSQL store.
const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [
    { id: 'pay', name: 'Payments', leads: ['lena'] },
    { id: 'growth', name: 'Growth' },
  ],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'] },
    { id: 'ben', name: 'Ben', teams: ['pay'] },
    { id: 'lena', name: 'Lena' },
    { id: 'gus', name: 'Gus', teams: ['growth'] },
    { id: 'gia', name: 'Gia', teams: ['growth'] },
  ],
};

let ts: TeamState | undefined;
afterEach(() => ts?.close());

async function open() {
  ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-11-20T12:00:00Z') });
  await ts.import(bundle);
  return ts;
}
const sorted = (readable: Awaited<ReturnType<typeof readablePeople>>) => (readable.all ? 'all' : [...readable.people].sort());

describe('the reading rule', () => {
  it('builds a viewer from the person: teams, and the teams they lead by teams[].leads or as an approving member', async () => {
    const { store, workspace } = await open();
    const rules = readingRules({ approvers: { high: ['gia'], default: ['team:pay'] } });
    expect(await viewerOf(store, workspace, rules, { person: 'lena' })).toEqual({ person: 'lena', teams: [], lead: ['pay'] });
    expect(await viewerOf(store, workspace, rules, { person: 'gia' })).toEqual({ person: 'gia', teams: ['growth'], lead: ['growth'] });
    expect(await viewerOf(store, workspace, rules, { person: 'ana' })).toEqual({ person: 'ana', teams: ['pay'], lead: ['pay'] });
    expect(await viewerOf(store, workspace, readingRules({}), { person: 'ana', scopes: ['read'] })).toEqual({
      person: 'ana',
      teams: ['pay'],
      lead: [],
      scopes: ['read'],
    });
    await expect(viewerOf(store, workspace, rules, { person: 'anna' })).rejects.toThrow(
      'person: unknown person "anna" (did you mean "ana"?)',
    );
    const state = ts!;
    for (const bad of [null, 42, { person: 7 }, { scopes: 'read' }])
      expect(() => state.as(bad as never), JSON.stringify(bad)).toThrow(/^viewer: expected a person id or \{ person\?, scopes\? \}/);
    await expect(state.as('anna').reports.search('x')).rejects.toThrow('person: unknown person "anna"');
  });

  it('reads reports by the policy: team reads teammates, leads and person only the author and the team’s leads', async () => {
    const { store, workspace } = await open();
    for (const [privacy, ana, lena, gus] of [
      ['team', ['ana', 'ben'], ['ana', 'ben', 'lena'], ['gia', 'gus']],
      ['leads', ['ana'], ['ana', 'ben', 'lena'], ['gus']],
      ['person', ['ana'], ['ana', 'ben', 'lena'], ['gus']],
    ] as const) {
      const rules = readingRules({ privacy: { reports: privacy } });
      const of = async (person: string) =>
        sorted(await readablePeople(store, workspace, rules, await viewerOf(store, workspace, rules, { person }), 'reports'));
      expect([privacy, await of('ana'), await of('lena'), await of('gus')]).toEqual([privacy, ana, lena, gus]);
    }
  });

  it('lets the owner read everything and a viewer without a person nobody’s words', async () => {
    const { store, workspace } = await open();
    const rules = readingRules({});
    expect(await readablePeople(store, workspace, rules, undefined, 'reports')).toEqual({ all: true });
    const nobody = await viewerOf(store, workspace, rules, {});
    expect(sorted(await readablePeople(store, workspace, rules, nobody, 'reports'))).toEqual([]);
    await expect(assertMayRead(store, workspace, rules, nobody, 'reports', { team: 'pay' })).rejects.toThrow(
      'forbidden: reports of team pay are visible to that team and its leads; this credential names no person (use a per-person token or --person)',
    );
  });

  it('refuses a team or person the viewer may not read, saying who may', async () => {
    const { store, workspace } = await open();
    const rules = readingRules({ privacy: { reports: 'leads' } });
    const gus = await viewerOf(store, workspace, rules, { person: 'gus' });
    await expect(assertMayRead(store, workspace, rules, gus, 'reports', { team: 'pay' })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'forbidden: reports of team pay are visible to each author and the team’s leads',
    });
    await expect(assertMayRead(store, workspace, rules, gus, 'reports', { person: 'gia' })).rejects.toThrow(
      'forbidden: reports of gia are visible to them and their teams’ leads',
    );
    const lena = await viewerOf(store, workspace, rules, { person: 'lena' });
    expect(sorted(await assertMayRead(store, workspace, rules, lena, 'reports', { team: 'pay', person: 'ben' }))).toEqual([
      'ana',
      'ben',
      'lena',
    ]);
  });

  it('carries teams[].leads through export and import, and an erased lead leads nobody', async () => {
    const state = await open();
    expect((await state.export()).teams).toEqual([
      { id: 'growth', name: 'Growth' },
      { id: 'pay', name: 'Payments', leads: ['lena'] },
    ]);
    await state.people.erase('lena');
    expect((await state.export()).teams).toEqual([
      { id: 'growth', name: 'Growth' },
      { id: 'pay', name: 'Payments' },
    ]);
  });
});
