import type { SignalDetector } from '@teamstate/core';
import { columns, integer, nullable, sql, text } from '@teamstate/core/store';
import { humanDuration, issueColumns, num } from './sql.js';

const DAY = 86_400_000;

/** Issues past their due date and not done. */
export const itemOverdue: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'item.overdue',
  title: 'Overdue item',
  description: 'An issue whose due date has passed and that is not done (critical when more than `criticalDays` days late).',
  defaults: { criticalDays: 7 },
  incremental: { reads: ['work_items', 'work_item_assignees'], drivenBy: 'time' },
  async detect(db, ctx) {
    const now = ctx.now.getTime();
    const found = await db.all(
      columns({ ...issueColumns, due_at: integer, assignees: nullable(text) }),
      sql`SELECT w.id, w.key, w.title, w.state, w.team_id AS team, w.due_at,
         (SELECT group_concat(a.person_id) FROM work_item_assignees a WHERE a.workspace = w.workspace AND a.work_item_id = w.id) AS assignees
       FROM work_items w WHERE w.workspace = ${ctx.workspace} AND w.due_at < ${now} AND w.kind <> 'pull_request' AND COALESCE(w.status_category, '') <> 'done' AND w.resolved_at IS NULL`,
    );
    return found.map((r) => {
      const team = r.team ?? undefined;
      const late = now - r.due_at;
      return {
        severity: late > num(ctx.settings(team).criticalDays) * DAY ? ('critical' as const) : ('warning' as const),
        subject: { type: 'work_item' as const, id: r.id },
        team,
        title: `${r.key} was due ${humanDuration(late)} ago and is still ${r.state}`,
        evidence: {
          key: r.key,
          title: r.title,
          status: r.state,
          dueAt: new Date(r.due_at).toISOString(),
          // When the condition began: what the CLI shows as "Since".
          since: new Date(r.due_at).toISOString(),
          assignees: r.assignees ? r.assignees.split(',') : [],
        },
      };
    });
  },
};
