import type { Transaction } from '../../kernel/store/driver.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { OPEN_PR_REVIEWS_FILL } from './derived-columns.js';

/**
 * The secondary indexes a large import into an empty table builds after its rows, by table. Nothing on a bundle's write
 * path reads them: the upserts, the reference checks and the derived columns go by primary key, and the triggers use
 * {@link WRITE_PATH_INDEXES}. SQLite builds an index from its rows sorted once, far faster than it grows one row by row
 * out of its order (at 10,000 engineers the import took 596 s instead of 1,334 s).
 */
export const DEFERRABLE_INDEXES: Readonly<Record<string, readonly string[]>> = {
  work_items: [
    'work_items_author_idx',
    'work_items_created_idx',
    'work_items_done_idx',
    'work_items_flagged_idx',
    'work_items_in_progress_idx',
    'work_items_key_idx',
    'work_items_labels_idx',
    'work_items_kind_merged_idx',
    'work_items_kind_state_created_idx',
    'work_items_lower_state_idx',
    'work_items_open_due_idx',
    'work_items_open_pr_idx',
    'work_items_parent_idx',
    'work_items_pr_merged_author_idx',
    'work_items_repository_merged_idx',
    'work_items_resolved_idx',
    'work_items_status_category_idx',
    'work_items_team_in_progress_idx',
    'work_items_team_resolved_idx',
    'work_items_unmerged_pr_idx',
  ],
  reviews: ['reviews_reviewer_idx', 'reviews_submitted_idx'],
  work_item_assignees: ['work_item_assignees_person_idx'],
  reports: ['reports_blocked_day_idx', 'reports_day_idx'],
  deployments: ['deployments_latest_idx', 'deployments_production_idx', 'deployments_repository_finished_idx', 'deployments_window_idx'],
  incidents: [
    'incidents_created_idx',
    'incidents_deployment_idx',
    'incidents_repository_created_idx',
    'incidents_service_created_idx',
    'incidents_team_created_idx',
  ],
};

/** The other secondary indexes of those tables: a bundle's writes read them, so they stay in place. Each with its reader. */
export const WRITE_PATH_INDEXES: Readonly<Record<string, string>> = {
  work_items_sprint_idx: "the sprint-totals trigger on a new sprint sums the sprint's items",
  deployments_mapping_idx: "the mapping triggers find a repository's latest production deployment without a list",
};

/**
 * Tables kept by triggers on the bulk tables that a large import into empty tables fills after its rows instead, each
 * with the statement that fills it: their triggers (named after them) are dropped with the deferrable indexes, and
 * after the last row the table is filled in its key's order and the triggers created again, before the indexes (row
 * by row, each derived row is a look-up of its item and an insert out of its key's order).
 */
export const DEFERRABLE_DERIVED: Readonly<Record<string, string>> = {
  open_pr_reviews: OPEN_PR_REVIEWS_FILL,
};

/** A trigger's or index's name and its own `CREATE …` statement, as `sqlite_master` keeps them. */
const schemaRows = columns({ name: text, sql: text });
const nameRows = columns({ name: text });

/**
 * Drops the triggers that keep the derived `table` (named `<table>_…`) and returns their own `CREATE TRIGGER`
 * statements, in name order, to run again once it is filled. Run both in one transaction, as {@link dropIndexes}.
 */
export async function dropDerivedTriggers(tx: Pick<Transaction, 'execute'>, table: string): Promise<string[]> {
  const { rows } = await tx.execute({
    sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, length(?) + 1) = ? || '_' ORDER BY name",
    args: [table, table],
  });
  const triggers = schemaRows.all(rows);
  for (const trigger of triggers) await tx.execute(`DROP TRIGGER "${trigger.name}"`);
  return triggers.map((trigger) => trigger.sql);
}

/** The tables with deferrable indexes, and the derived tables filled after the rows, that have no rows (in any workspace). */
export async function emptyDeferrableTables(tx: Pick<Transaction, 'execute'>): Promise<string[]> {
  const tables = [...new Set([...Object.keys(DEFERRABLE_INDEXES), ...Object.keys(DEFERRABLE_DERIVED)])];
  const { rows } = await tx.execute(
    tables.map((table) => `SELECT '${table}' AS name WHERE NOT EXISTS (SELECT 1 FROM ${table})`).join(' UNION ALL '),
  );
  return nameRows.all(rows).map((row) => row.name);
}

/**
 * Drops the indexes of `table` named in `names` (every index declared on it when omitted) and returns their own
 * `CREATE INDEX` statements, in name order, to run again once the rows are in. Run both in one transaction: a failure
 * in between rolls the drop back with the rest.
 */
export async function dropIndexes(tx: Pick<Transaction, 'execute'>, table: string, names?: readonly string[]): Promise<string[]> {
  const { rows } = await tx.execute({
    sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
    args: [table],
  });
  const dropped = schemaRows.all(rows).filter((row) => names === undefined || names.includes(row.name));
  for (const index of dropped) await tx.execute(`DROP INDEX "${index.name}"`);
  return dropped.map((index) => index.sql);
}
