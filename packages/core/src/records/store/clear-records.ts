import { TeamStateError } from '../../kernel/errors.js';
import type { Store } from '../../kernel/store/open-store.js';
import type { FeatureDefinition } from '../feature.js';

/** The shared record tables, children first, so a clear never leaves a row that names a removed one. */
const SHARED_RECORDS = [
  'deployment_pull_requests',
  'sprint_committed_items',
  'reviews',
  'transitions',
  'work_item_assignees',
  'review_requests',
  'incidents',
  'deployments',
  'work_items',
  'sprints',
  'team_leads',
  'memberships',
  'accounts',
  'repositories',
  'people',
  'teams',
] as const;

/**
 * Removes every shared record of the workspace (teams, people, repositories, work items, sprints, deployments,
 * incidents) and `connector`'s sync cursors in one transaction, with the features' `onRecordsCleared` hooks (signals
 * go); what features keep otherwise (approvals, the audit ledger, reports, tokens, settings) stays.
 */
export async function clearRecords(
  store: Store,
  workspace: string,
  connector: string,
  features: readonly FeatureDefinition[],
): Promise<void> {
  if (typeof connector !== 'string' || connector.trim() === '')
    throw new TeamStateError(
      'invalid_argument',
      `connector: expected the id of the connector whose sync cursors go (e.g. "demo"), got ${JSON.stringify(connector) ?? 'undefined'}`,
    );
  return store.write(async (tx) => {
    for (const table of SHARED_RECORDS) await tx.execute({ sql: `DELETE FROM ${table} WHERE workspace = ?`, args: [workspace] });
    await tx.execute({ sql: 'DELETE FROM sync_cursors WHERE workspace = ? AND connector = ?', args: [workspace, connector] });
    // Its last sync no longer describes what is stored (the lease, if any, stays with its holder).
    await tx.execute({
      sql: 'UPDATE sync_sources SET last_sync_at = NULL, last_sync_ok = NULL, last_error = NULL, last_duration_ms = NULL WHERE workspace = ? AND connector = ?',
      args: [workspace, connector],
    });
    for (const feature of features) await feature.hooks?.onRecordsCleared?.(tx, workspace);
  });
}
