import { raw, type Sql, sql } from '../kernel/store/sql.js';

// The definitions behind the counts that more than one surface shows (the overview, `metrics`, `signals`, `incident
// list`, `pr_review_queue`, …), written once as SQL fragments over a table alias: every surface that shows one of
// these quantities builds its statement from the fragment here, so the same team, window and instant give the same
// number everywhere. docs/concepts.md states them in words.

/**
 * The team of incident `i`: its own (an on-call tool's incident takes its service's team), else its repository's, else
 * the repository's of the deployment it names; NULL when none of them has a team.
 */
export const incidentTeam = (i: string): Sql =>
  raw(`COALESCE(${i}.team_id,
    (SELECT itr.team_id FROM repositories itr WHERE itr.workspace = ${i}.workspace AND itr.id = ${i}.repository_id),
    (SELECT idr.team_id FROM deployments itd CROSS JOIN repositories idr ON idr.workspace = itd.workspace AND idr.id = itd.repository_id
      WHERE itd.workspace = ${i}.workspace AND itd.id = ${i}.deployment_id))`);

/**
 * Incident `i` is open at instant `at` (ms): created at or before it and not resolved by then (resolved after it, or
 * not resolved at all and its source does not say resolved).
 */
export const incidentOpenAt = (i: string, at: number): Sql =>
  sql`${raw(i)}.created_at <= ${at} AND (${raw(i)}.resolved_at > ${at} OR (${raw(i)}.resolved_at IS NULL AND COALESCE(${raw(i)}.status, '') <> 'resolved'))`;

/** The team of work item `w`: its own, else its repository's. */
export const workItemTeam = (w: string): Sql =>
  raw(
    `COALESCE(${w}.team_id, (SELECT wtr.team_id FROM repositories wtr WHERE wtr.workspace = ${w}.workspace AND wtr.id = ${w}.repository_id))`,
  );

/** Pull request `w` is open at instant `at` (ms): created before it, and its state is open. Drafts included. */
export const openPullRequestAt = (w: string, at: number): Sql =>
  sql`${raw(w)}.kind = 'pull_request' AND ${raw(w)}.state = 'open' AND ${raw(w)}.created_at < ${at}`;

/**
 * Pull request `w` waits for review at instant `at` (ms): open (see {@link openPullRequestAt}), not draft, approved by
 * nobody, and its latest review by someone other than its author does not ask for changes (then it waits on its author).
 * A PR with only comments still waits. The overview's `pullRequestsAwaitingReview` counts these; `pr_review_queue`
 * lists them.
 */
export const awaitingReviewAt = (w: string, at: number): Sql =>
  sql`${openPullRequestAt(w, at)} AND COALESCE(${raw(w)}.draft, 0) = 0
    AND NOT EXISTS (SELECT 1 FROM reviews arv WHERE arv.workspace = ${raw(w)}.workspace AND arv.work_item_id = ${raw(w)}.id AND arv.state = 'approved')
    AND COALESCE((SELECT arl.state FROM reviews arl WHERE arl.workspace = ${raw(w)}.workspace AND arl.work_item_id = ${raw(w)}.id
      AND arl.reviewer_id IS NOT ${raw(w)}.author_id ORDER BY arl.seq DESC LIMIT 1), '') <> 'changes_requested'`;
