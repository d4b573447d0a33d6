import { localDay, type SignalContext, type StoreReader, type WorkingHours } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { allPacked, byColumns } from './sql.js';

/** A person as the wellbeing detectors see them: their name, time zone and (first) team. */
export interface WellbeingPerson {
  id: string;
  name: string;
  time_zone: string | null;
  team: string | null;
}

/**
 * Every person of the workspace with their time zone and first team (by id), handed over as one JSON text; or only the
 * people `ids` names, each looked up by key (a detector that knows its few candidates reads no one else).
 */
export async function wellbeingPeople(db: StoreReader, ctx: SignalContext, ids?: readonly string[]): Promise<Map<string, WellbeingPerson>> {
  const rows = await allPacked<[id: string, name: string, timeZone: string | null, team: string | null]>(
    db,
    sql`SELECT json_group_array(json_array(p.id, p.name, p.time_zone,
          (SELECT min(m.team_id) FROM memberships m WHERE m.workspace = ${ctx.workspace} AND m.person_id = p.id))) AS packed
        FROM ${ids === undefined ? sql`people p WHERE p.workspace = ${ctx.workspace}` : sql`json_each(${JSON.stringify([...new Set(ids)])}) j CROSS JOIN people p ON p.workspace = ${ctx.workspace} AND p.id = j.value`}`,
  );
  return new Map(rows.sort(byColumns(0)).map(([id, name, time_zone, team]) => [id, { id, name, time_zone, team }]));
}

/** The working week in a person's own time zone (the workspace's zone when they have none). */
export const hoursOf = (ctx: SignalContext, person: WellbeingPerson): WorkingHours => ({
  ...ctx.workingHours,
  timeZone: person.time_zone ?? ctx.workingHours.timeZone,
});

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 of a `YYYY-MM-DD` day, and back. */
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayText = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
/** The weekday (0 = Sunday) of a day number: 1970-01-01 was a Thursday. */
const weekdayOf = (n: number) => (((n + 4) % 7) + 7) % 7;

/**
 * The working days before `day` (not `day` itself), newest first, at most a year back (a working week with no working
 * days must still end); lazily, so a caller that stops early (a streak that breaks) computes only the days it reads.
 */
export function* workingDaysBack(day: string, hours: WorkingHours): Generator<string> {
  const start = dayNumber(day);
  for (let d = start - 1; d >= start - 366; d--) if (hours.days.includes(weekdayOf(d))) yield dayText(d);
}

/** The working days before `day` (not `day` itself), newest first, as far back as `stop` (exclusive) or `limit` days. */
export function workingDaysBefore(day: string, hours: WorkingHours, options: { limit: number; stop?: string }): string[] {
  const days: string[] = [];
  if (options.limit <= 0) return days;
  for (const d of workingDaysBack(day, hours)) {
    if (options.stop !== undefined && d <= options.stop) break;
    days.push(d);
    if (days.length >= options.limit) break;
  }
  return days;
}

/** Whether a day is a working day of the week. */
export const isWorkingDay = (day: string, hours: WorkingHours) => hours.days.includes(weekdayOf(dayNumber(day)));

// A person's local day at the detector's now, once per time zone and detector run (each is a time-zone conversion).
const todays = new WeakMap<SignalContext, Map<string, string>>();

/** The person's local day at the detector's now. */
export function todayOf(ctx: SignalContext, hours: WorkingHours): string {
  const zones = todays.get(ctx) ?? new Map<string, string>();
  todays.set(ctx, zones);
  const key = `${ctx.now.getTime()} ${hours.timeZone}`;
  const day = zones.get(key) ?? localDay(ctx.now.getTime(), hours.timeZone);
  zones.set(key, day);
  return day;
}

/** "09:00": an hour of the day, for titles. */
const clock = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** "09:00-17:00": the working hours of a day, for titles. */
export const hoursRange = (hours: WorkingHours) => `${clock(hours.start)}-${clock(hours.end)}`;

/** Said in every wellbeing detector's definition. */
export const WELLBEING_NOTE =
  'A wellbeing signal: a prompt for a conversation with the person, never a score of a human; shown per the policy’s privacy.wellbeing, and never for someone who opted out.';
