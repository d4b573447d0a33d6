const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * When someone of the demo works: from `start` to `end` (milliseconds into their local day), Monday to Friday (their
 * local weekdays). `offset`: how far their local time is ahead of UTC, in milliseconds (0 when left out).
 */
export interface WorkingDay {
  start: number;
  end: number;
  offset?: number;
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
  const offset = hours.offset ?? 0;
  const local = at + offset;
  let day = dayOf(local);
  if (isWeekday(day) && local - day < hours.end) return day + Math.max(local - day, hours.start) - offset;
  do day += DAY;
  while (!isWeekday(day));
  return day + hours.start - offset;
}

/** The last moment at or before `at` that falls in `hours` of a weekday (a minute before they end, at the latest). */
export function previousWorking(at: number, hours: WorkingDay): number {
  const offset = hours.offset ?? 0;
  const local = at + offset;
  let day = dayOf(local);
  if (isWeekday(day) && local - day >= hours.start) return day + Math.min(local - day, hours.end - 60_000) - offset;
  do day -= DAY;
  while (!isWeekday(day));
  return day + hours.end - 60_000 - offset;
}

/**
 * `at` plus `duration` of working time in `hours`: the clock stops in the evenings and at weekends, so a review four
 * hours after a pull request opened late on a Friday lands on Monday morning. Later than `at` for any positive duration.
 */
export function addWorking(at: number, duration: number, hours: WorkingDay): number {
  let from = nextWorking(at, hours);
  let left = duration;
  const offset = hours.offset ?? 0;
  for (;;) {
    const closes = dayOf(from + offset) + hours.end - offset;
    if (left < closes - from) return from + left;
    left -= closes - from;
    from = nextWorking(closes, hours);
  }
}
