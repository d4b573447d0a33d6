import { z } from 'zod';

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysInMonth = (year: number, month: number) => (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!);

/**
 * Parses an ISO 8601 timestamp that carries a UTC offset (`Z`, `+02:00`, `-0530`) into epoch milliseconds (fractions
 * of a millisecond dropped). Returns `undefined` for anything else, including impossible dates such as `2026-02-30`
 * and offsets past ±23:59. Computed from the parts (a sync parses every timestamp of every record twice).
 */
export function parseTimestamp(value: string): number | undefined {
  const match = isoPattern.exec(value);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = match[6] === undefined ? 0 : Number(match[6]);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  let offsetMinutes = 0;
  if (match[8] === undefined) {
    const offsetHours = Number(match[10]);
    const offsetRest = Number(match[11]);
    if (offsetHours > 23 || offsetRest > 59) return undefined;
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetRest);
  }
  const fraction = match[7] === undefined ? 0 : Number(match[7].slice(0, 3).padEnd(3, '0'));
  const at = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
  // Date.UTC reads the years 0-99 as 1900-1999.
  return (year < 100 ? new Date(at).setUTCFullYear(year, month - 1, day) : at) - offsetMinutes * 60_000;
}

/** Formats epoch milliseconds as a UTC ISO 8601 instant. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

/** An ISO 8601 timestamp with a UTC offset; stored and compared as a UTC instant. */
export const timestampSchema = z
  .string({ error: 'expected an ISO 8601 timestamp string' })
  .refine((value) => parseTimestamp(value) !== undefined, {
    error: 'invalid ISO timestamp (expected e.g. 2026-03-01T09:30:00Z or 2026-03-01T10:30:00+01:00)',
  })
  .meta({ format: 'date-time', description: 'ISO 8601 timestamp with a UTC offset' });
