import type { InValue, Transaction } from '../../kernel/store/driver.js';

/**
 * Columns the store derives from other rows, never written from a bundle: the bulk writer leaves them out, and
 * {@link refreshDerivedColumns} and {@link refreshFirstInProgress} recompute them after every write that changes their
 * inputs. `transitions.next_at` is written with its rows instead: an item's transitions are always written whole.
 */
export const DERIVED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  work_items: ['first_review_at', 'first_in_progress_at', 'in_progress_until'],
  transitions: ['next_at'],
};

/**
 * `work_items.first_review_at`: when the first review by someone other than the item's author was submitted (NULL
 * without one). The metrics' definition (docs/metrics.md, `time_to_first_review`), written once for every write path.
 * The item's reviews are sought by the primary key's index (`sqlite_autoindex_reviews_1`), named: without statistics
 * SQLite would rather walk the workspace's reviews in submission order (reviews_submitted_idx) for the smallest one.
 */
export const FIRST_REVIEW_AT = `(SELECT min(r.submitted_at) FROM reviews r INDEXED BY sqlite_autoindex_reviews_1
  WHERE r.workspace = work_items.workspace AND r.work_item_id = work_items.id AND r.reviewer_id IS NOT work_items.author_id)`;

/** Recomputes the derived columns of the work items matched by `where` (over `work_items`), writing only those that differ. */
export const REFRESH_DERIVED = (where: string) =>
  `UPDATE work_items SET first_review_at = ${FIRST_REVIEW_AT} WHERE ${where} AND first_review_at IS NOT ${FIRST_REVIEW_AT}`;

const IDS_PER_STATEMENT = 500;

/**
 * `work_items.first_in_progress_at`: `at` of the item's first move into an in-progress status (NULL without one), where
 * its cycle time starts (item.aging). Seeks the item's transitions by key.
 */
export const FIRST_IN_PROGRESS_AT = `(SELECT min(t.at) FROM transitions t
  WHERE t.workspace = work_items.workspace AND t.work_item_id = work_items.id AND t.to_category = 'in_progress')`;

/**
 * `work_items.in_progress_until`: when the item's last in-progress span ended, the latest `next_at` of its in-progress
 * transitions; NULL while one of them has no next transition (it is in progress now) or without any.
 */
export const IN_PROGRESS_UNTIL = `(SELECT CASE WHEN count(*) = count(t.next_at) THEN max(t.next_at) END FROM transitions t
  WHERE t.workspace = work_items.workspace AND t.work_item_id = work_items.id AND t.to_category = 'in_progress')`;

/**
 * Recomputes `first_in_progress_at` and `in_progress_until` of the work items matched by `items` (a condition over
 * `work_items`), writing only the rows that differ. The items are found by key first and then updated by rowid: written
 * as one WHERE, the planner (no statistics) walks the workspace's covering index that holds the column instead of
 * seeking the ids.
 */
export const REFRESH_FIRST_IN_PROGRESS = (items: string) =>
  `UPDATE work_items SET first_in_progress_at = ${FIRST_IN_PROGRESS_AT}, in_progress_until = ${IN_PROGRESS_UNTIL}
    WHERE rowid IN (SELECT rowid FROM work_items WHERE ${items})
      AND (first_in_progress_at IS NOT ${FIRST_IN_PROGRESS_AT} OR in_progress_until IS NOT ${IN_PROGRESS_UNTIL})`;

/** Runs `refresh` (an UPDATE given its WHERE clause) over the given work items' ids, a few hundred per statement. */
async function refreshInChunks(
  tx: Pick<Transaction, 'execute'>,
  workspace: string,
  workItemIds: readonly string[],
  idColumn: string,
  refresh: (where: string) => string,
): Promise<void> {
  const ids = [...new Set(workItemIds)];
  for (let start = 0; start < ids.length; start += IDS_PER_STATEMENT) {
    const chunk: InValue[] = ids.slice(start, start + IDS_PER_STATEMENT);
    await tx.execute({ sql: refresh(`workspace = ? AND ${idColumn} IN (${chunk.map(() => '?').join(',')})`), args: [workspace, ...chunk] });
  }
}

/** Recomputes `first_in_progress_at` and `in_progress_until` of the given work items (after their transitions were written). */
export const refreshFirstInProgress = (tx: Pick<Transaction, 'execute'>, workspace: string, workItemIds: readonly string[]) =>
  refreshInChunks(tx, workspace, workItemIds, 'id', REFRESH_FIRST_IN_PROGRESS);

/**
 * Recomputes the derived columns of the given work items of a workspace (after their row, reviews or author
 * changed), in statements of a few hundred ids.
 */
export const refreshDerivedColumns = (tx: Pick<Transaction, 'execute'>, workspace: string, workItemIds: readonly string[]) =>
  refreshInChunks(tx, workspace, workItemIds, 'id', REFRESH_DERIVED);

/**
 * Every row of `open_pr_reviews` (migration 0043): the reviews of the pull requests open now, in its key's order, in one
 * statement (what its triggers keep row by row). A large import into an empty store fills it so, after its rows (see
 * `DEFERRABLE_DERIVED`).
 */
export const OPEN_PR_REVIEWS_FILL = `INSERT INTO open_pr_reviews (workspace, work_item_id, seq, reviewer_id, state, submitted_at)
  SELECT r.workspace, r.work_item_id, r.seq, r.reviewer_id, r.state, r.submitted_at FROM work_items w
    JOIN reviews r ON r.workspace = w.workspace AND r.work_item_id = w.id
  WHERE w.kind = 'pull_request' AND w.state = 'open'
  ORDER BY 1, 2, 3`;
