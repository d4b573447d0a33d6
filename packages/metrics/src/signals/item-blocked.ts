import type { SignalDetector } from '@teamstate/core';
import { integer, nullable, sql, text } from '@teamstate/core/store';
import { allRows, humanDuration, issueColumns, names, num } from './sql.js';

const DAY = 86_400_000;

/** Issues in a blocked status, or flagged, for more than `days` days. */
export const itemBlocked: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'item.blocked',
  title: 'Blocked item',
  description:
    'An issue not done whose status is one of `statuses` (default Blocked) or that is flagged, since more than `days` calendar days (since it entered that status; else since its last update).',
  defaults: { days: 2, statuses: ['Blocked'] },
  incremental: { reads: ['work_items', 'transitions', 'work_item_assignees'], drivenBy: 'time' },
  async detect(db, ctx) {
    const blocked = names(ctx.settings().statuses);
    // A blocked status through the lower(state) index (partial on the issues not done, which this reader's inner query
    // names with the index's own condition), flagged through the flag's: never every unresolved item.
    const found = await allRows(
      db,
      {
        ...issueColumns,
        flagged: nullable(integer),
        since_status: nullable(integer),
        updated: integer,
        assignees: nullable(text),
      },
      sql`SELECT w.id, w.key, w.title, w.state, w.team_id AS team, w.flagged,
         (SELECT max(t.at) FROM transitions t WHERE t.workspace = w.workspace AND t.work_item_id = w.id AND lower(t.to_status) = lower(w.state)) AS since_status,
         COALESCE(w.updated_at, w.created_at) AS updated,
         (SELECT group_concat(a.person_id) FROM work_item_assignees a WHERE a.workspace = w.workspace AND a.work_item_id = w.id) AS assignees
       FROM (
           SELECT id FROM work_items WHERE workspace = ${ctx.workspace} AND lower(state) IN (SELECT value FROM json_each(${JSON.stringify(blocked)}))
             AND status_category IN ('todo', 'in_progress')
           UNION SELECT id FROM work_items WHERE workspace = ${ctx.workspace} AND flagged = 1
         ) b CROSS JOIN work_items w ON w.workspace = ${ctx.workspace} AND w.id = b.id
       WHERE w.kind <> 'pull_request' AND w.status_category IN ('todo', 'in_progress') AND w.resolved_at IS NULL`,
    );
    const now = ctx.now.getTime();
    return found.flatMap((r) => {
      const team = r.team ?? undefined;
      const since = r.since_status ?? r.updated;
      const days = num(ctx.settings(team).days);
      if (now - since <= days * DAY) return [];
      const why = blocked.includes(r.state.toLowerCase()) ? r.state : 'flagged';
      return [
        {
          severity: now - since > 2 * days * DAY ? 'critical' : 'warning',
          subject: { type: 'work_item', id: r.id },
          team,
          title: `${r.key} has been ${why === 'flagged' ? 'flagged' : why} for ${humanDuration(now - since)}`,
          evidence: {
            key: r.key,
            title: r.title,
            status: r.state,
            flagged: r.flagged === 1,
            since: new Date(since).toISOString(),
            assignees: r.assignees ? r.assignees.split(',') : [],
          },
        },
      ];
    });
  },
};
