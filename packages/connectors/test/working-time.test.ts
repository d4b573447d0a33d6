import { describe, expect, it } from 'vitest';
import { COMPANY_SHAPE } from '../src/demo/company/write-company-bundle.js';
import { generateDemo } from '../src/demo/sync/generate-demo.js';
import { addWorking, nextWorking, OFFICE_HOURS, previousWorking } from '../src/demo/sync/working-time.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

describe('the demo’s working time', () => {
  it('moves a moment outside working hours to the next working one, and keeps one inside', () => {
    expect(iso(nextWorking(at('2026-11-18T10:15:00Z'), OFFICE_HOURS))).toBe('2026-11-18T10:15:00.000Z'); // a Wednesday
    expect(iso(nextWorking(at('2026-11-18T06:00:00Z'), OFFICE_HOURS))).toBe('2026-11-18T09:00:00.000Z');
    expect(iso(nextWorking(at('2026-11-18T17:00:00Z'), OFFICE_HOURS))).toBe('2026-11-19T09:00:00.000Z');
    expect(iso(nextWorking(at('2026-11-20T19:00:00Z'), OFFICE_HOURS))).toBe('2026-11-23T09:00:00.000Z'); // Friday night
    expect(iso(nextWorking(at('2026-11-22T12:00:00Z'), OFFICE_HOURS))).toBe('2026-11-23T09:00:00.000Z'); // a Sunday
  });

  it('moves a moment outside working hours back to the last working one, and keeps one inside', () => {
    expect(iso(previousWorking(at('2026-11-18T10:15:00Z'), OFFICE_HOURS))).toBe('2026-11-18T10:15:00.000Z');
    expect(iso(previousWorking(at('2026-11-18T20:00:00Z'), OFFICE_HOURS))).toBe('2026-11-18T16:59:00.000Z');
    expect(iso(previousWorking(at('2026-11-18T08:00:00Z'), OFFICE_HOURS))).toBe('2026-11-17T16:59:00.000Z');
    expect(iso(previousWorking(at('2026-11-23T08:00:00Z'), OFFICE_HOURS))).toBe('2026-11-20T16:59:00.000Z'); // Monday early
  });

  it('adds working time: the clock stops in the evening and at the weekend', () => {
    expect(iso(addWorking(at('2026-11-18T10:00:00Z'), 4 * HOUR, OFFICE_HOURS))).toBe('2026-11-18T14:00:00.000Z');
    expect(iso(addWorking(at('2026-11-18T15:00:00Z'), 4 * HOUR, OFFICE_HOURS))).toBe('2026-11-19T11:00:00.000Z');
    expect(iso(addWorking(at('2026-11-20T16:00:00Z'), 4 * HOUR, OFFICE_HOURS))).toBe('2026-11-23T12:00:00.000Z');
    expect(iso(addWorking(at('2026-11-21T03:00:00Z'), 0, OFFICE_HOURS))).toBe('2026-11-23T09:00:00.000Z');
    expect(iso(addWorking(at('2026-11-18T10:00:00Z'), 5 * 8 * HOUR, OFFICE_HOURS))).toBe('2026-11-25T10:00:00.000Z');
    const late = { start: 13 * HOUR, end: 23 * HOUR };
    expect(iso(addWorking(at('2026-11-18T22:00:00Z'), 2 * HOUR, late))).toBe('2026-11-19T14:00:00.000Z');
  });

  it('reads the hours and the weekdays in the person’s own time, `offset` ahead of UTC', () => {
    const tokyo = { ...OFFICE_HOURS, offset: 9 * HOUR };
    // 09:00 in Tokyo is 00:00 UTC; Monday morning there is still Sunday in UTC.
    expect(iso(nextWorking(at('2026-11-18T05:00:00Z'), tokyo))).toBe('2026-11-18T05:00:00.000Z');
    expect(iso(nextWorking(at('2026-11-18T09:00:00Z'), tokyo))).toBe('2026-11-19T00:00:00.000Z');
    expect(iso(nextWorking(at('2026-11-21T03:00:00Z'), tokyo))).toBe('2026-11-23T00:00:00.000Z'); // Saturday noon there
    // Monday 08:30 there: back to Friday 16:59 there.
    expect(iso(previousWorking(at('2026-11-22T23:30:00Z'), tokyo))).toBe('2026-11-20T07:59:00.000Z');
    // Friday 16:00 there, two hours of work: one on Friday, one on Monday from 09:00 there.
    expect(iso(addWorking(at('2026-11-20T07:00:00Z'), 2 * HOUR, tokyo))).toBe('2026-11-23T01:00:00.000Z');
    const newYork = { ...OFFICE_HOURS, offset: -5 * HOUR };
    // Friday 16:00 in New York is 21:00 UTC: an hour on Friday, then Monday 09:00-10:00 there (15:00 UTC).
    expect(iso(addWorking(at('2026-11-20T21:00:00Z'), 2 * HOUR, newYork))).toBe('2026-11-23T15:00:00.000Z');
  });
});

describe('the demo’s working time in a zone with summer time', () => {
  const sydney = { ...OFFICE_HOURS, zone: 'Australia/Sydney' };
  const berlin = { ...OFFICE_HOURS, zone: 'Europe/Berlin' };

  it('reads the hours at the offset of the day: 11 hours ahead of UTC in a Sydney November, 10 in its July', () => {
    // Monday 09:00 in Sydney: Sunday 22:00 UTC in summer (AEDT), 23:00 in winter (AEST).
    expect(iso(nextWorking(at('2026-11-22T12:00:00Z'), sydney))).toBe('2026-11-22T22:00:00.000Z');
    expect(iso(nextWorking(at('2026-07-19T12:00:00Z'), sydney))).toBe('2026-07-19T23:00:00.000Z');
    // Wednesday 17:30 there is past the day's end: 16:59 there.
    expect(iso(previousWorking(at('2026-11-18T06:30:00Z'), sydney))).toBe('2026-11-18T05:59:00.000Z');
    expect(iso(previousWorking(at('2026-07-15T07:30:00Z'), sydney))).toBe('2026-07-15T06:59:00.000Z');
    // A moment inside the hours is kept as it is.
    expect(iso(nextWorking(at('2026-11-18T01:00:00Z'), sydney))).toBe('2026-11-18T01:00:00.000Z');
  });

  it('adds working time across the night the clocks change: Friday in summer time, Monday in winter time', () => {
    // Friday 2026-10-23 16:00 in Berlin is 14:00 UTC (CEST, +2); two hours of work: one on Friday, then Monday
    // 2026-10-26 09:00-10:00 there (CET, +1): 09:00 UTC.
    expect(iso(addWorking(at('2026-10-23T14:00:00Z'), 2 * HOUR, berlin))).toBe('2026-10-26T09:00:00.000Z');
    // And back in spring: Friday 2026-03-27 16:00 CET (15:00 UTC), Monday 2026-03-30 10:00 CEST is 08:00 UTC.
    expect(iso(addWorking(at('2026-03-27T15:00:00Z'), 2 * HOUR, berlin))).toBe('2026-03-30T08:00:00.000Z');
  });
});

describe('generateDemo’s timeZones', () => {
  const slot = { shape: COMPANY_SHAPE, team: 0 };
  const now = new Date('2026-11-21T10:00:00Z');

  it('refuses a zone that is not an IANA time zone, naming the member', () => {
    expect(() => generateDemo({}, now, { ...slot, timeZones: ['UTC', 'Mars/Olympus'] })).toThrow(
      'timeZones[1]: expected an IANA time zone such as "Europe/Berlin", got "Mars/Olympus"',
    );
    expect(() => generateDemo({}, now, { ...slot, timeZones: [''] })).toThrow(/timeZones\[0\].*got ""/);
    const tokyo = generateDemo({}, now, { ...slot, timeZones: ['Asia/Tokyo'] });
    expect(tokyo.people[0]!.timeZone).toBe('Asia/Tokyo');
  });

  it('keeps office hours in the local time of the day, summer time included (person.after_hours flags no one else)', () => {
    const localHour = (zone: string, ms: number) =>
      Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(ms));
    for (const [zone, anchor] of [
      ['Australia/Sydney', '2026-11-21T10:00:00Z'],
      ['Europe/Berlin', '2026-07-18T10:00:00Z'],
      ['America/Los_Angeles', '2026-07-18T10:00:00Z'],
    ] as const) {
      const size = COMPANY_SHAPE.peoplePerTeam[0]!;
      const bundle = generateDemo({}, new Date(anchor), { ...slot, timeZones: Array.from({ length: size }, () => zone) });
      // The team's sixth member works late (16:00 to midnight); everyone else from 09:00 to 17:00 there.
      const late = bundle.people[5]!.id;
      const hours: number[] = [];
      for (const item of bundle.workItems ?? [])
        if (item.kind === 'pull_request' && item.author !== undefined && item.author !== late)
          hours.push(localHour(zone, Date.parse(item.createdAt)));
      expect(hours.length, zone).toBeGreaterThan(50);
      expect(Math.min(...hours), zone).toBeGreaterThanOrEqual(9);
      expect(Math.max(...hours), zone).toBeLessThan(17);
    }
  });
});
