import { addDays, localDay, type SignalDetector } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { allPacked, byColumns, num } from './sql.js';
import { hoursOf, todayOf, WELLBEING_NOTE, type WellbeingPerson, workingDaysBefore } from './wellbeing.js';

/** Someone who has not filed a daily report for a while, in a team whose members write them. */
export const personNoReports: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.no_reports',
  title: 'No daily report lately',
  description: `A person filed no daily report on their last \`workingDays\` working days (today, still under way, is not counted against them; a report today ends it), in a team where members filed reports in the last \`recentDays\` days. ${WELLBEING_NOTE}`,
  defaults: { workingDays: 3, recentDays: 14 },
  wellbeing: true,
  incremental: { reads: ['people', 'memberships', 'reports'], drivenBy: 'time' },
  async detect(db, ctx) {
    const w = ctx.workspace;
    const today = localDay(ctx.now.getTime());
    // Every membership with the day of the person's latest report (one seek in the person/day index each) and the
    // person (name, time zone) looked up by key; a team writes reports when one of its members filed one lately, i.e.
    // the latest of its members' latest days.
    const members = (
      await allPacked<[person: string, team: string, lastDay: string | null, known: string | null, name: string, timeZone: string | null]>(
        db,
        sql`SELECT json_group_array(json_array(m.person_id, m.team_id,
              (SELECT max(r.day) FROM reports r WHERE r.workspace = m.workspace AND r.person_id = m.person_id), p.id, p.name, p.time_zone)) AS packed
            FROM memberships m LEFT JOIN people p ON p.workspace = m.workspace AND p.id = m.person_id WHERE m.workspace = ${w}`,
      )
    ).sort(byColumns(0, 1));
    // Each person as the wellbeing detectors see them, with their first team (the least by id: the members are sorted).
    const people = new Map<string, WellbeingPerson>();
    for (const [id, team, , known, name, time_zone] of members)
      if (known !== null && !people.has(id)) people.set(id, { id, name, time_zone, team });
    const recentDay = new Map<string, string>();
    for (const [, team, last] of members) if (last !== null && last > (recentDay.get(team) ?? '')) recentDay.set(team, last);
    // A team writes reports when one of its members filed one in the last `recentDays` days (once per team).
    const writes = new Map<string, boolean>();
    const writesReports = (team: string) => {
      const recent = recentDay.get(team);
      const known = writes.get(team) ?? (recent !== undefined && recent >= addDays(today, -num(ctx.settings(team).recentDays)));
      writes.set(team, known);
      return known;
    };
    const found = new Map<string, { team: string; last: string | null }>();
    for (const [person, team, last] of members) if (!found.has(person) && writesReports(team)) found.set(person, { team, last });
    // The first day a last report must be before to leave `threshold` working days without one (once per today and
    // threshold): a report on it or later leaves fewer calendar days before today, so no working days are walked.
    const cutoffs = new Map<string, string>();
    const tooRecent = (last: string, personToday: string, threshold: number) => {
      if (!Number.isInteger(threshold) || threshold < 1) return false;
      const key = `${personToday} ${threshold}`;
      const cutoff = cutoffs.get(key) ?? addDays(personToday, -threshold);
      cutoffs.set(key, cutoff);
      return last >= cutoff;
    };
    return [...found].flatMap(([id, { team, last }]) => {
      const person = people.get(id);
      if (!person) return [];
      const threshold = num(ctx.settings(team).workingDays);
      const hours = hoursOf(ctx, person);
      const personToday = todayOf(ctx, hours);
      if (last !== null && (last >= personToday || tooRecent(last, personToday, threshold))) return [];
      const missed = workingDaysBefore(personToday, hours, { limit: 366, ...(last === null ? {} : { stop: last }) });
      if (missed.length < threshold) return [];
      return [
        {
          severity: 'info' as const,
          subject: { type: 'person' as const, id },
          team,
          title:
            last === null
              ? `No daily report from ${person.name} on record; their team writes them`
              : `No daily report from ${person.name} for ${missed.length} working days (the last was for ${last})`,
          evidence: {
            person: id,
            workingDays: last === null ? null : missed.length,
            threshold,
            lastReportDay: last,
            since: last === null ? null : missed.at(-1),
          },
        },
      ];
    });
  },
};
