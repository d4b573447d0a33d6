// `ts.oncall.health()`: shifts, pages and the pages that fell after hours, in sleep hours and on weekends, per person,
// on a generated rota whose truth is known by construction (people in fixed-offset zones, pages planted at chosen
// instants inside first-level shifts, decoys outside them), read under the wellbeing rule.
import { describe, expect, it } from 'vitest';
import { createTeamState, type OncallPersonHealth } from '../src/index.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const START = Date.parse('2026-05-04T00:00:00Z'); // a Monday
const END = START + 4 * WEEK;
const ZONES: Record<string, { zone: string; offsetH: number; team: string }> = {
  ana: { zone: 'UTC', offsetH: 0, team: 'core' },
  kenji: { zone: 'Asia/Tokyo', offsetH: 9, team: 'core' },
  priya: { zone: 'Asia/Kolkata', offsetH: 5.5, team: 'edge' },
  omar: { zone: 'UTC', offsetH: 0, team: 'edge' },
  dan: { zone: 'Asia/Tokyo', offsetH: 9, team: 'core' },
};
/** First-level rota: service, person, week index (0-3). */
const ROTA: [string, string, number][] = [
  ['api', 'ana', 0],
  ['api', 'ana', 1],
  ['api', 'ana', 2],
  ['api', 'kenji', 3],
  ['search', 'priya', 0],
  ['search', 'omar', 1],
  ['search', 'priya', 2],
  ['search', 'omar', 3],
];

/** A seeded generator (mulberry32), so the planted pages are the same on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function planted(seed: number) {
  const next = random(seed);
  const truth = new Map<string, OncallPersonHealth>();
  const figures = (person: string) => {
    let found = truth.get(person);
    if (!found) {
      found = { person, shifts: 0, pages: 0, afterHoursPages: 0, sleepHoursPages: 0, weekendPages: 0, consecutiveWeeks: 0 };
      truth.set(person, found);
    }
    return found;
  };
  const oncalls = ROTA.map(([service, person, week]) => {
    figures(person).shifts++;
    return {
      source: 'pagerduty',
      escalationPolicy: `P-${service}`,
      level: 1,
      schedule: `S-${service}`,
      service,
      person,
      start: new Date(START + week * WEEK).toISOString(),
      end: new Date(START + (week + 1) * WEEK).toISOString(),
    };
  });
  // dan: the second level of api for the whole month (one shift, four weeks running, never paged).
  oncalls.push({
    source: 'pagerduty',
    escalationPolicy: 'P-api',
    level: 2,
    schedule: 'S-api-2',
    service: 'api',
    person: 'dan',
    start: new Date(START).toISOString(),
    end: new Date(END).toISOString(),
  });
  Object.assign(figures('dan'), { shifts: 1, consecutiveWeeks: 4 });
  Object.assign(figures('ana'), { consecutiveWeeks: 3 });
  Object.assign(figures('kenji'), { consecutiveWeeks: 1 });
  Object.assign(figures('priya'), { consecutiveWeeks: 1 });
  Object.assign(figures('omar'), { consecutiveWeeks: 1 });
  const incidents: { id: string; title: string; service?: string; createdAt: string }[] = [];
  for (const [service, person, week] of ROTA) {
    const count = 3 + Math.floor(next() * 12);
    for (let n = 0; n < count; n++) {
      const at = START + week * WEEK + Math.floor((next() * WEEK) / 60_000) * 60_000;
      incidents.push({ id: `${service}-${incidents.length}`, title: `${service} alert`, service, createdAt: new Date(at).toISOString() });
      // The truth from the construction: the person's wall clock is UTC plus their fixed offset.
      const local = new Date(at + ZONES[person]!.offsetH * 3_600_000);
      const hour = local.getUTCHours() + local.getUTCMinutes() / 60;
      const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
      const f = figures(person);
      f.pages++;
      if (weekend || hour < 9 || hour >= 17) f.afterHoursPages++;
      if (hour >= 22 || hour < 7) f.sleepHoursPages++;
      if (weekend) f.weekendPages++;
    }
  }
  // Decoys: a page before the window, one on a service nobody is on call for, one without service.
  incidents.push({ id: 'early', title: 'early', service: 'api', createdAt: new Date(START - DAY).toISOString() });
  incidents.push({ id: 'orphan', title: 'orphan', service: 'billing', createdAt: new Date(START + DAY).toISOString() });
  incidents.push({ id: 'none', title: 'no service', createdAt: new Date(START + 2 * DAY).toISOString() });
  const bundle = {
    format: 'teamstate.bundle/v1' as const,
    teams: [
      { id: 'core', name: 'Core', leads: ['lena'] },
      { id: 'edge', name: 'Edge' },
    ],
    people: [
      ...Object.entries(ZONES).map(([id, z]) => ({ id, name: id, timeZone: z.zone, teams: [z.team] })),
      { id: 'lena', name: 'Lena', teams: ['core'] },
    ],
    incidents,
    oncalls,
  };
  return { bundle, truth };
}

const sorted = (people: readonly OncallPersonHealth[]) => [...people].sort((a, b) => a.person.localeCompare(b.person));

describe('on-call health', () => {
  for (const seed of [1, 2]) {
    it(`counts each person's shifts and pages by their own zone as planted (seed ${seed})`, async () => {
      const { bundle, truth } = planted(seed);
      const ts = await createTeamState({ database: ':memory:', clock: () => new Date(END) });
      await ts.import(bundle);
      // Default window: the 28 days before now, which is the planted month.
      const health = await ts.oncall.health();
      expect(health.window).toEqual({ from: new Date(START).toISOString(), to: new Date(END).toISOString() });
      expect(sorted(health.people)).toEqual(sorted([...truth.values()]));
      const pages = [...truth.values()].reduce((sum, p) => sum + p.pages, 0);
      expect(pages).toBeGreaterThan(20);
      // A team: its members only.
      const core = await ts.oncall.health({ team: 'core' });
      expect(core.people.map((p) => p.person).sort()).toEqual(['ana', 'dan', 'kenji']);
      await ts.close();
    });
  }

  it('reads person-level figures under the wellbeing rule: a member sees their own, a lead their team', async () => {
    const { bundle } = planted(3);
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date(END) });
    await ts.import(bundle);
    expect((await ts.as('kenji').oncall.health()).people.map((p) => p.person)).toEqual(['kenji']);
    expect((await ts.as('lena').oncall.health()).people.map((p) => p.person).sort()).toEqual(['ana', 'dan', 'kenji']);
    await expect(ts.as('kenji').oncall.health({ team: 'core' })).rejects.toThrow(/forbidden: wellbeing signals of team core/);
    await expect(ts.as({}).oncall.health()).resolves.toMatchObject({ people: [] });
    await ts.close();
  });

  it('takes a window and refuses bad arguments naming the field', async () => {
    const { bundle } = planted(4);
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date(END) });
    await ts.import(bundle);
    const lastWeek = await ts.oncall.health({ from: new Date(END - WEEK).toISOString().slice(0, 10) });
    expect(lastWeek.people.find((p) => p.person === 'ana')).toBeUndefined();
    expect(lastWeek.people.find((p) => p.person === 'dan')?.consecutiveWeeks).toBe(1);
    await expect(ts.oncall.health({ from: 'yesterday' })).rejects.toThrow(/from: expected an ISO timestamp or a day/);
    await expect(ts.oncall.health({ team: 'nope' })).rejects.toThrow(/team/);
    await expect(ts.oncall.health({ from: '2026-06-02', to: '2026-06-01' })).rejects.toThrow(/from: must be before to/);
    await ts.close();
  });
});
