import type { Approval } from '../../kernel/model/derived.js';
import { type ApprovalDeps, storeReader } from './approval-deps.js';
import { approvalFromRow, loadApprovalRow } from './approval-row.js';
import { expireTransition, transitionApproval } from './approval-transition.js';

/** One approval, or `undefined`. A pending approval past its TTL is expired first, so the answer is never stale. */
export async function getApproval(deps: ApprovalDeps, id: string): Promise<Approval | undefined> {
  const { store, workspace, clock } = deps;
  const row = await loadApprovalRow(storeReader(store), workspace, id);
  if (!row) return undefined;
  const expiresAt = row.expires_at;
  if (row.status !== 'pending' || expiresAt === undefined || expiresAt > clock().getTime()) return approvalFromRow(row);
  const expired = await store.write((tx) => transitionApproval(tx, workspace, clock().getTime(), expireTransition(id, expiresAt)));
  if (expired) deps.notifier.notify(id);
  return approvalFromRow((await loadApprovalRow(storeReader(store), workspace, id))!);
}
