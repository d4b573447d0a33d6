import { timeZoneOffset } from '@teamstate/core';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * When someone of the demo works: from `start` to `end` (milliseconds into their local day), Monday to Friday (their
 * local weekdays), in their time `zone` (an IANA name, with its summer time: Sydney is 11 hours ahead of UTC in
 * November and 10 in July) or, without one, `offset` ahead of UTC in milliseconds (0 when left out).
 */
export interface WorkingDay {
  start: number;
  end: number;
  zone?: string;
  offset?: number;
}

/** The local time (as milliseconds of a UTC clock) of the moment `at` for someone working `hours`. */
export const localOf = (at: number, hours: WorkingDay) =>
  at + (hours.zone === undefined ? (hours.offset ?? 0) : timeZoneOffset(hours.zone, at));

/** The moment of a local time (as milliseconds of a UTC clock) for someone working `hours`: its zone's offset then. */
export function momentOf(local: number, hours: WorkingDay): number {
  if (hours.zone === undefined) return local - (hours.offset ?? 0);
  // The offset at the moment itself: the one a first guess (the offset at `local` read as UTC) lands in.
  return local - timeZoneOffset(hours.zone, local - timeZoneOffset(hours.zone, local));
}

/** The workspace's default working hours, 09:00 to 17:00 (the demo's people have no time zone of their own: UTC). */
export const OFFICE_HOURS: WorkingDay = { start: 9 * HOUR, end: 17 * HOUR };

/** A working day of office hours, in milliseconds: "a day" of work in the demo's durations. */
export const WORKDAY = OFFICE_HOURS.end - OFFICE_HOURS.start;

const dayOf = (ms: number) => Math.floor(ms / DAY) * DAY;
/** Whether the UTC date of `ms` is Monday to Friday. */
export const isWeekday = (ms: number) => {
  const weekday = new Date(ms).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

/** The first moment at or after `at` that falls in `hours` of a weekday. */
export function nextWorking(at: number, hours: WorkingDay): number {
  const local = localOf(at, hours);
  let day = dayOf(local);
  if (isWeekday(day) && local - day < hours.end) return local - day >= hours.start ? at : momentOf(day + hours.start, hours);
  do day += DAY;
  while (!isWeekday(day));
  return momentOf(day + hours.start, hours);
}

/** The last moment at or before `at` that falls in `hours` of a weekday (a minute before they end, at the latest). */
export function previousWorking(at: number, hours: WorkingDay): number {
  const local = localOf(at, hours);
  let day = dayOf(local);
  if (isWeekday(day) && local - day >= hours.start)
    return local - day <= hours.end - 60_000 ? at : momentOf(day + hours.end - 60_000, hours);
  do day -= DAY;
  while (!isWeekday(day));
  return momentOf(day + hours.end - 60_000, hours);
}

/**
 * `at` plus `duration` of working time in `hours`: the clock stops in the evenings and at weekends, so a review four
 * hours after a pull request opened late on a Friday lands on Monday morning. Later than `at` for any positive duration.
 */
export function addWorking(at: number, duration: number, hours: WorkingDay): number {
  let from = nextWorking(at, hours);
  let left = duration;
  for (;;) {
    const closes = momentOf(dayOf(localOf(from, hours)) + hours.end, hours);
    if (left < closes - from) return from + left;
    left -= closes - from;
    from = nextWorking(closes, hours);
  }
}
