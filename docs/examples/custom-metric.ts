/**
 * A custom metric: the share of merged pull requests approved by someone other than their author (the
 * "four eyes" rule auditors ask about). docs/extending.md walks through it; docs/examples/examples.test.ts
 * checks it against an independent computation.
 *
 * Computed in SQL inside the store, in one query, whatever the size of the workspace: a calculator never
 * pulls every row into JavaScript.
 */
import type { MetricCalculator, MetricQuery } from '@teamstate/core';

/** The `WHERE` clause and its arguments: merged pull requests in `[from, to)`, in the query's scope. */
function mergedPullRequests(q: MetricQuery): { where: string; args: (string | number)[] } {
  const conditions = ['w.workspace = ?', "w.kind = 'pull_request'", 'w.merged_at >= ?', 'w.merged_at < ?'];
  const args: (string | number)[] = [q.workspace, q.from, q.to];
  if (q.team !== undefined) {
    // A pull request belongs to the team of its repository (docs/metrics.md, Conventions).
    conditions.push('w.repository_id IN (SELECT r.id FROM repositories r WHERE r.workspace = ? AND r.team_id = ?)');
    args.push(q.workspace, q.team);
  }
  if (q.repository !== undefined) {
    conditions.push('w.repository_id = ?');
    args.push(q.repository);
  }
  if (q.person !== undefined) {
    conditions.push(
      '(w.author_id = ? OR EXISTS (SELECT 1 FROM work_item_assignees a WHERE a.workspace = w.workspace AND a.work_item_id = w.id AND a.person_id = ?))',
    );
    args.push(q.person, q.person);
  }
  return { where: conditions.join(' AND '), args };
}

/** Approved by a reviewer who is not the author. */
const APPROVED_BY_ANOTHER = `EXISTS (SELECT 1 FROM reviews v WHERE v.workspace = w.workspace AND v.work_item_id = w.id
  AND v.state = 'approved' AND v.reviewer_id IS NOT w.author_id)`;

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
  description:
    'Pull requests merged in [from, to) with an approving review by someone other than their author, divided by all pull requests merged in the window.',
  async compute(store, q) {
    const { where, args } = mergedPullRequests(q);
    const { rows } = await store.execute(
      `SELECT count(*) AS merged, coalesce(sum(CASE WHEN ${APPROVED_BY_ANOTHER} THEN 1 ELSE 0 END), 0) AS approved
       FROM work_items w WHERE ${where}`,
      args,
    );
    const merged = Number(rows[0]?.merged ?? 0);
    const approved = Number(rows[0]?.approved ?? 0);
    return { value: merged === 0 ? null : approved / merged, unit: 'ratio', approved, merged, unapproved: merged - approved };
  },
  // Optional: the rows behind the number, for `teamstate metrics approval_coverage --explain`.
  async explain(store, q) {
    const { where, args } = mergedPullRequests(q);
    const { rows } = await store.execute(
      `SELECT w.key, w.author_id AS author, w.merged_at AS mergedAt, ${APPROVED_BY_ANOTHER} AS approved
       FROM work_items w WHERE ${where} ORDER BY w.merged_at, w.id`,
      args,
    );
    return {
      rows: rows.map((row) => ({
        key: String(row.key),
        author: row.author === null ? null : String(row.author),
        mergedAt: new Date(Number(row.mergedAt)).toISOString(),
        approved: Number(row.approved) === 1,
      })),
      warnings: [],
    };
  },
};
