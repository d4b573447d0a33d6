import type { SignalDetector } from '@teamstate/core';
import { columns, integer, real, sql, text } from '@teamstate/core/store';
import { num } from './sql.js';

const DAY = 86_400_000;

/** Active sprints whose burn so far will not finish the committed points by the end. */
export const sprintAtRisk: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'sprint.at_risk',
  title: 'Sprint at risk',
  description:
    'An active sprint, at least `minElapsed` of the way through, where the committed points done so far, extended at the same daily rate to the end date, fall short of the committed points by more than `tolerance` (critical below 60%).',
  defaults: { minElapsed: 0.2, tolerance: 0.1 },
  incremental: { reads: ['sprints', 'sprint_committed_items', 'work_items'], drivenBy: 'time' },
  async detect(db, ctx) {
    const now = ctx.now.getTime();
    const found = await db.all(
      columns({ id: text, name: text, team_id: text, start_at: integer, end_at: integer, committed: real, done: real, items: integer }),
      sql`SELECT s.id, s.name, s.team_id, s.start_at, s.end_at,
         COALESCE(sum(w.story_points), 0) AS committed,
         COALESCE(sum(CASE WHEN w.status_category = 'done' AND COALESCE(w.resolved_at, 0) <= ${now} THEN w.story_points END), 0) AS done,
         count(w.id) AS items
       FROM sprints s
       LEFT JOIN sprint_committed_items c ON c.workspace = s.workspace AND c.sprint_id = s.id
       LEFT JOIN work_items w ON w.workspace = c.workspace AND w.id = c.work_item_id
       WHERE s.workspace = ${ctx.workspace} AND s.state = 'active' AND s.start_at <= ${now} AND s.end_at > ${now} GROUP BY s.id`,
    );
    return found.flatMap((r) => {
      const team = r.team_id;
      const settings = ctx.settings(team);
      const start = r.start_at;
      const end = r.end_at;
      const committed = r.committed;
      const done = r.done;
      const elapsed = (now - start) / (end - start);
      if (committed === 0 || elapsed < num(settings.minElapsed)) return [];
      const projected = Math.min(committed, done / elapsed);
      if (projected >= committed * (1 - num(settings.tolerance))) return [];
      const forecast = projected / committed;
      return [
        {
          severity: forecast < 0.6 ? 'critical' : 'warning',
          subject: { type: 'sprint', id: r.id },
          team,
          title: `${r.name}: ${done} of ${committed} committed points done with ${Math.round((1 - elapsed) * 100)}% of the sprint left; at this pace about ${Math.round(projected)} will be done`,
          evidence: {
            sprint: r.id,
            committedPoints: committed,
            donePoints: done,
            elapsedDays: Math.round(((now - start) / DAY) * 10) / 10,
            remainingDays: Math.round(((end - now) / DAY) * 10) / 10,
            projectedPoints: Math.round(projected * 10) / 10,
            endAt: new Date(end).toISOString(),
          },
        },
      ];
    });
  },
};
