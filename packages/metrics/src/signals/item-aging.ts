import type { SignalDetector } from '@teamstate/core';
import { raw, sql } from '@teamstate/core/store';
import { distributions } from '../shared/distribution.js';
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
    const found = [];
    for (const { id: team } of teams) {
      const settings = ctx.settings(team);
      const { cycle } = await distributions(
        db,
        sql`SELECT (w.resolved_at - ${FIRST_IN_PROGRESS}) / ${HOUR * 1.0} AS cycle FROM work_items w
            WHERE w.workspace = ${ctx.workspace} AND w.team_id = ${team} AND ${ISSUE}
            AND w.resolved_at >= ${now - num(settings.days) * DAY} AND w.resolved_at < ${now}`,
        ['cycle'],
        [0.85],
      );
      const p85 = cycle.percentiles.get(0.85);
      if (p85 === null || p85 === undefined || cycle.count < num(settings.minSamples)) continue;
      const limitHours = num(settings.factor) * p85;
      const aging = await db.all<{
        id: string;
        key: string;
        title: string;
        state: string;
        started: number | null;
        assignees: string | null;
      }>(
        sql`SELECT w.id, w.key, w.title, w.state, ${FIRST_IN_PROGRESS} AS started,
           (SELECT group_concat(a.person_id) FROM work_item_assignees a WHERE a.workspace = w.workspace AND a.work_item_id = w.id) AS assignees
         FROM work_items w WHERE w.workspace = ${ctx.workspace} AND w.team_id = ${team} AND ${ISSUE} AND w.status_category = 'in_progress'`,
      );
      for (const r of aging) {
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
            samples: cycle.count,
            assignees: r.assignees ? r.assignees.split(',') : [],
          },
        });
      }
    }
    return found;
  },
};
