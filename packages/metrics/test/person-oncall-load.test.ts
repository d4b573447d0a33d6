import { createTeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { personOncallLoad } from '../src/index.js';

// person.oncall_load: two sleep-hour pages in a week (in the person's own zone), or pages above the team's p90.
const NOW = new Date('2026-11-23T12:00:00Z');
const shift = (person: string, service: string) => ({
  source: 'pagerduty',
  escalationPolicy: `P-${service}`,
  level: 1,
  service,
  person,
  start: '2026-10-26T00:00:00Z',
  end: '2026-11-30T00:00:00Z',
});
const page = (id: string, service: string, at: string) => ({ id, title: `${service} alert`, service, createdAt: at });

describe('person.oncall_load', () => {
  it('flags sleep-hour pages read in the person’s zone, and pages above the team’s p90', async () => {
    const ts = await createTeamState({ database: ':memory:', clock: () => NOW, signals: [personOncallLoad] });
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'core', name: 'Core', leads: ['lena'] }],
      people: [
        { id: 'lena', name: 'Lena' },
        { id: 'ana', name: 'Ana', teams: ['core'], timeZone: 'UTC' },
        { id: 'kenji', name: 'Kenji', teams: ['core'], timeZone: 'Asia/Tokyo' },
        { id: 'omar', name: 'Omar', teams: ['core'], timeZone: 'UTC' },
        { id: 'ola', name: 'Ola', teams: ['core'], timeZone: 'UTC' },
      ],
      oncalls: [shift('ana', 'api'), shift('kenji', 'search'), shift('omar', 'queue'), shift('ola', 'web')],
      incidents: [
        // Ana: two pages at 02:00 and 23:30 UTC this week: sleep hours.
        page('a1', 'api', '2026-11-18T02:00:00Z'),
        page('a2', 'api', '2026-11-20T23:30:00Z'),
        // Kenji: two pages at 14:00 and 15:00 UTC: 23:00 and 00:00 in Tokyo, sleep hours there.
        page('k1', 'search', '2026-11-19T14:00:00Z'),
        page('k2', 'search', '2026-11-21T15:00:00Z'),
        // Omar: six office-hour pages this month, far above his team (Ola one, Ana two, Kenji two).
        ...[2, 4, 6, 9, 11, 13].map((d) => page(`o${d}`, 'queue', `2026-11-${String(d).padStart(2, '0')}T10:00:00Z`)),
        page('l1', 'web', '2026-11-10T11:00:00Z'),
        // Ana's pages of last month do not count for sleep hours this week.
        page('a0', 'api', '2026-11-01T03:00:00Z'),
      ],
    });
    await ts.signals.refresh();
    const signals = await ts.signals.list({ kind: 'person.oncall_load' });
    expect(signals.map((s) => s.subject.id).sort()).toEqual(['ana', 'kenji', 'omar']);
    expect(signals.find((s) => s.subject.id === 'kenji')?.evidence).toMatchObject({ sleepHoursPages: 2 });
    expect(signals.find((s) => s.subject.id === 'omar')?.evidence).toMatchObject({ pages: 6, sleepHoursPages: 0 });
    // A wellbeing signal: a teammate does not see it, the lead does.
    expect(await ts.as('ola').signals.list({ kind: 'person.oncall_load' })).toEqual([]);
    expect((await ts.as('lena').signals.list({ kind: 'person.oncall_load' })).length).toBe(3);
    await ts.close();
  });
});
