import { wallClock } from '../../kernel/model/local-day.js';
import type { WorkingHours } from '../../spec/signal-detector.js';

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

/**
 * How far `timeZone`'s local time is ahead of UTC at the instant `at`, in milliseconds, daylight saving included
 * (Sydney: 11 hours in November, 10 in July). Cached per zone and day, then hour.
 * @example timeZoneOffset('Asia/Kolkata', Date.parse('2026-11-20T10:00:00Z')) // 19_800_000 (5.5 hours)
 */
export function timeZoneOffset(timeZone: string, at: number): number {
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
  const firstOffset = timeZoneOffset(hours.timeZone, from);
  let dayStartLocal = Math.floor((from + firstOffset) / DAY) * DAY;
  for (; ; dayStartLocal += DAY) {
    const offset = timeZoneOffset(hours.timeZone, dayStartLocal - firstOffset + 12 * HOUR);
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
  const local = at + timeZoneOffset(hours.timeZone, at);
  const weekday = new Date(local).getUTCDay();
  const hour = (((local % DAY) + DAY) % DAY) / HOUR;
  return hours.days.includes(weekday) && hour >= hours.start && hour < hours.end;
}

/** Working hours between two instants. */
export const workingHoursBetween = (from: number, to: number, hours?: WorkingHours) => workingMsBetween(from, to, hours) / HOUR;

/** Where an instant falls in a working week: on a non-working day, on a working day outside its hours, or inside them. */
export type WorkingTime = 'off_day' | 'off_hours' | 'working';

/** Reads many instants of one range against one working week: see {@link workingTimeCalendar}. */
export interface WorkingTimeCalendar {
  /** Where `at` falls; the same answer as {@link isWithinWorkingHours} (and its all-day form for the day). */
  at(at: number): WorkingTime;
}

const CLASSES: readonly WorkingTime[] = ['off_day', 'off_hours', 'working'];
const EXACT = -1;

/**
 * The working week of `hours` over `[from, to)` as UTC intervals, built once (a few per local day), so that each of
 * many instants (a person's activity over weeks) is one binary search instead of a time-zone conversion. Built from
 * the same offsets as {@link isWithinWorkingHours}; an hour with a daylight-saving change in it, and any instant
 * outside the range, are read with it directly. Answers exactly as it does.
 */
export function workingTimeCalendar(hours: WorkingHours, from: number, to: number): WorkingTimeCalendar {
  // Boundaries, and the class of [bounds[i], bounds[i + 1]); EXACT marks an hour read instant by instant.
  const bounds: number[] = [];
  const classes: number[] = [];
  // Spans arrive in order, each starting where the last ended; neighbours of one class merge.
  const push = (start: number, end: number, value: number) => {
    if (end <= start) return;
    if (bounds.length === 0) bounds.push(start);
    if (classes.at(-1) === value) bounds[bounds.length - 1] = end;
    else {
      classes.push(value);
      bounds.push(end);
    }
  };
  const open = Math.max(0, Math.min(hours.start, 24)) * HOUR;
  const close = Math.max(0, Math.min(hours.end, 24)) * HOUR;
  // One span [start, end) with one offset: the local days it covers, each split at its working hours.
  const span = (start: number, end: number, offset: number) => {
    for (let day = Math.floor((start + offset) / DAY) * DAY; day - offset < end; day += DAY) {
      const dayStart = day - offset;
      const clip = (a: number, b: number, value: number) => push(Math.max(a, start), Math.min(b, end), value);
      if (!hours.days.includes(new Date(day).getUTCDay())) clip(dayStart, dayStart + DAY, 0);
      else if (close > open) {
        clip(dayStart, dayStart + open, 1);
        clip(dayStart + open, dayStart + close, 2);
        clip(dayStart + close, dayStart + DAY, 1);
      } else clip(dayStart, dayStart + DAY, 1);
    }
  };
  for (let day = Math.floor(from / DAY) * DAY; day < to; day += DAY) {
    const dayOffset = hours.timeZone === 'UTC' ? 0 : cached(byDay, hours.timeZone, day, DAY);
    if (!Number.isNaN(dayOffset)) {
      span(day, day + DAY, dayOffset);
      continue;
    }
    for (let hour = day; hour < day + DAY; hour += HOUR) {
      const offset = cached(byHour, hours.timeZone, hour, HOUR);
      if (Number.isNaN(offset)) push(hour, hour + HOUR, EXACT);
      else span(hour, hour + HOUR, offset);
    }
  }
  const exact = (at: number): WorkingTime =>
    isWithinWorkingHours(at, hours) ? 'working' : isWithinWorkingHours(at, { ...hours, start: 0, end: 24 }) ? 'off_hours' : 'off_day';
  const last = bounds.length - 1;
  return {
    at(at) {
      if (last < 1 || at < from || at >= to) return exact(at);
      // The last boundary not after `at` (the range's days cover [from, to)).
      let lo = 0;
      let hi = last - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (bounds[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      const value = classes[lo]!;
      return value === EXACT ? exact(at) : CLASSES[value]!;
    },
  };
}
