import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { columns, integer, nullable, real, sql, valueList } from '@teamstate/core/store';
import { evidenceRows, warnAbout, warnings } from '../common/evidence.js';
import { resolvedInWindow } from '../common/work-items.js';

/** The in-progress spans `t` of issue `resolved`: its few transitions, one seek of their primary key (their table). */
const spansOfResolved = sql`FROM transitions t
  WHERE t.workspace = resolved.workspace AND t.work_item_id = resolved.id AND t.to_category = 'in_progress'`;

/**
 * Span `t` is in a status that is not a waiting status (`waiting`: the statuses lower-cased). `COLLATE NOCASE` folds
 * ASCII letters only, as SQLite's `lower()` does (no ICU), so this is `lower(t.to_status) NOT IN (…)` without building
 * a lower-cased copy of every span's status (over the organisation: 4.4 million spans at 10,000 engineers).
 */
const working = (waiting: Sql): Sql => sql`t.to_status COLLATE NOCASE NOT IN (${waiting})`;

/** Σ over spans `t` of issue `resolved` in a status that is not waiting: each one's time, clipped at `resolvedAt`. */
const clippedActive = (waiting: Sql): Sql =>
  sql`coalesce(sum(CASE WHEN ${working(waiting)}
    THEN max(0, min(coalesce(t.next_at, resolved.resolved_at), resolved.resolved_at) - t.at) END), 0)`;

/**
 * Per issue resolved in the window: active time (spans in an in-progress status that is not a waiting status,
 * clipped at `resolvedAt`) and elapsed time (`resolvedAt` − first transition into in-progress). A status span runs
 * from its transition to the next one (by `at`, then sequence: the stored `next_at`) or to `resolvedAt`. The issues
 * come from the covering resolved index (no table row per issue) and each one's transitions from one seek of their
 * primary key, which holds their rows. For a team, repository or person: one seek per issue.
 */
function efficienciesBySeek(q: MetricQuery, waiting: Sql): Sql {
  // One correlated lookup per issue, not a join with GROUP BY: SQLite then picks the issues' index by the window and
  // scope alone (grouping by id drew it to walking every item in key order for a team). Its in-progress spans give both
  // the first move into progress and the active time, handed out as one JSON pair (whole milliseconds: exact), so each
  // issue's spans are sought once, not twice. The issues are sorted by id first, so the look-ups go in key order: in
  // resolution order each one missed the cache (all time at 10,000 engineers: 9-13 s, sorted first 6-7 s).
  return sql`WITH resolved AS MATERIALIZED (SELECT w.workspace, w.id, w.key, w.resolved_at FROM work_items w
        WHERE ${resolvedInWindow('w', q)} ORDER BY w.id),
      e AS MATERIALIZED (SELECT resolved.key AS issue, resolved.resolved_at AS resolvedAt,
        (SELECT json_array(min(t.at), ${clippedActive(waiting)}) ${spansOfResolved}) AS spans
      FROM resolved)
    SELECT issue, resolvedAt, json_extract(spans, '$[0]') AS firstInProgressAt, json_extract(spans, '$[1]') AS active_ms FROM e`;
}

/**
 * Over the whole organisation: the transitions read once in their primary key's order (item, then seq), grouped per item
 * with no sort, next to the window's resolved issues, joined by SQLite's automatic index: two sequential reads instead
 * of a sort and one seek per issue (docs/metrics.md "Speed"). The window's issues come from the covering
 * `work_items_resolved_idx` (which holds `id` and `key`), sorted by id once, so the join probes the grouped spans in the
 * order they were built: read in resolution order, every probe landed on a cold part of two million spans (all time at
 * 10,000 engineers, in one process by CPU time: 5.4-6.0 s → 3.7 s). Each item's spans are summed before its resolution
 * is known, which is exact when none of them ends after it: closed spans then count whole (their end is at or before
 * `resolvedAt`) and the open one up to `resolvedAt`. An issue with a span that ends after its resolution (reopened, or
 * moved after resolving) is summed span by span instead, by one seek.
 */
function efficienciesByPass(q: MetricQuery, waiting: Sql): Sql {
  const active = working(waiting);
  return sql`WITH resolved AS MATERIALIZED (SELECT w.workspace, w.id, w.key, w.resolved_at FROM work_items w INDEXED BY work_items_resolved_idx
        WHERE ${resolvedInWindow('w', q)} ORDER BY w.id),
      spans AS (SELECT t.work_item_id AS item, min(t.at) AS first_at, max(t.next_at) AS last_end,
          coalesce(sum(CASE WHEN t.next_at IS NOT NULL AND ${active} THEN max(0, t.next_at - t.at) END), 0) AS closed_ms,
          max(CASE WHEN t.next_at IS NULL AND ${active} THEN t.at END) AS open_at
        FROM transitions t WHERE t.workspace = ${q.workspace} AND t.to_category = 'in_progress' GROUP BY t.work_item_id)
    SELECT resolved.key AS issue, resolved.resolved_at AS resolvedAt, spans.first_at AS firstInProgressAt,
      CASE WHEN spans.last_end > resolved.resolved_at THEN (SELECT ${clippedActive(waiting)} ${spansOfResolved})
        ELSE spans.closed_ms + coalesce(max(0, resolved.resolved_at - spans.open_at), 0) END AS active_ms
    FROM resolved LEFT JOIN spans ON spans.item = resolved.id`;
}

/**
 * The totals of {@link efficienciesBySeek} without the issues' keys (what compute() needs): each issue's first move
 * into progress is the stored `first_in_progress_at` (the first of its in-progress spans), so its spans are sought
 * once, for its active time only. For a team the issues come from the covering `work_items_team_resolved_idx`, never
 * from their table rows: half the time of the listing over 30 days or over all time at 10,000 engineers. For a
 * repository or person they are read by the resolved index and their rows, as the listing reads them.
 */
function totalsBySeek(q: MetricQuery, waiting: Sql): Sql {
  return sql`SELECT count(*) AS n, sum((SELECT ${clippedActive(waiting)} ${spansOfResolved})) AS active,
      sum(resolved.resolved_at - resolved.first_in_progress_at) AS elapsed
    FROM work_items resolved WHERE ${resolvedInWindow('resolved', q)} AND resolved.first_in_progress_at <= resolved.resolved_at`;
}

/** The waiting statuses of the settings, lower-cased, as an `IN` list. */
const waitingOf = (q: MetricQuery): Sql => valueList(q.settings.waitingStatuses.map((status) => status.toLowerCase()));

/** A team, repository or person: its issues' spans are sought one issue at a time. */
const scoped = (q: MetricQuery) => q.team !== undefined || q.repository !== undefined || q.person !== undefined;

/**
 * Per issue resolved in the window and in scope: `issue`, `resolvedAt`, `firstInProgressAt` and `active_ms`. Over the
 * whole organisation the window's issues are most of the workspace's, so the in-progress transitions are read in one
 * pass ({@link efficienciesByPass}); a team, repository or person seeks its own issues' spans ({@link efficienciesBySeek}).
 */
function efficiencies(q: MetricQuery): Sql {
  const waiting = waitingOf(q);
  return scoped(q) ? efficienciesBySeek(q, waiting) : efficienciesByPass(q, waiting);
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
  reads: [],
  description:
    'Over issues resolved in [from, to): Σ time in in-progress statuses that are not waiting statuses ÷ Σ (resolvedAt − first transition into in-progress).',
  async compute(db, q) {
    const row = await db.get(
      columns({ elapsed: nullable(real), active: nullable(real), n: integer }),
      scoped(q)
        ? totalsBySeek(q, waitingOf(q))
        : sql`SELECT count(*) AS n, sum(active_ms) AS active, sum(elapsed_ms) AS elapsed FROM (${counted(q)})`,
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
