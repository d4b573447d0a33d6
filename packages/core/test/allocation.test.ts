import { createTeamState, type TeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FROM, type PlantedZones, plantedEffort, TEAM, TO, TYPES } from './fixtures/planted-effort.js';

// ts.allocation(): effort per work type on a team whose truth is known by construction (fixtures/planted-effort.ts).

let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

const NOW = new Date('2026-11-25T12:00:00Z');

async function open(options: Parameters<typeof createTeamState>[0] = {}, zones?: PlantedZones, activeChance = 0.8) {
  const planted = plantedEffort(7, 6, activeChance, zones);
  ts = await createTeamState({ database: ':memory:', clock: () => NOW, ...options });
  await ts.import(planted.bundle);
  return { ts, ...planted };
}

describe('ts.allocation', () => {
  it('gives each built-in type its planted share within 2 points and the FTE within 5 %', async () => {
    const { ts, truth, activeDays, weekdays } = await open();
    const answer = await ts.allocation({ team: TEAM, from: FROM, to: TO });
    expect(answer.window).toEqual({ from: FROM, to: TO, weekdays });
    const team = answer.teams[0]!;
    expect(team.team).toBe(TEAM);
    expect(Math.abs(team.fte - activeDays / weekdays) / (activeDays / weekdays)).toBeLessThan(0.05);
    for (const type of TYPES) {
      const share = team.types.find((t) => t.type === type)!.share;
      expect(Math.abs(share - truth.get(type)! / activeDays), type).toBeLessThan(0.02);
    }
    // A pull request naming a bug counts as a bug; nothing else is a pull request here.
    expect(team.types.find((t) => t.type === 'bug')!.prs).toBeGreaterThan(0);
    expect(team.types.find((t) => t.type === 'feature')!.prs).toBe(0);
    // Stories match no rule: the feature share is the unclassified one.
    expect(Math.abs(answer.unclassified.share - truth.get('feature')! / activeDays)).toBeLessThan(0.02);
  });

  it('lets configured rules, tried first, move effort to their own types', async () => {
    const { ts, truth, activeDays } = await open({
      workTypes: [
        { type: 'platform', when: { labels: ['OPS'] } },
        { type: 'checkout', when: { titleMatches: ['^checkout flow'] } },
      ],
    });
    const team = (await ts.allocation({ team: TEAM, from: FROM, to: TO })).teams[0]!;
    const share = (type: string) => team.types.find((t) => t.type === type)?.share;
    expect(share('ktlo')).toBe(0);
    expect(Math.abs(share('platform')! - truth.get('ktlo')! / activeDays)).toBeLessThan(0.02);
    expect(share('feature')).toBe(0);
    expect(Math.abs(share('checkout')! - truth.get('feature')! / activeDays)).toBeLessThan(0.02);
  });

  it('splits the window into weeks whose people-days add up to the whole', async () => {
    const { ts, activeDays } = await open();
    const team = (await ts.allocation({ team: TEAM, from: FROM, to: TO, by: 'week' })).teams[0]!;
    expect(team.periods).toHaveLength(12);
    expect(team.periods![0]).toMatchObject({ from: FROM, to: '2026-09-06', weekdays: 5 });
    const days = team.periods!.reduce((sum, p) => sum + p.fte * p.weekdays, 0);
    expect(Math.abs(days - activeDays)).toBeLessThan(1);
  });

  it("counts a person-day on the person's own date: a working day across UTC midnight is one day, FTE at most the headcount", async () => {
    // Sydney and Auckland work days start the evening before in UTC, Los Angeles ones end after UTC midnight; the
    // person without a zone keeps the workspace's (Auckland). Sydney's and Auckland's clocks go forward in the window.
    // Nearly everyone works nearly every weekday, so counting UTC dates would show more FTE than people.
    const zones = { people: ['Australia/Sydney', 'America/Los_Angeles', undefined], workspace: 'Pacific/Auckland' };
    const settings = { signalSettings: { workingHours: { timeZone: zones.workspace } } };
    const { ts, truth, activeDays, weekdays } = await open(settings, zones, 0.97);
    const team = (await ts.allocation({ team: TEAM, from: FROM, to: TO })).teams[0]!;
    expect(team.fte).toBeLessThanOrEqual(6);
    expect(Math.abs(team.fte - activeDays / weekdays) / (activeDays / weekdays)).toBeLessThan(0.05);
    for (const type of TYPES) {
      const share = team.types.find((t) => t.type === type)!.share;
      expect(Math.abs(share - truth.get(type)! / activeDays), type).toBeLessThan(0.02);
    }
    const weeks = (await ts.allocation({ team: TEAM, from: FROM, to: TO, by: 'week' })).teams[0]!.periods!;
    expect(Math.abs(weeks.reduce((sum, p) => sum + p.fte * p.weekdays, 0) - activeDays)).toBeLessThan(1);
    // The first Monday's morning in Sydney is Sunday evening in UTC: it still belongs to a window that starts Monday.
    const monday = (await ts.allocation({ team: TEAM, from: FROM, to: FROM })).teams[0]!;
    expect(monday.fte).toBeLessThanOrEqual(6);
  });

  it('refuses a bad window or rule with a message naming the field', async () => {
    const { ts } = await open();
    await expect(ts.allocation({ team: TEAM, from: '2026-13-01' })).rejects.toThrow(/^from: expected a day/);
    await expect(ts.allocation({ team: TEAM, from: TO, to: FROM })).rejects.toThrow(/from: 2026-11-20 is after to/);
    await expect(ts.allocation({ team: 'nope' })).rejects.toThrow(/team/);
    await expect(ts.allocation({ by: 'day' as 'week' })).rejects.toThrow(/^by: expected week or month/);
    await expect(createTeamState({ database: ':memory:', workTypes: [{ type: 'x', when: { titleMatches: ['('] } }] })).rejects.toThrow(
      /workTypes\[0\]\.when\.titleMatches\[0\]/,
    );
  });
});
