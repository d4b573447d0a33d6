import type { PendingNode } from '../client/graphql-types.js';

/**
 * Node ids watched per repository (lower-cased `owner/name`): deployments still running and release
 * drafts at the last sync. One cursor holds it, so the probe can ask about all of them in its first
 * query before it knows which repositories there are.
 */
export type PendingIndex = Record<string, string[]>;

/** The cursor key of the pending index. */
export const PENDING_INDEX_KEY = 'pending';

const SETTLED = new Set(['SUCCESS', 'FAILURE', 'ERROR', 'INACTIVE']);

/**
 * True when a watched node changed since the last sync: a deployment got a final status, a draft was
 * published, or the node is gone.
 */
export function pendingChanged(ids: readonly string[] | undefined, now: ReadonlyMap<string, PendingNode>): boolean {
  return (ids ?? []).some((id) => {
    const node = now.get(id);
    if (!node) return true;
    if (node.__typename === 'Release') return !node.isDraft;
    return node.latestStatus !== null && SETTLED.has(node.latestStatus.state);
  });
}
