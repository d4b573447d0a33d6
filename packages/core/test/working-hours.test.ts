import { describe, expect, it } from 'vitest';
import {
  isWithinWorkingHours,
  timeZoneOffset,
  workingMsBetween,
  workingTimeCalendar,
} from '../src/services/working-hours/working-hours.js';
import type { WorkingHours } from '../src/spec/signal-detector.js';

// Offsets are remembered per zone and UTC day, then hour; an hour with a daylight-saving change is computed exactly. Checked
// against Intl directly, every 5 minutes across the changes of zones that shift by an hour, by 30 minutes, or never.
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function reference(at: number, timeZone: string, start: number, end: number, days: readonly number[]): boolean {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  const hour = Number(parts.hour) + Number(parts.minute) / 60;
  return days.includes(WEEKDAYS.indexOf(parts.weekday!)) && hour >= start && hour < end;
}

describe('working hours across daylight-saving changes', () => {
  const cases: [string, string][] = [
    ['Europe/Berlin', '2026-03-29T00:00:00Z'],
    ['Europe/Berlin', '2026-10-25T00:00:00Z'],
    ['America/New_York', '2026-03-08T04:00:00Z'],
    ['America/New_York', '2026-11-01T04:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T12:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-03T12:00:00Z'],
    ['Asia/Kolkata', '2026-03-29T00:00:00Z'],
  ];
  for (const [timeZone, from] of cases) {
    it(`${timeZone} around ${from}`, () => {
      // Hours that put the boundaries where the change happens (02:00–03:00 local, a Sunday counted as working).
      const hours = { start: 2, end: 3, days: [0, 1, 2, 3, 4, 5, 6], timeZone };
      const start = Date.parse(from);
      let inside = 0;
      for (let at = start; at < start + 36 * 3_600_000; at += 5 * 60_000) {
        const expected = reference(at, timeZone, hours.start, hours.end, hours.days);
        expect(isWithinWorkingHours(at, hours), new Date(at).toISOString()).toBe(expected);
        if (expected) inside++;
      }
      expect(inside).toBeGreaterThan(0);
    });
  }

  it('counts working time between instants across a change as before (an hour less on the short day)', () => {
    const hours = { start: 0, end: 24, days: [0, 1, 2, 3, 4, 5, 6], timeZone: 'Europe/Berlin' };
    // 2026-03-29 00:00 to 2026-03-30 00:00 Berlin: 23 hours.
    expect(workingMsBetween(Date.parse('2026-03-28T23:00:00Z'), Date.parse('2026-03-29T22:00:00Z'), hours)).toBe(23 * 3_600_000);
  });
});

describe('timeZoneOffset', () => {
  const HOUR = 3_600_000;
  const at = (iso: string) => Date.parse(iso);

  it('is how far a zone is ahead of UTC at an instant, summer time and half hours included', () => {
    expect(timeZoneOffset('UTC', at('2026-11-20T10:00:00Z'))).toBe(0);
    expect(timeZoneOffset('Australia/Sydney', at('2026-11-20T10:00:00Z'))).toBe(11 * HOUR);
    expect(timeZoneOffset('Australia/Sydney', at('2026-07-20T10:00:00Z'))).toBe(10 * HOUR);
    expect(timeZoneOffset('Asia/Kolkata', at('2026-11-20T10:00:00Z'))).toBe(5.5 * HOUR);
    expect(timeZoneOffset('America/Los_Angeles', at('2026-11-20T10:00:00Z'))).toBe(-8 * HOUR);
  });

  it('refuses a zone that is not an IANA time zone with one clear message, as the other working-hours helpers do', () => {
    const refusal = /^timeZone: expected an IANA time zone such as "Europe\/Berlin" or "America\/New_York", got "Mars\/Olympus"$/;
    expect(() => timeZoneOffset('Mars/Olympus', at('2026-11-20T10:00:00Z'))).toThrow(refusal);
    expect(() => isWithinWorkingHours(at('2026-11-20T10:00:00Z'), { start: 9, end: 17, days: [1], timeZone: 'Mars/Olympus' })).toThrow(
      refusal,
    );
    expect(() => timeZoneOffset('+01:00', 0)).toThrow(/got "\+01:00"$/);
  });

  it('changes at the instant the clocks do, not at the hour or day around it', () => {
    // Berlin goes from CEST (+2) to CET (+1) at 01:00 UTC on 2026-10-25.
    expect(timeZoneOffset('Europe/Berlin', at('2026-10-25T00:59:59Z'))).toBe(2 * HOUR);
    expect(timeZoneOffset('Europe/Berlin', at('2026-10-25T01:00:00Z'))).toBe(HOUR);
    expect(timeZoneOffset('Europe/Berlin', at('2026-10-24T12:00:00Z'))).toBe(2 * HOUR);
    expect(timeZoneOffset('Europe/Berlin', at('2026-10-25T12:00:00Z'))).toBe(HOUR);
  });
});

describe('workingTimeCalendar', () => {
  const expected = (at: number, hours: WorkingHours) =>
    isWithinWorkingHours(at, hours) ? 'working' : isWithinWorkingHours(at, { ...hours, start: 0, end: 24 }) ? 'off_hours' : 'off_day';
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/Sao_Paulo'];
  const weeks: [string, WorkingHours['days'], number, number][] = [
    ['Monday to Friday, 09–17', [1, 2, 3, 4, 5], 9, 17],
    ['every day, 02–03 (where the changes happen)', [0, 1, 2, 3, 4, 5, 6], 2, 3],
    ['Sunday to Thursday, all day', [0, 1, 2, 3, 4], 0, 24],
    ['no working hours (end before start)', [1, 2, 3], 17, 9],
  ];
  for (const timeZone of zones)
    for (const [name, days, start, end] of weeks) {
      it(`answers as isWithinWorkingHours every minute: ${timeZone}, ${name}, across both daylight-saving changes`, () => {
        const hours: WorkingHours = { start, end, days, timeZone };
        for (const [from, to] of [
          [Date.parse('2026-03-20T00:00:00Z'), Date.parse('2026-04-08T00:00:00Z')],
          [Date.parse('2026-09-30T07:13:00Z'), Date.parse('2026-11-05T00:00:00Z')],
        ] as const) {
          const calendar = workingTimeCalendar(hours, from, to);
          const seen = new Set<string>();
          // Every minute of the range and one second into it, then instants just outside it.
          for (let at = from - 120_000; at < to + 120_000; at += 60_000)
            for (const t of [at, at + 1_000, at - 1]) {
              const answer = calendar.at(t);
              seen.add(answer);
              if (answer !== expected(t, hours)) expect(answer, `${new Date(t).toISOString()} in ${timeZone}`).toBe(expected(t, hours));
            }
          expect(seen.size).toBeGreaterThan(1);
        }
      });
    }
});
