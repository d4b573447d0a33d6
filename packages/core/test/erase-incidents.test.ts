import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState } from '../src/index.js';

// Erasing a person takes their id and name out of incidents' responders and timelines (docs/incidents.md): a
// PagerDuty incident names its responders and the actors of its log entries by the PagerDuty user's name.
let ts: TeamState;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:' });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'pay', name: 'Payments' }],
    people: [
      { id: 'ana', name: 'Ana Garcia', email: 'ana@acme.dev', teams: ['pay'], accounts: [{ provider: 'pagerduty', id: 'PANA123' }] },
      { id: 'ben', name: 'Ben Tanaka', teams: ['pay'] },
    ],
    incidents: [
      {
        id: 'pd-1',
        title: 'Checkout 500s',
        createdAt: '2026-03-10T10:00:00Z',
        source: 'pagerduty',
        externalId: 'Q1',
        team: 'pay',
        status: 'resolved',
        resolvedAt: '2026-03-10T11:00:00Z',
        responders: ['Ana Garcia', 'Ben Tanaka', 'ana'],
        timeline: [
          { at: '2026-03-10T10:00:00Z', kind: 'triggered', text: 'Triggered through the API' },
          { at: '2026-03-10T10:05:00Z', kind: 'acknowledged', actor: 'Ana Garcia', text: 'Acknowledged by Ana Garcia' },
          { at: '2026-03-10T10:20:00Z', kind: 'note', actor: 'PANA123', text: 'Rolled back; ping ana@acme.dev' },
          { at: '2026-03-10T11:00:00Z', kind: 'resolved', actor: 'Ben Tanaka', text: 'Resolved by Ben Tanaka' },
        ],
      },
    ],
  });
});
afterAll(() => ts.close());

describe('ts.people.erase and incidents', () => {
  it('replaces the person in responders, actors and entry texts by their pseudonym, and keeps everyone else', async () => {
    const { pseudonym } = await ts.people.erase('ana', { by: 'dpo' });
    const [incident] = (await ts.incidents.list()).filter((i) => i.id === 'pd-1');
    const stored = JSON.stringify(incident);
    expect(stored).not.toMatch(/Ana Garcia|"ana"|ana@acme\.dev|PANA123/i);
    expect(incident?.responders).toEqual([pseudonym, 'Ben Tanaka']);
    expect(incident?.timeline?.map((e) => e.actor)).toEqual([undefined, pseudonym, pseudonym, 'Ben Tanaka']);
    expect(incident?.timeline?.[1]?.text).toBe(`Acknowledged by ${pseudonym}`);
    expect(incident?.timeline?.[3]?.text).toBe('Resolved by Ben Tanaka');
  });
});
