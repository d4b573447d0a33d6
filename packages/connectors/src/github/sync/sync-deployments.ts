import type { SyncContext } from '@teamstate/core';
import type { GitHubClient } from '../client/github-client.js';
import type { Connection, DeploymentNode } from '../client/graphql-types.js';
import { listNewerThan } from '../client/list-newer-than.js';
import { DEPLOYMENT_NODES_QUERY, DEPLOYMENTS_QUERY } from '../client/queries.js';
import { readNodes } from '../client/read-nodes.js';
import { mapDeployment } from '../map/map-deployment.js';
import { type Delivery, emitDeliveries } from '../webhooks/emit-deliveries.js';
import { PENDING_INDEX_KEY, type PendingIndex } from './pending-index.js';
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
    const nodes = await listNewerThan(
      async (after) => {
        const data = await client.graphql<{ repository: { deployments: Connection<DeploymentNode> } | null }>(DEPLOYMENTS_QUERY, {
          owner,
          name,
          first: PAGE,
          after,
          environments: options.environments ? [...options.environments] : null,
        });
        return data.repository?.deployments;
      },
      cursor.watermark,
      () => ctx.progress({ phase: `deployments ${repository}` }),
    );
    for (const node of nodes) {
      seen.add(node.id);
      deliveries.push({ deployment: mapDeployment(node, repository), createdAt: node.createdAt, lookupId: node.id, listed: true });
    }
  }
  const recheck = (cursor.pending ?? []).filter((p) => !seen.has(p.id)).map((p) => p.id);
  for (const node of await readNodes<DeploymentNode>(client, DEPLOYMENT_NODES_QUERY, recheck))
    deliveries.push({ deployment: mapDeployment(node, repository), createdAt: node.createdAt, lookupId: node.id, listed: false });
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
