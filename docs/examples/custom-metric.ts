/**
 * A custom metric: the share of merged pull requests approved by someone other than their author (the
 * "four eyes" rule auditors ask about). docs/extending.md walks through it; docs/examples/examples.test.ts
 * checks it against an independent computation.
 *
 * Computed in SQL inside the store, in one query, whatever the size of the workspace: a calculator never
 * pulls every row into JavaScript.
 */
import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { raw, sql } from '@teamstate/core/store';

/** Merged pull requests in `[from, to)`, in the query's scope, as a condition on work item `w`. */
function mergedPullRequests(q: MetricQuery): Sql {
  let where = sql`w.workspace = ${q.workspace} AND w.kind = 'pull_request' AND w.merged_at >= ${q.from} AND w.merged_at < ${q.to}`;
  if (q.team !== undefined) {
    // A pull request belongs to the team of its repository (docs/metrics.md, Conventions).
    where = sql`${where} AND w.repository_id IN (SELECT r.id FROM repositories r WHERE r.workspace = ${q.workspace} AND r.team_id = ${q.team})`;
  }
  if (q.repository !== undefined) where = sql`${where} AND w.repository_id = ${q.repository}`;
  if (q.person !== undefined) {
    where = sql`${where} AND (w.author_id = ${q.person} OR EXISTS (SELECT 1 FROM work_item_assignees a
      WHERE a.workspace = w.workspace AND a.work_item_id = w.id AND a.person_id = ${q.person}))`;
  }
  return where;
}

/** Approved by a reviewer who is not the author. */
const APPROVED_BY_ANOTHER = raw(`EXISTS (SELECT 1 FROM reviews v WHERE v.workspace = w.workspace AND v.work_item_id = w.id
  AND v.state = 'approved' AND v.reviewer_id IS NOT w.author_id)`);

/**
 * `approval_coverage`: pull requests merged in `[from, to)` with an approving review by someone other
 * than their author, divided by all pull requests merged in the window. `null` when nothing was merged.
 *
 * @example const ts = await createTeamState({ metrics: [...builtinMetrics, approvalCoverage] })
 */
export const approvalCoverage: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'approval_coverage',
  title: 'Approval coverage',
  unit: 'ratio',
  category: 'compliance',
  // Pull requests and reviews only: none of the derived delivery tables, so no rebuild of them is waited for.
  reads: [],
  description:
    'Pull requests merged in [from, to) with an approving review by someone other than their author, divided by all pull requests merged in the window.',
  async compute(db, q) {
    // `db` reads the store (no writes); rows come back typed as named: numbers for INTEGER columns and counts.
    const row = await db.get<{ merged: number; approved: number }>(
      sql`SELECT count(*) AS merged, coalesce(sum(CASE WHEN ${APPROVED_BY_ANOTHER} THEN 1 ELSE 0 END), 0) AS approved
       FROM work_items w WHERE ${mergedPullRequests(q)}`,
    );
    const merged = row?.merged ?? 0;
    const approved = row?.approved ?? 0;
    return { value: merged === 0 ? null : approved / merged, unit: 'ratio', approved, merged, unapproved: merged - approved };
  },
  // Optional: the rows behind the number, for `teamstate metrics approval_coverage --explain`.
  async explain(db, q) {
    const rows = await db.all<{ key: string; author: string | null; mergedAt: number; approved: number }>(
      sql`SELECT w.key, w.author_id AS author, w.merged_at AS mergedAt, ${APPROVED_BY_ANOTHER} AS approved
       FROM work_items w WHERE ${mergedPullRequests(q)} ORDER BY w.merged_at, w.id`,
    );
    return {
      rows: rows.map((row) => ({
        key: row.key,
        author: row.author,
        mergedAt: new Date(row.mergedAt).toISOString(),
        approved: row.approved === 1,
      })),
      warnings: [],
    };
  },
};
