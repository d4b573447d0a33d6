import type { MetricQuery, Sql } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { issueScope, pullRequestScope } from '../shared/scope.js';
import { categoryAsOf, isIssue, isPullRequest } from '../shared/work-items.js';

/**
 * The work in progress at instant `to`, one row per item with the instant its age counts from:
 * - pull requests created before `to`, not merged or closed before `to`, not draft (age from `createdAt`);
 * - issues whose status as of `to` (their last transition at or before `to`) is in the in-progress category
 *   (age from their first transition into in-progress).
 * Shared by `wip` and `aging_wip`.
 */
export function workInProgress(q: MetricQuery): Sql {
  // Open at `to` means unmerged, or merged at or after `to`: two ranges of the (kind, merged_at) index instead of every PR.
  const openPullRequests = (merged: Sql) => sql`SELECT w.id, w.key, w.kind, w.created_at AS sinceAt FROM work_items w
      WHERE w.workspace = ${q.workspace} AND ${isPullRequest('w', q)} AND ${merged} AND +w.created_at < ${q.to}
        AND (w.closed_at IS NULL OR w.closed_at >= ${q.to}) AND COALESCE(w.draft, 0) = 0 AND ${pullRequestScope('w', q)}`;
  // With a team, its own index finds the team's issues; the kind index would walk every team's.
  const kind = q.team === undefined ? isIssue('w') : sql`+${isIssue('w')}`;
  return sql`${openPullRequests(sql`w.merged_at IS NULL`)}
    UNION ALL
    ${openPullRequests(sql`w.merged_at >= ${q.to}`)}
    UNION ALL
    SELECT w.id, w.key, w.kind, (SELECT min(+ft.at) FROM transitions ft WHERE ft.workspace = w.workspace AND ft.work_item_id = w.id
        AND ft.to_category = 'in_progress' AND +ft.at <= ${q.to}) AS sinceAt FROM work_items w
      WHERE w.workspace = ${q.workspace} AND ${kind} AND ${issueScope('w', q)}
        AND ${categoryAsOf('w', sql`${q.to}`)} = 'in_progress'`;
}
