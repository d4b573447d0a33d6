import { describe, expect, it } from 'vitest';
import { COMPANY_SHAPE } from '../company/write-company-bundle.js';
import { generateDemo } from './generate-demo.js';
import { addWorking, nextWorking, OFFICE_HOURS, previousWorking } from './working-time.js';

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

describe('generateDemo’s timeZones', () => {
  it('refuses an offset that is not a number of hours from -12 to 14, naming the member', () => {
    const slot = { shape: COMPANY_SHAPE, team: 0 };
    const now = new Date('2026-11-21T10:00:00Z');
    expect(() =>
      generateDemo({}, now, {
        ...slot,
        timeZones: [
          ['UTC', 0],
          ['Mars/Olympus', Number.NaN],
        ],
      }),
    ).toThrow('timeZones[1]: expected a UTC offset in hours from -12 to 14, got NaN');
    expect(() => generateDemo({}, now, { ...slot, timeZones: [['Asia/Tokyo', 90]] })).toThrow(/timeZones\[0\].*got 90/);
    const tokyo = generateDemo({}, now, { ...slot, timeZones: [['Asia/Tokyo', 9]] });
    expect(tokyo.people[0]!.timeZone).toBe('Asia/Tokyo');
  });
});
