import type { SignalDetector } from '@teamstate/core';
import { columns, integer, nullable, raw, type Sql, sql, text } from '@teamstate/core/store';
import { percentileUnsorted } from '../common/percentile-unsorted.js';
import { blobBytes, humanDuration, num, numbersOf } from './sql.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ISSUE = raw("w.kind NOT IN ('pull_request', 'epic')");

/** A team's cycle times (ms) handed over as one BLOB, and the issues in progress that may be over its limit. */
const cycleRows = columns({ id: text, ms: blobBytes });
const candidateRows = columns({
  id: text,
  key: text,
  title: text,
  state: text,
  team: text,
  started: integer,
  assignees: nullable(text),
  row: integer,
});

/** Items in progress far longer than their team usually takes. */
export const itemAging: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'item.aging',
  title: 'Aging item',
  description:
    "An issue in progress for more than `factor` × its team's p85 cycle time (first move into progress → resolved, over the issues resolved in the last `days` days; at least `minSamples` of them), counted from its first move into progress.",
  defaults: { factor: 2, days: 90, minSamples: 5 },
  incremental: { reads: ['teams', 'work_items', 'transitions', 'work_item_assignees'], drivenBy: 'time' },
  async detect(db, ctx) {
    const now = ctx.now.getTime();
    // Each team's p85 cycle time over its own window, all teams in one statement with the team list: each team's cycle
    // times (in ms) as one text, read from the team-resolved covering index alone (an item's first move into progress
    // is stored with it: no sort, no item row, no transition), then its p85 selected and interpolated here as
    // `distributions` does (numpy’s default). Hours = ms / HOUR, as SQL divides. Read over the default window; a team
    // whose settings give another one is read again over its own.
    const cyclesFrom = (from: Sql) =>
      sql`CAST((SELECT group_concat(w.resolved_at - w.first_in_progress_at) FROM work_items w
          WHERE w.workspace = ${ctx.workspace} AND w.team_id = t.id AND w.resolved_at >= ${from} AND w.resolved_at < ${now}
            AND w.first_in_progress_at IS NOT NULL AND ${ISSUE}) AS BLOB)`;
    const defaultFrom = now - num(ctx.settings().days) * DAY;
    const teams = await db.all(
      cycleRows,
      // A window that is not a number matches nothing (NULL), as before.
      sql`SELECT t.id, ${cyclesFrom(sql`${Number.isFinite(defaultFrom) ? defaultFrom : null}`)} AS ms FROM teams t
          WHERE t.workspace = ${ctx.workspace} ORDER BY t.id`,
    );
    const own = Object.fromEntries(
      teams.flatMap(({ id }) => {
        const start = now - num(ctx.settings(id).days) * DAY;
        return start === defaultFrom ? [] : [[id, start]];
      }),
    );
    const cyclesByTeam = new Map(teams.map((t) => [t.id, t.ms]));
    if (Object.keys(own).length > 0)
      for (const { id, ms } of await db.all(
        cycleRows,
        sql`SELECT t.id, ${cyclesFrom(raw('t.start'))} AS ms FROM (SELECT key AS id, value AS start FROM json_each(${JSON.stringify(own)})) t`,
      ))
        cyclesByTeam.set(id, ms);
    const p85s = new Map<string, { p85: number; count: number }>();
    for (const { id: team } of teams) {
      // Tens of thousands of cycle times, read in place into a typed array (no JSON array of boxed numbers), in hours;
      // the two ranks of the p85 selected there, not sorted.
      const hours = numbersOf(cyclesByTeam.get(team) ?? null);
      for (let i = 0; i < hours.length; i++) hours[i]! /= HOUR;
      const p85 = percentileUnsorted(hours, 0.85);
      if (p85 !== null) p85s.set(team, { p85, count: hours.length });
    }
    // Each team's limit, and the issues in progress that may be over it: per team, a range of the status index
    // (team, first move into progress) before a bound a little later than the limit (never misses one; the exact
    // comparison is below), so only those rows are read, not every item in progress of the organisation.
    const limits = new Map<string, { p85: number; count: number; limitHours: number }>();
    for (const { id: team } of teams) {
      const settings = ctx.settings(team);
      const stats = p85s.get(team);
      if (stats === undefined || stats.count < num(settings.minSamples)) continue;
      limits.set(team, { ...stats, limitHours: num(settings.factor) * stats.p85 });
    }
    const before = Object.fromEntries(
      [...limits].map(([team, { limitHours }]) => [
        team,
        Number.isFinite(limitHours) ? now - Math.floor(limitHours * HOUR) + 2 : Number.MAX_SAFE_INTEGER,
      ]),
    );
    const candidates = await db.all(
      candidateRows,
      sql`SELECT w.id, w.key, w.title, w.state, w.team_id AS team, w.first_in_progress_at AS started, w.rowid AS row,
         (SELECT group_concat(a.person_id) FROM work_item_assignees a WHERE a.workspace = w.workspace AND a.work_item_id = w.id) AS assignees
       FROM json_each(${JSON.stringify(before)}) l CROSS JOIN work_items w
       WHERE w.workspace = ${ctx.workspace} AND w.status_category = 'in_progress' AND w.team_id = l.key AND w.first_in_progress_at < l.value
         AND ${ISSUE}`,
    );
    // In team order, then as stored (the order of a walk of the items in progress).
    const rank = new Map(teams.map(({ id }, i) => [id, i]));
    candidates.sort((a, b) => rank.get(a.team)! - rank.get(b.team)! || a.row - b.row);
    const found = [];
    for (const r of candidates) {
      const { p85, count, limitHours } = limits.get(r.team)!;
      const team = r.team;
      const age = now - r.started;
      if (age / HOUR <= limitHours) continue;
      found.push({
        severity: 'warning' as const,
        subject: { type: 'work_item' as const, id: r.id },
        team,
        title: `${r.key} has been in progress for ${humanDuration(age)}; ${team} usually finishes within ${humanDuration(p85 * HOUR)} (p85)`,
        evidence: {
          key: r.key,
          title: r.title,
          status: r.state,
          startedAt: new Date(r.started).toISOString(),
          // When the condition began: what the CLI shows as "Since".
          since: new Date(r.started).toISOString(),
          ageHours: Math.round((age / HOUR) * 10) / 10,
          teamP85Hours: Math.round(p85 * 10) / 10,
          samples: count,
          assignees: r.assignees ? r.assignees.split(',') : [],
        },
      });
    }
    return found;
  },
};
