import type { MetricEvidence, MetricQuery, Sql, StoreReader } from '@teamstate/core';
import { columns, integer, raw, real, sql } from '@teamstate/core/store';
import { evidenceRows } from '../common/evidence.js';
import { inWindow, issueScope } from '../common/scope.js';
import { categoryAsOf } from '../common/work-items.js';

/**
 * The closed sprints (of the team, when scoped) completed in the window (`closed`), and their items (`items`: sprint,
 * work item, points, key, whether committed, whether done). A sprint's items are its `committedItems` plus the items
 * whose sprint it is (added mid-sprint); an item is done when resolved at or before the sprint's `completedAt`, or,
 * without `resolvedAt`, in the done category as of it. The repository and person filters narrow the items.
 *
 * Committed items and added items are read apart (UNION ALL, an added item being one not committed), so nothing is
 * deduplicated and each item row is read once; every step is MATERIALIZED and joined in the written order (CROSS
 * JOIN): the sprint set is small, so items are looked up from it by key instead of SQLite scanning items per sprint.
 */
function sprintItems(q: MetricQuery): Sql {
  const itemScope = issueScope('w', { ...q, team: undefined });
  const team = q.team === undefined ? raw('1') : sql`s.team_id = ${q.team}`;
  const item = (committed: 0 | 1) =>
    sql`closed.id AS sprint_id, w.id AS item_id, COALESCE(w.story_points, 0) AS points, w.key, w.story_points IS NULL AS unpointed,
      ${committed} AS committed, (w.resolved_at IS NOT NULL AND w.resolved_at <= closed.completed_at)
        OR (w.resolved_at IS NULL AND ${categoryAsOf('w', raw('closed.completed_at'))} = 'done') AS done`;
  return sql`WITH closed AS MATERIALIZED (SELECT s.id, s.name, s.completed_at FROM sprints s
        WHERE s.workspace = ${q.workspace} AND s.state = 'closed' AND ${inWindow('s.completed_at', q)} AND ${team}),
      items AS MATERIALIZED (
        SELECT ${item(1)}
          FROM closed CROSS JOIN sprint_committed_items c ON c.workspace = ${q.workspace} AND c.sprint_id = closed.id
            CROSS JOIN work_items w ON w.workspace = c.workspace AND w.id = c.work_item_id
          WHERE ${itemScope}
        UNION ALL
        SELECT ${item(0)}
          FROM closed CROSS JOIN work_items w INDEXED BY work_items_sprint_idx ON w.workspace = ${q.workspace} AND w.sprint_id = closed.id
          WHERE NOT EXISTS (SELECT 1 FROM sprint_committed_items c WHERE c.workspace = w.workspace AND c.sprint_id = closed.id AND c.work_item_id = w.id)
            AND ${itemScope})`;
}

/**
 * Closed sprints completed in the window (see {@link sprintItems}), one row each with committed story points (of the
 * committed items) and completed story points (of every item done by `completedAt`), in completion order. Items
 * without points count 0.
 */
export function sprintPoints(q: MetricQuery): Sql {
  return sql`${sprintItems(q)},
      per_sprint AS MATERIALIZED (SELECT sprint_id,
          sum(CASE WHEN committed THEN points END) AS committedPoints, sum(CASE WHEN done THEN points END) AS completedPoints,
          sum(done AND NOT committed) AS addedItemsDone, json_group_array(key ORDER BY item_id) FILTER (WHERE unpointed) AS unpointed
        FROM items GROUP BY sprint_id)
    SELECT closed.id AS sprint, closed.name, closed.completed_at AS completedAt,
      coalesce(p.committedPoints, 0) AS committedPoints, coalesce(p.completedPoints, 0) AS completedPoints,
      coalesce(p.addedItemsDone, 0) AS addedItemsDone, coalesce(p.unpointed, '[]') AS unpointed
    FROM closed LEFT JOIN per_sprint p ON p.sprint_id = closed.id ORDER BY closed.completed_at, closed.id`;
}

/**
 * The closed sprints (of the team, when scoped) completed in the window, with their stored totals (`sprint_totals`,
 * kept right on write by SQL triggers): `fractional` counts their items with fractional points and `missing` the
 * sprints without a totals row, either of which sends the caller back to the items.
 */
export function storedSprintTotals(q: MetricQuery): Sql {
  const team = q.team === undefined ? raw('1') : sql`s.team_id = ${q.team}`;
  return sql`SELECT count(*) AS sprints, coalesce(sum(t.committed_points), 0) AS committed, coalesce(sum(t.completed_points), 0) AS completed,
      coalesce(sum(t.fractional_items), 0) AS fractional, count(*) - count(t.sprint_id) AS missing
    FROM sprints s LEFT JOIN sprint_totals t ON t.workspace = s.workspace AND t.sprint_id = s.id
    WHERE s.workspace = ${q.workspace} AND s.state = 'closed' AND ${inWindow('s.completed_at', q)} AND ${team}`;
}

/**
 * Totals over the sprints of {@link sprintPoints}: `sprints`, `committed` and `completed` points. Without a repository
 * or person filter they are one row per sprint ({@link storedSprintTotals}); with one, or when a sprint has items with
 * fractional points (whose sums could differ in the last digit when kept by additions and subtractions), they are
 * added up from the items in one pass.
 */
export async function sprintTotals(db: StoreReader, q: MetricQuery) {
  if (q.repository === undefined && q.person === undefined) {
    const stored = await db.get(
      columns({ sprints: integer, committed: real, completed: real, fractional: integer, missing: integer }),
      storedSprintTotals(q),
    );
    if (stored !== undefined && stored.fractional === 0 && stored.missing === 0)
      return { sprints: stored.sprints, committed: stored.committed, completed: stored.completed };
  }
  const row = await db.get(
    columns({ sprints: integer, committed: real, completed: real }),
    sql`${sprintItems(q)}
    SELECT (SELECT count(*) FROM closed) AS sprints, coalesce(sum(CASE WHEN committed THEN points END), 0) AS committed,
      coalesce(sum(CASE WHEN done THEN points END), 0) AS completed FROM items`,
  );
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
