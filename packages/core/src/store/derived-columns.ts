import type { InValue, Transaction } from '@libsql/client';

/**
 * Columns the store derives from other rows, never written from a bundle: the bulk writer leaves them out, and
 * {@link refreshDerivedColumns} recomputes them after every write that changes their inputs.
 */
export const DERIVED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  work_items: ['first_review_at', 'first_in_progress_at'],
  transitions: ['next_at'],
};

/**
 * `work_items.first_review_at`: when the first review by someone other than the item's author was submitted (NULL
 * without one). The metrics' definition (docs/metrics.md, `time_to_first_review`), written once for every write path.
 */
export const FIRST_REVIEW_AT = `(SELECT min(r.submitted_at) FROM reviews r
  WHERE r.workspace = work_items.workspace AND r.work_item_id = work_items.id AND r.reviewer_id IS NOT work_items.author_id)`;

/** Recomputes the derived columns of the work items matched by `where` (over `work_items`), writing only those that differ. */
export const REFRESH_DERIVED = (where: string) =>
  `UPDATE work_items SET first_review_at = ${FIRST_REVIEW_AT} WHERE ${where} AND first_review_at IS NOT ${FIRST_REVIEW_AT}`;

const IDS_PER_STATEMENT = 500;

/**
 * `transitions.next_at` of the work items matched by `items` (a condition over `transitions`): `at` of the item's next
 * transition in `(at, seq)` order, NULL for its last; writes only the rows that differ.
 */
export const REFRESH_NEXT_AT = (items: string) =>
  `UPDATE transitions SET next_at = n.next_at
    FROM (SELECT workspace, work_item_id, seq, lead(at) OVER (PARTITION BY workspace, work_item_id ORDER BY at, seq) AS next_at
      FROM transitions WHERE ${items}) AS n
    WHERE transitions.workspace = n.workspace AND transitions.work_item_id = n.work_item_id AND transitions.seq = n.seq
      AND transitions.next_at IS NOT n.next_at`;

/**
 * `work_items.first_in_progress_at`: `at` of the item's first move into an in-progress status (NULL without one), where
 * its cycle time starts (item.aging). Seeks the item's transitions by key.
 */
export const FIRST_IN_PROGRESS_AT = `(SELECT min(t.at) FROM transitions t
  WHERE t.workspace = work_items.workspace AND t.work_item_id = work_items.id AND t.to_category = 'in_progress')`;

/**
 * Recomputes `first_in_progress_at` of the work items matched by `items` (a condition over `work_items`), writing only
 * the rows that differ. The items are found by key first and then updated by rowid: written as one WHERE, the planner
 * (no statistics) walks the workspace's covering index that holds the column instead of seeking the ids.
 */
export const REFRESH_FIRST_IN_PROGRESS = (items: string) =>
  `UPDATE work_items SET first_in_progress_at = ${FIRST_IN_PROGRESS_AT}
    WHERE rowid IN (SELECT rowid FROM work_items WHERE ${items}) AND first_in_progress_at IS NOT ${FIRST_IN_PROGRESS_AT}`;

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

/**
 * Recomputes what is derived from the given work items' transitions (after they were written): each transition's
 * `next_at` and each item's `first_in_progress_at`.
 */
export async function refreshTransitionEnds(
  tx: Pick<Transaction, 'execute'>,
  workspace: string,
  workItemIds: readonly string[],
): Promise<void> {
  await refreshInChunks(tx, workspace, workItemIds, 'work_item_id', REFRESH_NEXT_AT);
  await refreshInChunks(tx, workspace, workItemIds, 'id', REFRESH_FIRST_IN_PROGRESS);
}

/**
 * Recomputes the derived columns of the given work items of a workspace (after their row, reviews or author
 * changed), in statements of a few hundred ids.
 */
export const refreshDerivedColumns = (tx: Pick<Transaction, 'execute'>, workspace: string, workItemIds: readonly string[]) =>
  refreshInChunks(tx, workspace, workItemIds, 'id', REFRESH_DERIVED);
