import type { MetricEvidence, MetricQuery, Sql, StoreReader } from '@teamstate/core';
import { raw, sql } from '@teamstate/core/store';
import { evidenceRows } from '../shared/evidence.js';
import { inWindow, issueScope } from '../shared/scope.js';
import { categoryAsOf } from '../shared/work-items.js';

/**
 * Closed sprints (of the team, when scoped) completed in the window, one row each with committed and completed
 * story points. A sprint's items are its `committedItems` plus the items whose sprint it is (added mid-sprint);
 * committed points sum the committed items, completed points sum every item done by `completedAt` (resolved at or
 * before it, or, without `resolvedAt`, in the done category as of it). Items without points count 0; the
 * repository and person filters narrow the items.
 */
export function sprintPoints(q: MetricQuery): Sql {
  const itemScope = issueScope('w', { ...q, team: undefined });
  const team = q.team === undefined ? raw('1') : sql`s.team_id = ${q.team}`;
  // Each step is MATERIALIZED and joined in the written order (CROSS JOIN): the sprint set is small, so
  // everything else is looked up from it by key instead of SQLite scanning items for every sprint.
  return sql`WITH closed AS MATERIALIZED (SELECT s.id, s.name, s.completed_at FROM sprints s
        WHERE s.workspace = ${q.workspace} AND s.state = 'closed' AND ${inWindow('s.completed_at', q)} AND ${team}),
      members AS MATERIALIZED (
        SELECT closed.id AS sprint_id, closed.completed_at, c.work_item_id
          FROM closed CROSS JOIN sprint_committed_items c ON c.workspace = ${q.workspace} AND c.sprint_id = closed.id
        UNION
        SELECT closed.id, closed.completed_at, w.id
          FROM closed CROSS JOIN work_items w ON w.workspace = ${q.workspace} AND w.sprint_id = closed.id),
      items AS MATERIALIZED (
        SELECT m.sprint_id, COALESCE(w.story_points, 0) AS points, w.key, w.story_points IS NULL AS unpointed,
          EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = m.sprint_id AND c.work_item_id = w.id) AS committed,
          (w.resolved_at IS NOT NULL AND w.resolved_at <= m.completed_at)
            OR (w.resolved_at IS NULL AND ${categoryAsOf('w', raw('m.completed_at'))} = 'done') AS done
        FROM members m CROSS JOIN work_items w ON w.workspace = ${q.workspace} AND w.id = m.work_item_id
        WHERE ${itemScope})
    SELECT closed.id AS sprint, closed.name, closed.completed_at AS completedAt,
      coalesce(sum(CASE WHEN items.committed THEN items.points END), 0) AS committedPoints,
      coalesce(sum(CASE WHEN items.done THEN items.points END), 0) AS completedPoints,
      coalesce(sum(items.done AND NOT items.committed), 0) AS addedItemsDone,
      json_group_array(items.key) FILTER (WHERE items.unpointed) AS unpointed
    FROM closed LEFT JOIN items ON items.sprint_id = closed.id GROUP BY closed.id ORDER BY closed.completed_at, closed.id`;
}

/** Totals over the sprints of {@link sprintPoints}: `sprints`, `committed` and `completed` points. */
export async function sprintTotals(db: StoreReader, q: MetricQuery) {
  const [row] = await db.all<{
    sprints: number;
    committed: number;
    completed: number;
  }>(sql`SELECT count(*) AS sprints, coalesce(sum(committedPoints), 0) AS committed, coalesce(sum(completedPoints), 0) AS completed
      FROM (${sprintPoints(q)})`);
  return { sprints: row?.sprints ?? 0, committed: row?.committed ?? 0, completed: row?.completed ?? 0 };
}

/** Per-sprint rows for explain, and a warning for items without story points. */
export async function sprintEvidence(db: StoreReader, q: MetricQuery): Promise<MetricEvidence> {
  const rows = evidenceRows(await db.all(sprintPoints(q)), ['unpointed']);
  const unpointed = rows.flatMap((row) => row.unpointed as string[]);
  const sample = unpointed.slice(0, 5).join(', ') + (unpointed.length > 5 ? ' …' : '');
  return {
    rows: rows.map(({ unpointed: _, ...row }) => row),
    warnings: unpointed.length > 0 ? [`${unpointed.length} sprint item(s) have no story points and count as 0: ${sample}`] : [],
  };
}
