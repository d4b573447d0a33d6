import type { Transaction } from '../../kernel/store/driver.js';

import type { RecordRemoval } from '../../spec/webhook.js';

export type { RecordRemoval };

/**
 * Deletes records and every row that refers to them, inside the open transaction (a webhook delivery's),
 * so no reference is left dangling. Unknown ids are ignored. Returns how many rows were deleted or updated.
 */
export async function removeRecords(tx: Transaction, workspace: string, removal: RecordRemoval): Promise<number> {
  let changes = 0;
  const run = async (sql: string, ids: string[]) => {
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const result = await tx.execute({ sql: sql.replace('(?)', `(${chunk.map(() => '?').join(',')})`), args: [workspace, ...chunk] });
      changes += result.rowsAffected;
    }
  };
  const items = [...new Set(removal.workItems ?? [])];
  for (const table of [
    'work_item_assignees',
    'review_requests',
    'reviews',
    'transitions',
    'sprint_committed_items',
    'deployment_pull_requests',
  ])
    await run(`DELETE FROM ${table} WHERE workspace = ? AND work_item_id IN (?)`, items);
  await run('DELETE FROM work_items WHERE workspace = ? AND id IN (?)', items);
  const sprints = [...new Set(removal.sprints ?? [])];
  await run('UPDATE work_items SET sprint_id = NULL WHERE workspace = ? AND sprint_id IN (?)', sprints);
  await run('DELETE FROM sprint_committed_items WHERE workspace = ? AND sprint_id IN (?)', sprints);
  await run('DELETE FROM sprints WHERE workspace = ? AND id IN (?)', sprints);
  return changes;
}
