import { type SignalDetector, type WorkingTimeCalendar, workingTimeCalendar } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { ITEM_PEOPLE_INDEX, num } from './sql.js';
import { hoursOf, hoursRange, WELLBEING_NOTE, wellbeingPeople } from './wellbeing.js';

const DAY = 86_400_000;
const COMMA = 44;
const SEMICOLON = 59;

/**
 * Each person's times from the two texts the activity query hands over: `persons` (one per row) and `times`, the rows'
 * numbers as SQLite writes them, `;` between rows and `,` between one row's. Read in place, without a string per row or
 * per number (430,000 numbers at full size).
 */
export function timesByPerson(persons: readonly string[], times: string): Map<string, number[]> {
  const byPerson = new Map<string, number[]>();
  let from = 0;
  for (let row = 0; row < persons.length; row++) {
    const person = persons[row]!;
    let all = byPerson.get(person);
    if (all === undefined) {
      all = [];
      byPerson.set(person, all);
    }
    let value = 0;
    let digits = true;
    for (let end = from; ; end++) {
      const code = end < times.length ? times.charCodeAt(end) : SEMICOLON;
      if (code === COMMA || code === SEMICOLON) {
        // The two texts come from one pass over the same rows: a gap is a bug to report, never a time of 0.
        if (end === from) throw new Error(`person.after_hours: row ${row + 1} of ${persons.length} has no time in its text`);
        // A real (or a sign) is rare: read as written.
        all.push(digits ? value : Number(times.slice(from, end)));
        value = 0;
        digits = true;
        from = end + 1;
        if (code === SEMICOLON) break;
      } else if (code >= 48 && code <= 57) value = value * 10 + (code - 48);
      else digits = false;
    }
  }
  if (from < times.length) throw new Error(`person.after_hours: more rows of times than the ${persons.length} people`);
  return byPerson;
}

/** One branch of the activity: its people (a JSON array) and their times, `;` between rows. */
interface Activity {
  people: string;
  times: string | null;
}

/** A person whose activity happens more and more outside their working hours. */
export const personAfterHours: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.after_hours',
  title: 'May be working late',
  description: `More than \`share\` of a person’s activity in the last \`days\` days (at least \`minActivities\` of it: pull requests opened, merged and reviewed, issues assigned to them moved) fell outside their working hours or on a non-working day, read in their own time zone (the workspace’s working hours, in the person’s timeZone). ${WELLBEING_NOTE}`,
  defaults: { share: 0.3, minActivities: 10, days: 14 },
  wellbeing: true,
  incremental: { reads: ['people', 'memberships', 'work_items', 'reviews', 'transitions', 'work_item_assignees'], drivenBy: 'time' },
  async detect(db, ctx) {
    const people = await wellbeingPeople(db, ctx);
    const now = ctx.now.getTime();
    // One window, the longest any team asks for; each person's own window is applied below.
    const teams = [undefined, ...new Set([...people.values()].flatMap((p) => (p.team ? [p.team] : [])))];
    const from = now - Math.max(...teams.map((team) => num(ctx.settings(team).days))) * DAY;
    const w = ctx.workspace;
    // The activity ts.timeline shows (deployments aside: a pipeline, not the person, ships them). Every branch is a
    // range of a time index (created, merged, submitted, moved; the first two covering). The window's reviews and moves
    // are sorted by item first, so their items' people (and assignees) are looked up in key order: at 10,000 engineers
    // a look-up in time order misses the cache (moves 1.3-1.5 s, sorted first 0.55 s). The moves are grouped by item
    // as well: an issue moves two to three times in 14 days, and its row and assignees are looked up once (748 → 621 ms
    // for that branch at full size). Each statement hands its rows over as two texts: the people as one JSON array, and
    // their times as numbers (`;` between rows, `,` between one row's times). At full size that is 430,000 times, and
    // a JSON array of [person, [times]] pairs cost 100 ms to build and 80 ms to parse, besides its garbage.
    const packed = sql`json_group_array(person) AS people, group_concat(times, ';') AS times`;
    // Three statements run side by side (a refresh reads on a connection per core): the pull requests opened and
    // merged, the reviews, the moves.
    const branches = await Promise.all([
      db.get<Activity>(
        sql`SELECT ${packed} FROM (
          SELECT author_id AS person, created_at AS times FROM work_items
            WHERE workspace = ${w} AND kind = 'pull_request' AND author_id IS NOT NULL AND created_at >= ${from} AND created_at < ${now}
          UNION ALL
          SELECT author_id, merged_at FROM work_items
            WHERE workspace = ${w} AND kind = 'pull_request' AND author_id IS NOT NULL AND merged_at >= ${from} AND merged_at < ${now})`,
      ),
      db.get<Activity>(
        sql`WITH window_reviews AS MATERIALIZED (SELECT work_item_id, reviewer_id, submitted_at FROM reviews
            WHERE workspace = ${w} AND submitted_at >= ${from} AND submitted_at < ${now} ORDER BY work_item_id)
          SELECT ${packed} FROM (SELECT rv.reviewer_id AS person, rv.submitted_at AS times FROM window_reviews rv
            CROSS JOIN work_items i ${ITEM_PEOPLE_INDEX} ON i.workspace = ${w} AND i.id = rv.work_item_id
            WHERE i.author_id IS NOT rv.reviewer_id)`,
      ),
      db.get<Activity>(
        sql`WITH window_moves AS MATERIALIZED (SELECT work_item_id, group_concat(at) AS times FROM transitions
            WHERE workspace = ${w} AND at >= ${from} AND at < ${now} GROUP BY work_item_id)
          SELECT ${packed} FROM (SELECT a.person_id AS person, tr.times FROM window_moves tr
            CROSS JOIN work_items i ${ITEM_PEOPLE_INDEX} ON i.workspace = ${w} AND i.id = tr.work_item_id
            CROSS JOIN work_item_assignees a ON a.workspace = ${w} AND a.work_item_id = tr.work_item_id
            WHERE i.kind <> 'pull_request')`,
      ),
    ]);
    const byPerson = new Map<string, number[]>();
    for (const row of branches)
      for (const [person, times] of timesByPerson(JSON.parse(row?.people ?? '[]') as string[], row?.times ?? '')) {
        const all = byPerson.get(person);
        if (all === undefined) byPerson.set(person, times);
        else for (const at of times) all.push(at);
      }
    const calendars = new Map<string, WorkingTimeCalendar>();
    return [...byPerson]
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([id, times]) => {
        const person = people.get(id);
        if (!person) return [];
        const team = person.team ?? undefined;
        const settings = ctx.settings(team);
        const days = num(settings.days);
        const threshold = num(settings.share);
        const hours = hoursOf(ctx, person);
        const calendar = calendars.get(hours.timeZone) ?? workingTimeCalendar(hours, from, now);
        calendars.set(hours.timeZone, calendar);
        const since = now - days * DAY;
        let activities = 0;
        let outside = 0;
        let weekend = 0;
        for (const at of times) {
          if (at < since) continue;
          activities++;
          const when = calendar.at(at);
          if (when !== 'working') outside++;
          if (when === 'off_day') weekend++;
        }
        const share = activities === 0 ? 0 : outside / activities;
        if (activities < num(settings.minActivities) || share <= threshold) return [];
        return [
          {
            severity: 'info' as const,
            subject: { type: 'person' as const, id },
            team,
            title: `${person.name} may be working late: ${outside} of ${activities} activities outside ${hoursRange(hours)} ${hours.timeZone} in the last ${days} days`,
            evidence: {
              person: id,
              activities,
              outside,
              weekend,
              share: Math.round(share * 1000) / 1000,
              threshold,
              days,
              timeZone: hours.timeZone,
              workingHours: hoursRange(hours),
            },
          },
        ];
      });
  },
};
