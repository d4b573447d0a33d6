// A pulse round is sent on `pulse.day` from `pulse.time` in the workspace's time zone (`signals.workingHours.timeZone`),
// also across a change of daylight saving time: in Berlin 10:00 is 08:00 UTC in summer time and 09:00 UTC after the
// clocks go back (2026-10-25).
import { describe, expect, it } from 'vitest';
import { createTeamState } from '../src/index.js';

async function workspace(now: { at: Date }) {
  const ts = await createTeamState({
    database: ':memory:',
    clock: () => now.at,
    pulse: { every: '1w', day: 'monday', time: '10:00' },
    signalSettings: { workingHours: { timeZone: 'Europe/Berlin' } },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments' }],
    people: [{ id: 'ana', name: 'Ana', teams: ['payments'] }],
  });
  return ts;
}

describe('pulse schedule in the workspace time zone', () => {
  it('sends each round at 10:00 Berlin time on its Monday, before and after the clocks go back', async () => {
    const now = { at: new Date('2026-10-19T07:59:00Z') };
    const ts = await workspace(now);
    // Monday 19 October, summer time (UTC+2): 09:59 in Berlin is not yet time, 10:00 (08:00 UTC) is.
    expect(await ts.pulse.due()).toBeUndefined();
    now.at = new Date('2026-10-19T08:00:00Z');
    const first = await ts.pulse.due();
    expect(first?.round).toBe('2026-10-19');
    expect(await ts.pulse.recordSent(first!.round, 'ana')).toBe(true);

    // Monday 26 October, winter time (UTC+1): 08:30 UTC is 09:30 in Berlin, not yet; 09:00 UTC is 10:00.
    now.at = new Date('2026-10-26T08:30:00Z');
    expect(await ts.pulse.due()).toBeUndefined();
    now.at = new Date('2026-10-26T09:00:00Z');
    expect((await ts.pulse.due())?.round).toBe('2026-10-26');

    // Sunday 23:30 UTC is already Monday 00:30 in Berlin: the round's day is Berlin's, and it is not yet 10:00 there.
    now.at = new Date('2026-11-01T23:30:00Z');
    expect(await ts.pulse.due()).toBeUndefined();
    await ts.close();
  });
});
