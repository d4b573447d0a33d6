import { workItemKindSchema } from '../kernel/model/work-item.js';
import { and, raw, type Sql, sql, valueList } from '../kernel/store/sql.js';

// The work in progress at an instant, written once: the `wip` and `aging_wip` metrics and the overview's WIP column
// read it, so they count the same items for the same team and instant.

/** What {@link workInProgress} is scoped by: the workspace, the instant `to` (ms) and an optional team, repository or person. */
export interface WorkScope {
  readonly workspace: string;
  readonly to: number;
  /** Pull requests belong to the team of their repository; issues to their own team. */
  readonly team?: string;
  readonly repository?: string;
  /** Author or assignee. */
  readonly person?: string;
}

const ISSUE_KINDS = workItemKindSchema.options.filter((kind) => kind !== 'pull_request');

/** Work item `w` is an issue: any kind but pull request (an `IN` list, so the kind index can serve it). */
export const isIssue = (w: string): Sql => sql`${raw(w)}.kind IN (${valueList(ISSUE_KINDS)})`;

/**
 * The query is scoped by repository (a team's or one): its rows are the scope's repositories' ranges of the
 * `(workspace, repository_id, …)` indexes, a few of the organisation's.
 */
export const scopedByRepository = (q: Pick<WorkScope, 'team' | 'repository'>): boolean =>
  q.team !== undefined || q.repository !== undefined;

/**
 * `w` is a pull request. With a team or repository filter the kind is masked from the index planner (unary +), so
 * SQLite seeks the `(workspace, repository_id, …)` indexes for the scope's repositories instead of walking every PR.
 */
export const isPullRequest = (w: string, q: Pick<WorkScope, 'team' | 'repository'>): Sql =>
  scopedByRepository(q) ? sql`+${raw(w)}.kind = 'pull_request'` : sql`${raw(w)}.kind = 'pull_request'`;

/** Work item `w` is authored by or assigned to `person`. */
export function byPerson(w: string, person: string): Sql {
  return sql`(${raw(w)}.author_id = ${person} OR EXISTS (SELECT 1 FROM work_item_assignees pa
    WHERE pa.workspace = ${raw(w)}.workspace AND pa.work_item_id = ${raw(w)}.id AND pa.person_id = ${person}))`;
}

/**
 * The repository column `column` belongs to the query's team. The subquery is not correlated (the workspace is
 * bound), so SQLite can turn it into a list of repositories and seek the `(workspace, repository_id, …)` indexes.
 */
export function ofTeamRepository(column: string, q: { workspace: string; team: string }): Sql {
  return sql`${raw(column)} IN (SELECT tr.id FROM repositories tr WHERE tr.workspace = ${q.workspace} AND tr.team_id = ${q.team})`;
}

/** Pull request `w` is in scope: team of its repository, repository, author or assignee. */
export function pullRequestScope(w: string, q: Omit<WorkScope, 'to'>): Sql {
  const conditions: Sql[] = [];
  if (q.team !== undefined) conditions.push(ofTeamRepository(`${w}.repository_id`, { workspace: q.workspace, team: q.team }));
  if (q.repository !== undefined) conditions.push(sql`${raw(w)}.repository_id = ${q.repository}`);
  if (q.person !== undefined) conditions.push(byPerson(w, q.person));
  return and(conditions);
}

/** Issue `w` (any work item that is not a pull request) is in scope: its own team, repository, author or assignee. */
export function issueScope(w: string, q: Omit<WorkScope, 'to' | 'workspace'>): Sql {
  const conditions: Sql[] = [];
  if (q.team !== undefined) conditions.push(sql`${raw(w)}.team_id = ${q.team}`);
  if (q.repository !== undefined) conditions.push(sql`${raw(w)}.repository_id = ${q.repository}`);
  if (q.person !== undefined) conditions.push(byPerson(w, q.person));
  return and(conditions);
}

/**
 * The work in progress at instant `to`, one row per item with the instant its age counts from:
 * - pull requests created before `to`, not merged or closed before `to`, not draft (age from `createdAt`);
 * - issues whose status as of `to` (their last transition at or before `to`) is in the in-progress category
 *   (age from their first transition into in-progress).
 * Shared by `wip` and `aging_wip`.
 */
export function workInProgress(q: WorkScope): Sql {
  // Open at `to` means unmerged, or merged at or after `to`: two ranges of the (kind, merged_at) index instead of every PR.
  const openPullRequests = (merged: Sql) => sql`SELECT w.id, w.key, w.kind, w.created_at AS sinceAt FROM work_items w
      WHERE w.workspace = ${q.workspace} AND ${isPullRequest('w', q)} AND ${merged} AND +w.created_at < ${q.to}
        AND (w.closed_at IS NULL OR w.closed_at >= ${q.to}) AND COALESCE(w.draft, 0) = 0 AND ${pullRequestScope('w', q)}`;
  // A team's or a repository's unmerged ones: the scope's repositories' ranges of their covering index (named: the
  // partial index's condition written out as it states it), no row read. A person's need each one's author.
  const unmerged =
    scopedByRepository(q) && q.person === undefined
      ? sql`SELECT w.id, w.key, 'pull_request' AS kind, w.created_at AS sinceAt FROM work_items w INDEXED BY work_items_unmerged_pr_idx
      WHERE w.workspace = ${q.workspace} AND w.kind = 'pull_request' AND w.merged_at IS NULL AND ${pullRequestScope('w', q)}
        AND w.created_at < ${q.to} AND (w.closed_at IS NULL OR w.closed_at >= ${q.to}) AND COALESCE(w.draft, 0) = 0`
      : openPullRequests(sql`w.merged_at IS NULL`);
  const firstInProgress = sql`(SELECT min(+ft.at) FROM transitions ft WHERE ft.workspace = w.workspace AND ft.work_item_id = w.id
        AND ft.to_category = 'in_progress' AND +ft.at <= ${q.to})`;
  return sql`${unmerged}
    UNION ALL
    ${openPullRequests(sql`w.merged_at >= ${q.to}`)}
    UNION ALL
    ${q.team === undefined && q.repository === undefined && q.person === undefined ? openSpans(q, firstInProgress) : scopedIssues(q, firstInProgress)}`;
}

/**
 * The workspace's issues in progress at `to`: an issue's status as of `to` is in progress exactly when one of its
 * in-progress transitions is at or before `to` and the next one (the stored `next_at`, in `(at, seq)` order) is after
 * `to` or missing. The candidates are those whose spans may cover `to` (as a team's, {@link teamCandidates}), read from
 * the whole workspace's range of `work_items_team_in_progress_idx` (only the items ever moved into progress), each then
 * tested by a seek of its transitions; no pass over every transition, no sort per issue.
 */
function openSpans(q: WorkScope, firstInProgress: Sql): Sql {
  return teamCandidates(q, firstInProgress, sql`(w.in_progress_until IS NULL OR w.in_progress_until > ${q.to})`);
}

/** Issue `w` has an in-progress span open at `to`: an in-progress transition at or before `to` whose next one is after it or missing. */
const openAt = (q: WorkScope): Sql => sql`EXISTS (SELECT 1 FROM transitions c WHERE c.workspace = w.workspace AND c.work_item_id = w.id
    AND c.to_category = 'in_progress' AND +c.at <= ${q.to} AND (c.next_at IS NULL OR c.next_at > ${q.to}))`;

/**
 * The issues of a team, repository or person in progress at `to`, each tested for an in-progress span open at `to` (as
 * {@link openSpans}) by a seek of its transitions in their primary key, a few rows an issue. A team's are only
 * those whose spans may cover `to` (see {@link teamCandidates}); a repository's or a person's, all of them. Each
 * issue's last transition as of `to` sorted from its history (a temporary B-tree per issue) took 70-210 ms for a
 * team's 5,000 issues at 10,000 engineers.
 */
function scopedIssues(q: WorkScope, firstInProgress: Sql): Sql {
  if (q.team !== undefined) {
    // Disjoint: an open span, or the last one ended after `to`.
    return sql`${teamCandidates(q, firstInProgress, sql`w.in_progress_until IS NULL`)}
    UNION ALL
    ${teamCandidates(q, firstInProgress, sql`w.in_progress_until > ${q.to}`)}`;
  }
  // A repository's own index finds its issues, named: without statistics SQLite may prefer walking every item of the
  // workspace in another index. A person's (author or assignee) are found by walking them all.
  const items = raw(`work_items w${q.repository !== undefined ? ' INDEXED BY work_items_repository_merged_idx' : ''}`);
  return sql`SELECT w.id, w.key, w.kind, ${firstInProgress} AS sinceAt FROM ${items}
      WHERE w.workspace = ${q.workspace} AND ${isIssue('w')} AND ${issueScope('w', q)} AND ${openAt(q)}`;
}

/**
 * A team's issues (the workspace's, for {@link openSpans}) whose in-progress spans may cover `to`, with the range
 * `until` of their stored `in_progress_until`:
 * an issue in progress at `to` moved into progress at or before `to` (`first_in_progress_at`) and has a span still
 * open (NULL) or its last one ended after `to`. A range of the team's `work_items_team_in_progress_idx` (named: the
 * planner would take the team's other indexes), the kind masked so the range stays on the team; each one then tested.
 * At `to` near now, about the team's issues in progress (100-130 of 5,000 at 10,000 engineers).
 */
function teamCandidates(q: WorkScope, firstInProgress: Sql, until: Sql): Sql {
  return sql`SELECT w.id, w.key, w.kind, ${firstInProgress} AS sinceAt FROM work_items w INDEXED BY work_items_team_in_progress_idx
      WHERE w.workspace = ${q.workspace} AND ${issueScope('w', q)} AND ${until} AND w.first_in_progress_at <= ${q.to}
        AND +${isIssue('w')} AND ${openAt(q)}`;
}
