import { addDays, localDay, type SignalDetector } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { allPacked, byColumns, num } from './sql.js';
import { hoursOf, isWorkingDay, todayOf, WELLBEING_NOTE, wellbeingPeople, workingDaysBack } from './wellbeing.js';

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
    // Both reads from indexes alone (never a report's row: its text). The blocked days, through the partial index of
    // reports with a blocker; then, for the people blocked lately (in id order), whether they reported around today
    // (their local today is a day either side of UTC's at most): a streak is blocked days back from today, or from
    // the working day before while today's report is not in.
    const blocked = await allPacked<[person: string, day: string]>(
      db,
      sql`SELECT json_group_array(json_array(person_id, day)) AS packed FROM reports INDEXED BY reports_blocked_day_idx
          WHERE workspace = ${ctx.workspace} AND day >= ${since} AND trim(COALESCE(blockers, '')) <> ''`,
    );
    const blockedDays = new Map<string, string[]>();
    const candidates = new Set<string>();
    for (const [person, day] of blocked) {
      const days = blockedDays.get(person);
      if (days) days.push(day);
      else blockedDays.set(person, [day]);
      if (day >= recent) candidates.add(person);
    }
    const around =
      candidates.size === 0
        ? []
        : await allPacked<[person: string, day: string | null]>(
            db,
            sql`SELECT json_group_array(json_array(c.value, r.day)) AS packed FROM json_each(${JSON.stringify([...candidates])}) c
                LEFT JOIN reports r ON r.workspace = ${ctx.workspace} AND r.person_id = c.value AND r.day >= ${addDays(today, -1)} AND r.day <= ${addDays(today, 1)}`,
          );
    around.sort(byColumns(0, 1));
    // Each person's report days that matter: blocked (true) or not (false).
    const byPerson = new Map<string, Map<string, boolean>>();
    for (const [person, day] of around) {
      const days = byPerson.get(person) ?? new Map(blockedDays.get(person)!.map((d) => [d, true]));
      if (day !== null && !days.has(day)) days.set(day, false);
      byPerson.set(person, days);
    }
    return [...byPerson].flatMap(([id, days]) => {
      const person = people.get(id);
      if (!person) return [];
      const team = person.team ?? undefined;
      const threshold = num(ctx.settings(team).workingDays);
      const hours = hoursOf(ctx, person);
      const today = todayOf(ctx, hours);
      // Today counts once its report is in; until then the streak is read up to the working day before. The days back
      // are produced only until the streak breaks.
      const counted = isWorkingDay(today, hours) && days.has(today);
      const streak: string[] = [];
      if (!counted || days.get(today) === true) {
        if (counted) streak.push(today);
        let read = 0;
        for (const day of workingDaysBack(today, hours)) {
          if (read++ >= LOOK_BACK || days.get(day) !== true) break;
          streak.push(day);
        }
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
