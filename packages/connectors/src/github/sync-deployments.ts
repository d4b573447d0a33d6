import type { SyncContext } from '@teamstate/core';
import { type Delivery, emitDeliveries } from './emit-deliveries.js';
import type { GitHubClient } from './github-client.js';
import { type Connection, type DeploymentNode, nodesOf } from './graphql-types.js';
import { mapDeployment } from './map-deployment.js';
import { PENDING_INDEX_KEY, type PendingIndex } from './pending-index.js';
import { DEPLOYMENT_NODES_QUERY, DEPLOYMENTS_QUERY } from './queries.js';
import { cursorKey, type DeliveryCursor, type PendingDeployment, readCursor, splitRepository } from './sync-cursors.js';

/** Deployments per page (they are small: statuses are capped at 10). */
const PAGE = 100;

/**
 * Syncs one repository's deployments (source `deployments`): those created since the watermark,
 * newest first, and the ones that were still running at the last sync, re-read by node id.
 */
export async function syncDeployments(
  ctx: SyncContext,
  client: GitHubClient,
  repository: string,
  options: { environments?: readonly string[]; mapPullRequests: boolean; listNew: boolean; pendingIndex: PendingIndex },
): Promise<number> {
  const key = cursorKey('deployments', repository);
  const cursor = (await readCursor<DeliveryCursor>(ctx, key)) ?? {};
  const { owner, name } = splitRepository(repository);
  const deliveries: Delivery[] = [];
  const seen = new Set<string>();
  if (options.listNew || !cursor.watermark) {
    let after: string | null = null;
    for (;;) {
      const data: { repository: { deployments: Connection<DeploymentNode> } | null } = await client.graphql(DEPLOYMENTS_QUERY, {
        owner,
        name,
        first: PAGE,
        after,
        environments: options.environments ? [...options.environments] : null,
      });
      const page = data.repository?.deployments;
      const nodes = nodesOf(page);
      const fresh = cursor.watermark ? nodes.filter((n) => n.createdAt > cursor.watermark!) : nodes;
      for (const node of fresh) {
        seen.add(node.id);
        deliveries.push({ deployment: mapDeployment(node, repository), createdAt: node.createdAt, lookupId: node.id, listed: true });
      }
      ctx.progress({ phase: `deployments ${repository}` });
      if (fresh.length < nodes.length || !page?.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
  }
  const recheck = (cursor.pending ?? []).filter((p) => !seen.has(p.id));
  for (let start = 0; start < recheck.length; start += PAGE) {
    const ids = recheck.slice(start, start + PAGE).map((p) => p.id);
    const data = await client.graphql<{ nodes: (DeploymentNode | null)[] }>(
      DEPLOYMENT_NODES_QUERY,
      { ids },
      // A deployment deleted since it was last seen is simply not re-read.
      { tolerateNotFound: (path) => path[0] === 'nodes' },
    );
    for (const node of data.nodes) {
      if (node?.id)
        deliveries.push({ deployment: mapDeployment(node, repository), createdAt: node.createdAt, lookupId: node.id, listed: false });
    }
  }
  return emitDeliveries(ctx, client, repository, deliveries, {
    key,
    cursor,
    mapPullRequests: options.mapPullRequests,
    cursors: (pending: PendingDeployment[]) => indexCursor(options.pendingIndex, repository, pending),
  });
}

/** Records a repository's watched nodes in the index and returns the index's cursor value. */
export function indexCursor(index: PendingIndex, repository: string, pending: readonly PendingDeployment[]): Record<string, string> {
  const key = repository.toLowerCase();
  if (pending.length > 0) index[key] = pending.map((p) => p.id);
  else delete index[key];
  return { [PENDING_INDEX_KEY]: JSON.stringify(index) };
}
