import { createTeamState, type PolicyDocument, type TeamState } from '@teamstate/core';
import { builtinSignals } from '@teamstate/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { call, connect } from './fixtures/connect.js';

// list_signals shows person-level wellbeing signals only to the callers privacy.wellbeing allows
// (docs/signals.md#wellbeing-signals, issue 18); team aggregates are for everyone. The real detectors, the real MCP client.
const NOW = new Date('2026-11-20T18:00:00Z'); // a Friday
const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [
    { id: 'pay', name: 'Payments' },
    { id: 'ops', name: 'Operations' },
    { id: 'leads', name: 'Leads' },
  ],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'] },
    { id: 'ben', name: 'Ben', teams: ['pay'] },
    { id: 'lea', name: 'Lea', teams: ['pay', 'leads'] },
    { id: 'cy', name: 'Cy', teams: ['ops'] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
  workItems: [
    // Not a wellbeing signal: pr.large, seen by every caller.
    {
      id: 'pr-1',
      source: 'github',
      kind: 'pull_request',
      key: 'acme/api#1',
      title: 'Big change',
      state: 'open',
      repository: 'acme/api',
      author: 'cy',
      createdAt: '2026-11-20T09:00:00Z',
      additions: 900,
      deletions: 100,
    },
  ],
  // Lea writes a report every day; Ana and Ben none: Payments writes them, so both get person.no_reports.
  reports: ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'].map((day) => ({ person: 'lea', day, text: 'Led.' })),
};

let ts: TeamState;
const servers: Awaited<ReturnType<typeof connect>>[] = [];
async function open(policy: PolicyDocument) {
  ts = await createTeamState({ database: ':memory:', signals: builtinSignals, policy, clock: () => NOW });
  await ts.import(bundle);
}
type Answer = { signals: { kind: string; subject: { id: string } }[]; wellbeing: { team?: string; kind: string; count: number }[] };
/** `undefined`: stdio without --person, the database's owner; `null`: a credential naming nobody (a shared token). */
async function listAs(person: string | undefined | null, args: Record<string, unknown> = {}) {
  const server = await connect(ts, person === undefined ? {} : person === null ? { scopes: ['read'] } : { onBehalfOf: person });
  servers.push(server);
  const answer = await call<Answer>(server.client, 'list_signals', args);
  return {
    wellbeing: answer.signals.filter((s) => s.kind.startsWith('person.')).map((s) => `${s.kind}:${s.subject.id}`),
    others: answer.signals.filter((s) => !s.kind.startsWith('person.')).map((s) => s.kind),
    counts: answer.wellbeing,
  };
}
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await ts.close();
});

describe('list_signals and wellbeing', () => {
  it('leads (default): the person sees their own, their team’s approvers see the team’s, nobody else sees names', async () => {
    await open({ approvers: { high: ['team:leads'] } });
    const counts = [{ team: 'pay', kind: 'person.no_reports', count: 2 }];
    expect(await listAs('ana')).toEqual({ wellbeing: ['person.no_reports:ana'], others: ['pr.large'], counts });
    expect(await listAs('lea')).toEqual({ wellbeing: ['person.no_reports:ana', 'person.no_reports:ben'], others: ['pr.large'], counts });
    expect(await listAs('cy')).toEqual({ wellbeing: [], others: ['pr.large'], counts });
    // A credential naming nobody (the shared token without mcp.person): only the team aggregates.
    expect(await listAs(null)).toEqual({ wellbeing: [], others: ['pr.large'], counts });
    expect(await listAs(null, { kind: 'person.no_reports' })).toEqual({ wellbeing: [], others: [], counts });
    // stdio without --person is the database's owner, who can read the file anyway.
    expect((await listAs(undefined)).wellbeing).toEqual(['person.no_reports:ana', 'person.no_reports:ben']);
    expect((await listAs('lea', { team: 'ops' })).counts).toEqual([]);
  });

  it('team: everyone in the person’s teams; person: the person and their teams’ leads', async () => {
    await open({ privacy: { wellbeing: 'team' } });
    expect((await listAs('ben')).wellbeing).toEqual(['person.no_reports:ana', 'person.no_reports:ben']);
    expect((await listAs('cy')).wellbeing).toEqual([]);
    await ts.close();
    await open({ approvers: { high: ['team:leads'] }, privacy: { wellbeing: 'person' } });
    expect((await listAs('lea')).wellbeing).toEqual(['person.no_reports:ana', 'person.no_reports:ben']);
    expect((await listAs('ben')).wellbeing).toEqual(['person.no_reports:ben']);
  });

  it('honours an opt-out: nobody sees it, and it is not counted', async () => {
    await open({ privacy: { wellbeing: 'team' } });
    await ts.people.optOut('ana', 'wellbeing');
    expect(await listAs('ana')).toEqual({
      wellbeing: ['person.no_reports:ben'],
      others: ['pr.large'],
      counts: [{ team: 'pay', kind: 'person.no_reports', count: 1 }],
    });
  });
});
