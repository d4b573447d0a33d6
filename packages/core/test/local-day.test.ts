import { describe, expect, it } from 'vitest';
import { addDays, isDay, isTimeZone, localDay, localDayRange, startOfLocalDay } from '../src/kernel/model/local-day.js';

describe('local days', () => {
  it('knows real days and IANA time zones, and refuses offsets and made-up zones', () => {
    expect([isDay('2026-03-02'), isDay('2028-02-29'), isDay('2026-02-29'), isDay('2026-3-2'), isDay('2026-03-02T00:00Z')]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Kolkata'].every(isTimeZone)).toBe(true);
    expect(['+01:00', 'Mars/Olympus_Mons', '', 'Europe/Berlin; DROP'].some(isTimeZone)).toBe(false);
  });

  it('finds the local day of an instant and where a local day starts, across daylight saving', () => {
    expect(localDay(Date.parse('2026-03-18T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-03-19');
    expect(localDay(Date.parse('2026-03-18T23:30:00Z'))).toBe('2026-03-18');
    expect(localDay(Date.parse('2026-03-19T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-03-18');
    expect(startOfLocalDay('2026-03-18', 'Asia/Tokyo')).toBe(Date.parse('2026-03-17T15:00:00Z'));
    // Berlin moves to summer time on 2026-03-29: that day has 23 hours.
    const [start, end] = localDayRange('2026-03-29', 'Europe/Berlin');
    expect([new Date(start).toISOString(), new Date(end).toISOString()]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
