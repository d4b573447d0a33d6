import { type SignalDetector, type WorkingTimeCalendar, workingTimeCalendar } from '@teamstate/core';
import { columns, sql } from '@teamstate/core/store';
import { blobBytes, blobText, jsonArrayOf, num } from './sql.js';
import { hoursOf, hoursRange, WELLBEING_NOTE, wellbeingPeople } from './wellbeing.js';

const DAY = 86_400_000;
const COMMA = 44;
const SEMICOLON = 59;
const ascii = new TextDecoder();

/**
 * Each person's times from what the activity query hands over: `persons` (one per row) and `times`, the bytes of a text
 * of the rows' numbers as SQLite writes them (ASCII), `;` between rows and `,` between one row's. Read in place, without
 * a string per row or per number (430,000 numbers at full size).
 */
export function timesByPerson(persons: readonly string[], times: Uint8Array): Map<string, number[]> {
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
      const code = end < times.length ? times[end]! : SEMICOLON;
      if (code === COMMA || code === SEMICOLON) {
        // The two texts come from one pass over the same rows: a gap is a bug to report, never a time of 0.
        if (end === from) throw new Error(`person.after_hours: row ${row + 1} of ${persons.length} has no time in its text`);
        // A real (or a sign) is rare: read as written.
        all.push(digits ? value : Number(ascii.decode(times.subarray(from, end))));
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

/**
 * The window's activity: its people (a JSON array) and their times, `;` between people and `,` between one's times, as
 * BLOBs (see `blobText`).
 */
const activityRows = columns({ people: blobText, times: blobBytes });

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
    const now = ctx.now.getTime();
    const w = ctx.workspace;
    // The activity ts.timeline shows (deployments aside: a pipeline, not the person, ships them), read from the rows
    // themselves, window first: pull requests opened (the window's items by work_items_created_idx, each one's row for
    // its kind and author) and merged (one range of work_items_pr_merged_author_idx), reviews of others' items (one range
    // of reviews_submitted_idx, each one's item by key for its author), grouped by person once; and the moves of issues
    // assigned to each person (the person's assignments, then each item's moves in the window by the transitions' key).
    // Order does not matter: each time is classified on its own. Handed over as two texts: the people as one JSON array,
    // and their times as SQLite writes numbers (`;` between people, `,` between one person's times). The inner query
    // keeps its `LIMIT -1` (no limit): SQLite does not flatten a subquery with a LIMIT into an aggregate, so each
    // person's acts and moves are read once.
    const activity = (from: number) =>
      db.get(
        activityRows,
        sql`WITH a AS MATERIALIZED (SELECT person, group_concat(at) AS acts FROM (
              SELECT i.author_id AS person, i.created_at AS at FROM work_items i INDEXED BY work_items_created_idx
                WHERE i.workspace = ${w} AND i.created_at >= ${from} AND i.created_at < ${now} AND i.kind = 'pull_request' AND i.author_id IS NOT NULL
              UNION ALL SELECT m.author_id, m.merged_at FROM work_items m INDEXED BY work_items_pr_merged_author_idx
                WHERE m.workspace = ${w} AND m.merged_at >= ${from} AND m.merged_at < ${now} AND m.kind = 'pull_request' AND m.author_id IS NOT NULL
              UNION ALL SELECT r.reviewer_id, r.submitted_at FROM reviews r INDEXED BY reviews_submitted_idx
                CROSS JOIN work_items ri ON ri.workspace = r.workspace AND ri.id = r.work_item_id
                WHERE r.workspace = ${w} AND r.submitted_at >= ${from} AND r.submitted_at < ${now} AND r.reviewer_id IS NOT ri.author_id)
            GROUP BY person)
          SELECT CAST(json_group_array(id) AS BLOB) AS people, CAST(group_concat(times, ';') AS BLOB) AS times FROM (
            SELECT id, coalesce(acts || ',' || moves, acts, moves) AS times FROM (
              SELECT p.id, (SELECT a.acts FROM a WHERE a.person = p.id) AS acts,
                (SELECT group_concat(t.at) FROM work_item_assignees s
                  CROSS JOIN transitions t ON t.workspace = s.workspace AND t.work_item_id = s.work_item_id
                  CROSS JOIN work_items i ON i.workspace = s.workspace AND i.id = s.work_item_id
                  WHERE s.workspace = p.workspace AND s.person_id = p.id AND t.at >= ${from} AND t.at < ${now} AND i.kind <> 'pull_request') AS moves
                FROM people p WHERE p.workspace = ${w} LIMIT -1))
          WHERE times IS NOT NULL`,
      );
    // Read side by side with the people: the window everyone gets; read again only when a team asks for a longer one
    // (each person's own window is applied below).
    const everyone = now - num(ctx.settings().days) * DAY;
    const [people, first] = await Promise.all([wellbeingPeople(db, ctx), activity(everyone)]);
    const teams = new Set([...people.values()].flatMap((p) => (p.team ? [p.team] : [])));
    const from = Math.min(everyone, ...[...teams].map((team) => now - num(ctx.settings(team).days) * DAY));
    const row = from < everyone ? await activity(from) : first;
    const byPerson = timesByPerson(jsonArrayOf<string>(row?.people), row?.times ?? new Uint8Array(0));
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
        // Indexed, not for…of: a detector runs once per refresh, mostly before it is optimized, and an iterator there
        // makes an object per time (417,000 at full size).
        for (let i = 0; i < times.length; i++) {
          const at = times[i]!;
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
