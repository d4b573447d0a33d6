// parseTimestamp computes the instant from the pattern's parts; it must accept, refuse and place exactly the strings
// that validating the parts and handing the string to Date.parse (its first implementation) did. One difference is
// meant: the first implementation counted February's days of the years 0-99 by 1900-1999 (Date.UTC's reading), so it
// refused 0000-02-29; the reference below counts them by the year itself.
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../src/kernel/model/timestamp.js';

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The first implementation: the parts checked, then Date.parse of the string (its `+hhmm` offset given a colon). */
function byDateParse(value: string): number | undefined {
  const match = isoPattern.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map((part) => (part === undefined ? undefined : Number(part)));
  if (month! < 1 || month! > 12 || hour! > 23 || minute! > 59 || (second ?? 0) > 59) return undefined;
  const utc = new Date(Date.UTC(2000, month!, 0));
  utc.setUTCFullYear(year!, month!, 0);
  const daysInMonth = utc.getUTCDate();
  if (day! < 1 || day! > daysInMonth) return undefined;
  const ms = Date.parse(value.length > 0 && /[+-]\d{4}$/.test(value) ? `${value.slice(0, -2)}:${value.slice(-2)}` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

// A seeded generator (mulberry32), so a failure names a string that fails again.
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseTimestamp', () => {
  it('gives what Date.parse gave for edge cases: offsets, fractions, leap days, lower case, early years', () => {
    const cases = [
      '2026-03-01T09:30:00Z',
      '2026-03-01t09:30:00z',
      '2026-03-01T09:30Z',
      '2026-03-01T09:30:00.1Z',
      '2026-03-01T09:30:00.2509Z',
      '2026-03-01T09:30:00.999999999+01:00',
      '2026-03-01T09:30:00-0530',
      '2026-03-01T09:30:00+14:00',
      '2026-03-01T09:30:00+23:59',
      '2026-03-01T09:30:00+24:00',
      '2026-03-01T09:30:00+23:60',
      '2026-03-01T09:30:00-00:00',
      '2024-02-29T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2000-02-29T23:59:59+02:00',
      '1900-02-29T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '0000-02-29T12:00:00+01:00',
      '0004-02-29T00:00:00Z',
      '0001-02-29T00:00:00Z',
      '0050-03-01T09:30:00Z',
      '0099-12-31T23:59:59-12:00',
      '0100-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-03-01T24:00:00Z',
      '2026-03-01T23:60:00Z',
      '2026-03-01T23:59:60Z',
      '2026-03-01 09:30:00Z',
      '2026-03-01T09:30:00',
      '2026-03-01T09:30:00+0',
      '',
    ];
    for (const value of cases) expect(parseTimestamp(value), value).toBe(byDateParse(value));
    expect(parseTimestamp('2026-03-01T10:30:00+01:00')).toBe(Date.UTC(2026, 2, 1, 9, 30));
  });

  it('agrees with Date.parse on 100,000 generated strings, valid and not', () => {
    const next = random(23);
    const digits = (n: number, max: number) => String(Math.floor(next() * max)).padStart(n, '0');
    for (let i = 0; i < 100_000; i++) {
      const year = next() < 0.05 ? digits(4, 200) : digits(4, 10_000);
      const second =
        next() < 0.2 ? '' : `:${digits(2, 62)}${next() < 0.4 ? `.${digits(1 + Math.floor(next() * 9), 1e9).slice(0, 9)}` : ''}`;
      const offset =
        next() < 0.3 ? (next() < 0.5 ? 'Z' : 'z') : `${next() < 0.5 ? '+' : '-'}${digits(2, 26)}${next() < 0.5 ? ':' : ''}${digits(2, 62)}`;
      const value = `${year}-${digits(2, 14)}-${digits(2, 33)}${next() < 0.05 ? 't' : 'T'}${digits(2, 25)}:${digits(2, 61)}${second}${offset}`;
      expect(parseTimestamp(value), value).toBe(byDateParse(value));
    }
  });
});
