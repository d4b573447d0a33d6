import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { columns, integer, join, nullable, sql, text } from '@teamstate/core/store';
import { percentileUnsorted } from '../common/percentile-unsorted.js';
import { DAY_MS } from '../common/scope.js';

/**
 * The people who joined in the window (their `joinedAt`, else their first activity: a pull request or issue opened,
 * a review given), in scope (a member of the team, or the person), with when they opened their tenth pull request.
 * Each person's items are read by author (`INDEXED BY`): the planner otherwise walks the workspace's items in creation
 * order to find the first and tenth, every work item of the workspace for each person.
 */
function joiners(q: MetricQuery): Sql {
  const scope: Sql[] = [];
  if (q.team !== undefined)
    scope.push(
      sql`AND EXISTS (SELECT 1 FROM memberships m WHERE m.workspace = p.workspace AND m.person_id = p.id AND m.team_id = ${q.team})`,
    );
  if (q.person !== undefined) scope.push(sql`AND p.id = ${q.person}`);
  return sql`SELECT j.id, j.joined,
      (SELECT w.created_at FROM work_items w INDEXED BY work_items_author_idx WHERE w.workspace = ${q.workspace} AND w.author_id = j.id AND w.kind = 'pull_request'
       ORDER BY w.created_at, w.id LIMIT 1 OFFSET 9) AS tenth
    FROM (SELECT p.id, COALESCE(p.joined_at, (SELECT min(at) FROM (
             SELECT min(w.created_at) AS at FROM work_items w INDEXED BY work_items_author_idx WHERE w.workspace = p.workspace AND w.author_id = p.id
             UNION ALL SELECT min(r.submitted_at) FROM reviews r WHERE r.workspace = p.workspace AND r.reviewer_id = p.id))) AS joined
          FROM people p WHERE p.workspace = ${q.workspace} ${join(scope, ' ')}) j
    WHERE j.joined >= ${q.from} AND j.joined < ${q.to}
    ORDER BY j.joined, j.id`;
}

const joinerRow = columns({ id: text, joined: integer, tenth: nullable(integer) });

/**
 * `time_to_tenth_pr`: days from joining (`joinedAt`, else the first activity) to opening the tenth pull request,
 * median over the people who joined in the window and opened ten; `joined` counts everyone who joined in it,
 * `reached` those who opened ten. `null` when nobody who joined did.
 */
export const timeToTenthPr: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'time_to_tenth_pr',
  title: 'Time to 10th PR',
  unit: 'days',
  category: 'onboarding',
  better: 'lower',
  reads: [],
  description:
    'Days from joining (joinedAt, else first activity) to the tenth pull request opened: the median over the people who joined in [from, to) and opened ten.',
  async compute(db, q) {
    const rows = await db.all(joinerRow, joiners(q));
    const days = rows.flatMap((r) => (r.tenth === null ? [] : [(r.tenth - r.joined) / DAY_MS]));
    const median = percentileUnsorted(Float64Array.from(days), 0.5);
    return { value: median, unit: 'days', joined: rows.length, reached: days.length };
  },
  async explain(db, q) {
    const rows = await db.all(joinerRow, joiners(q));
    return {
      rows: rows.map((r) => ({
        person: r.id,
        joinedAt: new Date(r.joined).toISOString(),
        tenthPullRequestAt: r.tenth === null ? null : new Date(r.tenth).toISOString(),
        days: r.tenth === null ? null : (r.tenth - r.joined) / DAY_MS,
      })),
      warnings: [],
    };
  },
};
