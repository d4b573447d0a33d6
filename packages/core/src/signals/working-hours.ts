import { wallClock } from '../model/local-day.js';
import type { WorkingHours } from '../spec/signal-detector.js';

export type { WorkingHours };

/** Monday to Friday, 09:00–17:00 UTC. */
export const DEFAULT_WORKING_HOURS: WorkingHours = { start: 9, end: 17, days: [1, 2, 3, 4, 5], timeZone: 'UTC' };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// The offset of a time zone from UTC at an instant, in ms (handles daylight saving).
function exactOffsetAt(timeZone: string, at: number): number {
  return wallClock(at, timeZone) - Math.floor(at / 1000) * 1000;
}

// Offsets per time zone and UTC day, then per UTC hour, each when the same at both ends (no daylight-saving change
// inside it; a zone changes at most once in a day): NaN marks a day or hour with a change, read per hour, then exactly.
// Reading a person's activity over weeks then costs two Intl calls per zone and day, not one per activity.
const byDay = new Map<string, Map<number, number>>();
const byHour = new Map<string, Map<number, number>>();
const MAX_OFFSETS = 100_000;

function cached(cache: Map<string, Map<number, number>>, timeZone: string, start: number, length: number): number {
  let zone = cache.get(timeZone);
  if (zone === undefined) {
    zone = new Map();
    cache.set(timeZone, zone);
  }
  let offset = zone.get(start);
  if (offset === undefined) {
    const first = exactOffsetAt(timeZone, start);
    offset = first === exactOffsetAt(timeZone, start + length) ? first : Number.NaN;
    if (zone.size >= MAX_OFFSETS) zone.clear();
    zone.set(start, offset);
  }
  return offset;
}

function offsetAt(timeZone: string, at: number): number {
  if (timeZone === 'UTC') return 0;
  const day = cached(byDay, timeZone, Math.floor(at / DAY) * DAY, DAY);
  if (!Number.isNaN(day)) return day;
  const hour = cached(byHour, timeZone, Math.floor(at / HOUR) * HOUR, HOUR);
  return Number.isNaN(hour) ? exactOffsetAt(timeZone, at) : hour;
}

/** Working milliseconds between two instants: only the working hours of working days count. */
export function workingMsBetween(from: number, to: number, hours: WorkingHours = DEFAULT_WORKING_HOURS): number {
  if (to <= from) return 0;
  let total = 0;
  // Walk local calendar days that overlap [from, to).
  const firstOffset = offsetAt(hours.timeZone, from);
  let dayStartLocal = Math.floor((from + firstOffset) / DAY) * DAY;
  for (; ; dayStartLocal += DAY) {
    const offset = offsetAt(hours.timeZone, dayStartLocal - firstOffset + 12 * HOUR);
    const dayStart = dayStartLocal - offset;
    if (dayStart >= to) break;
    if (hours.days.includes(new Date(dayStartLocal).getUTCDay())) {
      const open = Math.max(from, dayStart + hours.start * HOUR);
      const close = Math.min(to, dayStart + hours.end * HOUR);
      if (close > open) total += close - open;
    }
  }
  return total;
}

/**
 * Whether an instant falls in the working hours of a working day, in `hours.timeZone` (a person's own zone, for
 * wellbeing signals): the local weekday is one of `days` and the local time is in `[start, end)`.
 * @example isWithinWorkingHours(Date.parse('2026-11-21T10:00:00Z'), { ...DEFAULT_WORKING_HOURS, timeZone: 'Europe/Berlin' }) // false: a Saturday
 */
export function isWithinWorkingHours(at: number, hours: WorkingHours = DEFAULT_WORKING_HOURS): boolean {
  const local = at + offsetAt(hours.timeZone, at);
  const weekday = new Date(local).getUTCDay();
  const hour = (((local % DAY) + DAY) % DAY) / HOUR;
  return hours.days.includes(weekday) && hour >= hours.start && hour < hours.end;
}

/** Working hours between two instants. */
export const workingHoursBetween = (from: number, to: number, hours?: WorkingHours) => workingMsBetween(from, to, hours) / HOUR;
