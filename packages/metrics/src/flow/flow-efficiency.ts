import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { sql, valueList } from '@teamstate/core/store';
import { evidenceRows, warnAbout, warnings } from '../shared/evidence.js';
import { resolvedInWindow } from '../shared/work-items.js';

/**
 * Per issue resolved in the window: active time (spans in an in-progress status that is not a waiting status,
 * clipped at `resolvedAt`) and elapsed time (`resolvedAt` − first transition into in-progress). A status span runs
 * from its transition to the next one (by `at`, then sequence: the stored `next_at`) or to `resolvedAt`. The issues
 * come from the covering resolved index (no table row per issue) and only the in-progress transitions are read,
 * through their own covering index.
 */
function efficiencies(q: MetricQuery): Sql {
  const waiting = valueList(q.settings.waitingStatuses.map((status) => status.toLowerCase()));
  // One correlated lookup per issue, not a join with GROUP BY: SQLite then picks the issues' index by the window and
  // scope alone (grouping by id drew it to walking every item in key order for a team). Its in-progress spans give both
  // the first move into progress and the active time, handed out as one JSON pair (whole milliseconds: exact), so each
  // issue's spans are sought once, not twice. The issues are sorted by id first, so the look-ups go in key order: in
  // resolution order each one missed the cache (all time at 10,000 engineers: 9-13 s, sorted first 6-7 s).
  return sql`WITH resolved AS MATERIALIZED (SELECT w.workspace, w.id, w.key, w.resolved_at FROM work_items w
        WHERE ${resolvedInWindow('w', q)} ORDER BY w.id),
      e AS MATERIALIZED (SELECT resolved.key AS issue, resolved.resolved_at AS resolvedAt,
        (SELECT json_array(min(t.at), coalesce(sum(CASE WHEN lower(t.to_status) NOT IN (${waiting})
          THEN max(0, min(coalesce(t.next_at, resolved.resolved_at), resolved.resolved_at) - t.at) END), 0))
          FROM transitions t WHERE t.workspace = resolved.workspace AND t.work_item_id = resolved.id AND t.to_category = 'in_progress') AS spans
      FROM resolved)
    SELECT issue, resolvedAt, json_extract(spans, '$[0]') AS firstInProgressAt, json_extract(spans, '$[1]') AS active_ms FROM e`;
}

/**
 * Issues that count: they entered in-progress at or before their resolution. The per-issue lookup is MATERIALIZED
 * (in {@link efficiencies}) so that it runs once per issue (a flattened subquery would repeat it for every mention).
 */
const counted = (q: MetricQuery) =>
  sql`SELECT issue, firstInProgressAt, resolvedAt, active_ms, resolvedAt - firstInProgressAt AS elapsed_ms
    FROM (${efficiencies(q)}) WHERE firstInProgressAt IS NOT NULL AND firstInProgressAt <= resolvedAt`;

/**
 * `flow_efficiency`: over issues resolved in the window, Σ time in in-progress statuses that are not waiting
 * statuses (default Blocked, On Hold, Waiting) ÷ Σ (`resolvedAt` − first in-progress transition).
 */
export const flowEfficiency: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'flow_efficiency',
  title: 'Flow efficiency',
  unit: 'ratio',
  category: 'flow',
  better: 'higher',
  description:
    'Over issues resolved in [from, to): Σ time in in-progress statuses that are not waiting statuses ÷ Σ (resolvedAt − first transition into in-progress).',
  async compute(db, q) {
    const [row] = await db.all<{ elapsed: number | null; active: number | null; n: number | null }>(
      sql`SELECT count(*) AS n, sum(active_ms) AS active, sum(elapsed_ms) AS elapsed FROM (${counted(q)})`,
    );
    const elapsed = row?.elapsed ?? 0;
    const active = row?.active ?? 0;
    return {
      value: elapsed > 0 ? active / elapsed : null,
      unit: 'ratio',
      count: row?.n ?? 0,
      activeHours: active / 3_600_000,
      elapsedHours: elapsed / 3_600_000,
    };
  },
  async explain(db, q) {
    const rows =
      await db.all(sql`SELECT issue, firstInProgressAt, resolvedAt, active_ms / 3600000.0 AS activeHours, elapsed_ms / 3600000.0 AS elapsedHours,
          CASE WHEN elapsed_ms > 0 THEN active_ms * 1.0 / elapsed_ms END AS efficiency
        FROM (${counted(q)}) ORDER BY resolvedAt, issue`);
    const neverStarted = await warnAbout(
      db,
      sql`SELECT issue AS label FROM (${efficiencies(q)}) WHERE firstInProgressAt IS NULL OR firstInProgressAt > resolvedAt`,
      (n, sample) =>
        `${n} issue(s) resolved in the window never entered an in-progress status before resolution and are left out: ${sample}`,
    );
    return { rows: evidenceRows(rows), warnings: warnings([neverStarted]) };
  },
};
