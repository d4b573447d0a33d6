import { createTeamState, type TeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AVAILABLE_S1, type CapacityClock, NOW, PEOPLE, plantedCapacity } from './fixtures/planted-capacity.js';

// ts.capacity.plan(): on a team whose throughput is exactly one item per present person and weekday
// (fixtures/planted-capacity.ts), the percentiles equal the available people-days.

let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

async function open(clock?: CapacityClock) {
  const signalSettings = clock ? { workingHours: { timeZone: clock.zone } } : undefined;
  ts = await createTeamState({ database: ':memory:', clock: () => NOW, ...(signalSettings ? { signalSettings } : {}) });
  await ts.import(plantedCapacity(30, 80, clock));
  return ts;
}

const total = Object.values(AVAILABLE_S1).reduce((a, b) => a + b, 0);

describe('ts.capacity.plan', () => {
  it("counts each person's weekdays minus the planted absence weekdays, and fits an easy sprint", async () => {
    const ts = await open();
    const plan = await ts.capacity.plan({ team: 'cap' });
    expect(plan.window).toEqual({ from: '2026-11-02', to: '2026-11-13', weekdays: 10, sprint: 's1' });
    expect(Object.fromEntries(plan.people.map((p) => [p.person, p.availableDays]))).toEqual(AVAILABLE_S1);
    expect(plan.throughput).toEqual({ p15: total, p50: total, p85: total });
    expect(plan.committed).toBe(30);
    expect(plan.verdict).toBe('fits');
  });

  it("reads the sprint's days and the finished items' days on the workspace's clock", async () => {
    // Sydney's working morning is the evening before in UTC: the sprint starts on a Sunday there, and each item
    // finished at 08:00 lands on the UTC day before (Monday's on a Sunday). Sydney's clock goes forward in the history.
    const ts = await open({ zone: 'Australia/Sydney', doneHour: 8 });
    const plan = await ts.capacity.plan({ team: 'cap' });
    expect(plan.window).toEqual({ from: '2026-11-02', to: '2026-11-13', weekdays: 10, sprint: 's1' });
    expect(Object.fromEntries(plan.people.map((p) => [p.person, p.availableDays]))).toEqual(AVAILABLE_S1);
    expect(plan.throughput).toEqual({ p15: total, p50: total, p85: total });
    expect(plan.verdict).toBe('fits');
  });

  it('finds the overcommitted sprint over, and the same window fitting with what it finishes', async () => {
    const ts = await open();
    const over = await ts.capacity.plan({ team: 'cap', sprint: 's2' });
    expect(over.throughput.p85).toBe(50);
    expect(over.committed).toBe(80);
    expect(over.verdict).toBe('over');
    expect((await ts.capacity.plan({ team: 'cap', from: '2026-11-16', to: '2026-11-27', scope: 50 })).verdict).toBe('fits');
  });

  it('answers what-if scenarios beside the baseline', async () => {
    const ts = await open();
    const without = await ts.capacity.plan({ team: 'cap', sprint: 's1', without: 'a3' });
    expect(without.people.map((p) => p.person)).toEqual(PEOPLE.filter((p) => p !== 'a3'));
    expect(without.throughput.p50).toBe(total - 10);
    expect(without.scenario).toEqual({
      without: ['a3'],
      add: 0,
      baseline: { throughput: { p15: total, p50: total, p85: total }, verdict: 'fits', availableDays: total },
    });
    const added = await ts.capacity.plan({ team: 'cap', sprint: 's2', add: 3 });
    expect(added.throughput.p50).toBe(80);
    expect(added.verdict).toBe('fits');
    expect(added.scenario?.baseline.verdict).toBe('over');
  });

  it('shows a member only the absences they may read, and refuses bad input naming the field', async () => {
    const ts = await open();
    const member = await ts.as('a1').capacity.plan({ team: 'cap' });
    expect(member.people).toEqual([{ person: 'a1', availableDays: 10 }]);
    expect(member.withheldPeople).toBe(4);
    expect(member.throughput.p50).toBe(total);
    expect((await ts.as('a0').capacity.plan({ team: 'cap' })).people).toHaveLength(5);
    await expect(ts.capacity.plan({ team: 'cap', without: 'o1' })).rejects.toThrow(/^without: "o1" is not a member of cap/);
    await expect(ts.capacity.plan({ team: 'other' })).rejects.toThrow(/^sprint: team other has no active or future sprint/);
    await expect(ts.capacity.plan({ team: 'other', sprint: 's1' })).rejects.toThrow(/^sprint: s1 belongs to team cap/);
    await expect(ts.capacity.plan({ team: 'cap', add: -1 })).rejects.toThrow(/^add: expected a whole number/);
  });
});
