import type { SignalDetector } from '@teamstate/core';
import { raw, sql } from '@teamstate/core/store';
import { humanDuration, num } from './sql.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ISSUE = raw("w.kind NOT IN ('pull_request', 'epic')");
const FIRST_IN_PROGRESS = raw(
  "(SELECT min(t.at) FROM transitions t WHERE t.workspace = w.workspace AND t.work_item_id = w.id AND t.to_category = 'in_progress')",
);

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
    const teams = await db.all<{ id: string }>(sql`SELECT id FROM teams WHERE workspace = ${ctx.workspace} ORDER BY id`);
    // Each team's p85 cycle time over its own window, all teams in one statement: each team's cycle times (in ms) as one
    // JSON array, read from the team-resolved covering index and the in-progress index (no sort, no item row), then
    // sorted and interpolated here as `distributions` does (numpy's default). Hours = ms / HOUR, as SQL divides.
    const from = Object.fromEntries(teams.map(({ id }) => [id, now - num(ctx.settings(id).days) * DAY]));
    const cycles = await db.all<{ team: string; ms: string | null }>(
      sql`SELECT s.key AS team,
            (SELECT json_group_array(w.resolved_at - ${FIRST_IN_PROGRESS}) FROM work_items w
              WHERE w.workspace = ${ctx.workspace} AND w.team_id = s.key AND w.resolved_at >= s.value AND w.resolved_at < ${now} AND ${ISSUE}) AS ms
          FROM json_each(${JSON.stringify(from)}) s`,
    );
    const cyclesByTeam = new Map(cycles.map((c) => [c.team, c.ms]));
    const p85s = new Map<string, { p85: number; count: number }>();
    for (const { id: team } of teams) {
      const sorted = (JSON.parse(cyclesByTeam.get(team) ?? '[]') as (number | null)[])
        .flatMap((ms) => (ms === null ? [] : [ms / HOUR]))
        .sort((x, y) => x - y);
      const count = sorted.length;
      if (count === 0) continue;
      const position = (count - 1) * 0.85;
      const lo = Math.floor(position);
      const low = sorted[lo]!;
      const fraction = position - lo;
      p85s.set(team, { p85: fraction === 0 ? low : low + (sorted[lo + 1]! - low) * fraction, count });
    }
    // Every issue in progress of a team, in one statement (through the status index), then compared with its team's.
    const candidates = await db.all<{
      id: string;
      key: string;
      title: string;
      state: string;
      team: string | null;
      started: number | null;
      assignees: string | null;
    }>(
      sql`SELECT w.id, w.key, w.title, w.state, w.team_id AS team, ${FIRST_IN_PROGRESS} AS started,
         (SELECT group_concat(a.person_id) FROM work_item_assignees a WHERE a.workspace = w.workspace AND a.work_item_id = w.id) AS assignees
       FROM work_items w WHERE w.workspace = ${ctx.workspace} AND w.status_category = 'in_progress' AND ${ISSUE}`,
    );
    const byTeam = new Map<string, typeof candidates>();
    for (const r of candidates) if (r.team !== null) byTeam.set(r.team, [...(byTeam.get(r.team) ?? []), r]);
    const found = [];
    for (const { id: team } of teams) {
      const settings = ctx.settings(team);
      const stats = p85s.get(team);
      if (stats === undefined || stats.count < num(settings.minSamples)) continue;
      const { p85, count } = stats;
      const limitHours = num(settings.factor) * p85;
      for (const r of byTeam.get(team) ?? []) {
        if (r.started === null) continue;
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
    }
    return found;
  },
};
