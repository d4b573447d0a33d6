import { addDays, isDay } from '../../kernel/model/local-day.js';
import { invalid } from '../../records/arguments.js';

// The window an allocation or a capacity plan reads: whole UTC days, both ends included.

export const DAY_MS = 86_400_000;

/** A window of whole days: `from` and `to` included; `start`/`end` its instants (`end` exclusive). */
export interface DayWindow {
  from: string;
  to: string;
  start: number;
  end: number;
  /** Mondays to Fridays in it. */
  weekdays: number;
}

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Whether a day (`YYYY-MM-DD`) is Monday to Friday. */
export const isWeekday = (day: string) => {
  const weekday = new Date(startOf(day)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

/** The Mondays to Fridays from `from` to `to`, both included. */
export function weekdaysBetween(from: string, to: string): number {
  let n = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) if (isWeekday(day)) n++;
  return n;
}

/** A day or an ISO timestamp as its UTC day; refused naming the field. */
function dayArgument(field: string, value: unknown): string {
  if (isDay(value)) return value;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value)) return dayOf(Date.parse(value));
  throw invalid(`${field}: expected a day (YYYY-MM-DD), e.g. 2026-11-02, got ${JSON.stringify(value)}`);
}

/** The window asked for: `to` defaults to today, `from` to `days - 1` days before `to`; refused when `from` is after `to`. */
export function dayWindow(from: unknown, to: unknown, now: Date, days: number): DayWindow {
  const last = to === undefined ? dayOf(now.getTime()) : dayArgument('to', to);
  const first = from === undefined ? addDays(last, -(days - 1)) : dayArgument('from', from);
  if (first > last) throw invalid(`from: ${first} is after to (${last}); give a from on or before the to`);
  if (startOf(last) - startOf(first) > 3 * 366 * DAY_MS) throw invalid('from: a window is at most three years; give a later from');
  return { from: first, to: last, start: startOf(first), end: startOf(last) + DAY_MS, weekdays: weekdaysBetween(first, last) };
}

/** The period a day falls in: its ISO week's Monday (`week`) or its month's first day (`month`). */
export function periodOf(day: string, by: 'week' | 'month'): string {
  if (by === 'month') return `${day.slice(0, 8)}01`;
  const weekday = (new Date(startOf(day)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** The last day of the period starting on `first`. */
export function periodEnd(first: string, by: 'week' | 'month'): string {
  if (by === 'week') return addDays(first, 6);
  const d = new Date(startOf(first));
  return dayOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
}
