import type { Transaction } from '../../kernel/store/driver.js';

/** The shared record tables, children first, so a clear never leaves a row that names a removed one. */
const SHARED_RECORDS = [
  'deployment_pull_requests',
  'sprint_committed_items',
  'reviews',
  'transitions',
  'work_item_assignees',
  'incidents',
  'deployments',
  'work_items',
  'sprints',
  'memberships',
  'accounts',
  'repositories',
  'people',
  'teams',
] as const;

/**
 * Removes every shared record of the workspace (teams, people, repositories, work items, sprints, deployments,
 * incidents) and `connector`'s sync cursors inside the open transaction; what features keep (approvals, the audit
 * ledger, reports, tokens, settings) stays unless their `onRecordsCleared` hook says otherwise.
 */
export async function clearRecords(tx: Transaction, workspace: string, connector: string): Promise<void> {
  for (const table of SHARED_RECORDS) await tx.execute({ sql: `DELETE FROM ${table} WHERE workspace = ?`, args: [workspace] });
  await tx.execute({ sql: 'DELETE FROM sync_cursors WHERE workspace = ? AND connector = ?', args: [workspace, connector] });
}
