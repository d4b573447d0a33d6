import { z } from 'zod';
import { TeamStateError } from '../errors.js';

// Days and time zones of people (docs/daily-reports.md): a daily report belongs to the person's local day.

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const ZONE_PATTERN = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
const DAY_MS = 86_400_000;

/** True for a calendar day written `YYYY-MM-DD` that exists (`2026-02-30` does not). */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * True for an IANA time zone name that this runtime knows (`Europe/Berlin`, `America/New_York`, `UTC`);
 * UTC offsets such as `+01:00` are not time zones (they ignore daylight saving).
 */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64 || !ZONE_PATTERN.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A day `YYYY-MM-DD`. */
export const daySchema = z
  .string({ error: 'expected a day as YYYY-MM-DD, e.g. 2026-03-02' })
  .refine(isDay, { error: 'expected a day as YYYY-MM-DD, e.g. 2026-03-02' })
  .meta({ format: 'date', description: 'A calendar day, YYYY-MM-DD' });

/** An IANA time zone name. */
export const timeZoneSchema = z
  .string({ error: 'expected an IANA time zone, e.g. Europe/Berlin' })
  .refine(isTimeZone, { error: 'expected an IANA time zone, e.g. Europe/Berlin or America/New_York (not an offset such as +01:00)' })
  .meta({ description: 'IANA time zone name, e.g. Europe/Berlin' });

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    // A zone Intl does not know is one clear error naming the field and the fix, not Intl's bare RangeError.
    if (!isTimeZone(timeZone))
      throw new TeamStateError(
        'invalid_argument',
        `timeZone: expected an IANA time zone such as "Europe/Berlin" or "America/New_York", got ${JSON.stringify(timeZone)}`,
      );
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** The wall-clock time of an instant in a time zone, as if it were UTC (epoch ms, whole seconds). */
export function wallClock(at: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(at))
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dayOfUtc = (ms: number) => {
  const date = new Date(ms);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
};

/** The day (`YYYY-MM-DD`) an instant falls on in a time zone. */
export function localDay(at: number, timeZone = 'UTC'): string {
  return dayOfUtc(wallClock(at, timeZone));
}

/** The day `days` after (or before, when negative) a day. */
export function addDays(day: string, days: number): string {
  return dayOfUtc(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** The instant a local day starts in a time zone (epoch ms); daylight saving shifts are accounted for. */
export function startOfLocalDay(day: string, timeZone = 'UTC'): number {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  // Two passes: the offset at a first guess, then at the corrected instant (they differ across a DST change).
  let start = midnight - (wallClock(midnight, timeZone) - midnight);
  start = midnight - (wallClock(start, timeZone) - start);
  return start;
}

/** `[start, end)` of a local day in a time zone (epoch ms). */
export function localDayRange(day: string, timeZone = 'UTC'): [number, number] {
  return [startOfLocalDay(day, timeZone), startOfLocalDay(addDays(day, 1), timeZone)];
}
