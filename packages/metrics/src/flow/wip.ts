import type { MetricCalculator } from '@teamstate/core';
import { columns, integer, sql } from '@teamstate/core/store';
import { evidenceRows, warnings } from '../common/evidence.js';
import { draftPullRequests, issuesWithoutTransitions } from './wip-warnings.js';
import { workInProgress } from './work-in-progress.js';

/**
 * `wip`: items in progress at instant `to` (pull requests open and not draft; issues whose status as of `to` is
 * in the in-progress category); `value` = their number, with `pullRequests` and `issues`.
 */
export const wip: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'wip',
  title: 'Work in progress',
  unit: 'count',
  category: 'flow',
  reads: [],
  description:
    'At instant to: pull requests created before to, not merged or closed before to, not draft; plus issues whose status as of to (last transition at or before to) is in progress.',
  async compute(db, q) {
    const row = await db.get(
      columns({ n: integer, prs: integer }),
      sql`SELECT count(*) AS n, coalesce(sum(kind = 'pull_request'), 0) AS prs FROM (${workInProgress(q)})`,
    );
    const count = row?.n ?? 0;
    const pullRequests = row?.prs ?? 0;
    return { value: count === 0 ? null : count, unit: 'count', pullRequests, issues: count - pullRequests };
  },
  async explain(db, q) {
    const rows = await db.all(sql`SELECT key, kind, sinceAt FROM (${workInProgress(q)}) ORDER BY sinceAt, key`);
    return { rows: evidenceRows(rows), warnings: warnings([await draftPullRequests(db, q), await issuesWithoutTransitions(db, q)]) };
  },
};
