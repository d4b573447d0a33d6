import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The `prevHash` of the first entry of a workspace's ledger. */
export const GENESIS_HASH = '0'.repeat(64);

/** The part of an audit entry that its hash covers (everything but `prevHash` and `hash`). */
export interface HashedAuditContent {
  workspace: string;
  seq: number;
  /** ISO 8601 UTC instant. */
  at: string;
  type: string;
  approvalId: string | null;
  actor: string;
  data: Record<string, unknown>;
}

/** The hashed content of a stored entry of `workspace` (its `approvalId` NULL when it names no approval). */
export function hashedContent(
  workspace: string,
  entry: Omit<HashedAuditContent, 'workspace' | 'approvalId'> & { approvalId?: string | null },
): HashedAuditContent {
  const { seq, at, type, actor, data } = entry;
  return { workspace, seq, at, type, approvalId: entry.approvalId ?? null, actor, data };
}

/**
 * `sha256(prevHash ‖ canonicalJson(content))` as lowercase hex: the link of the hash chain.
 * Anyone can recompute it outside teamstate from the stored columns (see docs/approvals.md).
 */
export function hashAuditEntry(prevHash: string, content: HashedAuditContent): string {
  return createHash('sha256')
    .update(prevHash + canonicalJson(content), 'utf8')
    .digest('hex');
}
