import { addDays, localDay, type SignalDetector } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { num } from './sql.js';
import { hoursOf, isWorkingDay, todayOf, WELLBEING_NOTE, wellbeingPeople, workingDaysBefore } from './wellbeing.js';

/** How far back a streak is read, in days (a streak longer than this reads as this long). */
const LOOK_BACK = 60;

/** Someone who has reported blockers day after day. */
export const personBlockedStreak: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.blocked_streak',
  title: 'Blocked day after day',
  description: `A person’s daily reports named blockers on \`workingDays\` or more working days running, up to their latest working day (today counts once its report is in; a working day without a report, or a report without blockers, ends the streak). ${WELLBEING_NOTE}`,
  defaults: { workingDays: 3 },
  wellbeing: true,
  incremental: { reads: ['people', 'memberships', 'reports'], drivenBy: 'time' },
  async detect(db, ctx) {
    const people = await wellbeingPeople(db, ctx);
    const today = localDay(ctx.now.getTime());
    const since = addDays(today, -LOOK_BACK);
    // A streak runs up to a person's latest working day: at most a week before their local today, itself a day either
    // side of UTC's. Only people with a blocker since then can have one (unless a threshold of 0 asks for everyone).
    const teams = [undefined, ...new Set([...people.values()].flatMap((p) => (p.team ? [p.team] : [])))];
    const least = Math.min(...teams.map((team) => num(ctx.settings(team).workingDays)));
    const recent = least >= 1 ? addDays(today, -8) : since;
    const reports = await db.all<{ person: string; day: string; blocked: number }>(
      sql`SELECT r.person_id AS person, r.day, (trim(COALESCE(r.blockers, '')) <> '') AS blocked
          FROM (SELECT DISTINCT person_id FROM reports WHERE workspace = ${ctx.workspace} AND day >= ${recent} AND trim(COALESCE(blockers, '')) <> '') c
          CROSS JOIN reports r ON r.workspace = ${ctx.workspace} AND r.person_id = c.person_id AND r.day >= ${since}
          ORDER BY r.person_id, r.day`,
    );
    const byPerson = new Map<string, Map<string, boolean>>();
    for (const r of reports) byPerson.set(r.person, (byPerson.get(r.person) ?? new Map()).set(r.day, r.blocked === 1));
    return [...byPerson].flatMap(([id, days]) => {
      const person = people.get(id);
      if (!person) return [];
      const team = person.team ?? undefined;
      const threshold = num(ctx.settings(team).workingDays);
      const hours = hoursOf(ctx, person);
      const today = todayOf(ctx, hours);
      // Today counts once its report is in; until then the streak is read up to the working day before.
      const candidates = [
        ...(isWorkingDay(today, hours) && days.has(today) ? [today] : []),
        ...workingDaysBefore(today, hours, { limit: LOOK_BACK }),
      ];
      const streak: string[] = [];
      for (const day of candidates) {
        if (days.get(day) !== true) break;
        streak.push(day);
      }
      if (streak.length < threshold) return [];
      const run = streak.reverse();
      return [
        {
          severity: 'info' as const,
          subject: { type: 'person' as const, id },
          team,
          title: `${person.name} has reported blockers ${run.length} working days running (since ${run[0]})`,
          evidence: { person: id, workingDays: run.length, threshold, since: run[0], days: run },
        },
      ];
    });
  },
};
