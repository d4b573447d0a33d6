import type { MetricQuery, Sql } from '@teamstate/core';
import { isIssue, raw, sql } from '@teamstate/core/store';
import { inWindow, issueScope, pullRequestScope, scopedByRepository } from './scope.js';

// Which work items are issues and pull requests: one definition shared with the overview.
export { isIssue, isPullRequest } from '@teamstate/core/store';

/**
 * Pull request `w` of the workspace merged in the window and in scope: the WHERE of {@link mergedPullRequests}, which
 * also names the index to read.
 */
export const mergedInWindow = (w: string, q: MetricQuery): Sql =>
  sql`${raw(w)}.workspace = ${q.workspace} AND ${raw(w)}.kind = 'pull_request' AND ${inWindow(`${w}.merged_at`, q)} AND ${pullRequestScope(w, q)}`;

/**
 * `work_items w … WHERE …`: the pull requests of the workspace merged in the window and in scope, for a `FROM`.
 * - Unscoped or for a person: the window's range of the covering merged-PR index `(workspace, kind, merged_at, …)`.
 * - For a team or a repository: INDEXED BY `work_items_repository_merged_idx`, one seek of the window's range per
 *   repository of the scope, then the scope's rows (a few hundred). Without statistics SQLite preferred the covering
 *   index's window range, which holds the whole organisation's merges (300-380 ms for one team over 90 days at
 *   10,000 engineers, ~1 ms this way). Always usable: the scope always names the repository column.
 */
export const mergedPullRequests = (w: string, q: MetricQuery): Sql =>
  sql`work_items ${raw(w)}${raw(scopedByRepository(q) ? ' INDEXED BY work_items_repository_merged_idx' : '')} WHERE ${mergedInWindow(w, q)}`;

/** Issue `w` (any kind but pull request) of the workspace resolved in the window and in scope. */
export const resolvedInWindow = (w: string, q: MetricQuery): Sql =>
  sql`${raw(w)}.workspace = ${q.workspace} AND ${isIssue(w)} AND ${inWindow(`${w}.resolved_at`, q)} AND ${issueScope(w, q)}`;

/**
 * When pull request `w` got its first review by someone other than its author (NULL if never): the store's derived
 * column `first_review_at`, kept right on every write, so no metric looks reviews up row by row.
 */
export const firstReviewAt = (w: string): Sql => sql`${raw(w)}.first_review_at`;

/**
 * The status category of work item `w` as of instant `at` (its last transition at or before it; NULL without one).
 * The unary `+` keeps SQLite from walking a time index of transitions: the item's own rows come from the primary key.
 */
export const categoryAsOf = (w: string, at: Sql): Sql =>
  sql`(SELECT ct.to_category FROM transitions ct WHERE ct.workspace = ${raw(w)}.workspace AND ct.work_item_id = ${raw(w)}.id AND +ct.at <= ${at}
    ORDER BY +ct.at DESC, ct.seq DESC LIMIT 1)`;
