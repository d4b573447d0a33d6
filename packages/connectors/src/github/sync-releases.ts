import type { Deployment, SyncContext } from '@teamstate/core';
import { type Delivery, emitDeliveries } from './emit-deliveries.js';
import type { GitHubClient } from './github-client.js';
import { type Connection, nodesOf, type ReleaseNode } from './graphql-types.js';
import type { PendingIndex } from './pending-index.js';
import { RELEASE_NODES_QUERY, RELEASES_QUERY } from './queries.js';
import { cursorKey, type DeliveryCursor, type PendingDeployment, readCursor, splitRepository } from './sync-cursors.js';
import { indexCursor } from './sync-deployments.js';

/** The deployment id of a release: `gh-release-acme/api-987`. */
export function releaseDeploymentId(repository: string, databaseId: number | string): string {
  return `gh-release-${repository}-${databaseId}`;
}

/** Drafts older than this are no longer watched for publication. */
const WATCH_DRAFTS_MS = 90 * 86_400_000;

/** A published release as a successful deployment: it finished when it was published. */
export function mapRelease(node: ReleaseNode, repository: string, environment: string): Deployment {
  return {
    id: releaseDeploymentId(repository, node.databaseId ?? node.id),
    repository,
    environment,
    status: 'success',
    startedAt: node.createdAt,
    finishedAt: node.publishedAt ?? node.createdAt,
    ...(node.tagCommit ? { sha: node.tagCommit.oid } : {}),
  };
}

/**
 * Syncs one repository's published releases as successful deployments to `environment` (source
 * `releases`). Pre-releases are skipped. Releases are listed by creation, and a draft keeps its
 * creation time when it is published later, so drafts are watched (by node id, in the probe) until
 * they are published.
 */
export async function syncReleases(
  ctx: SyncContext,
  client: GitHubClient,
  repository: string,
  options: { environment: string; mapPullRequests: boolean; listNew: boolean; pendingIndex: PendingIndex },
): Promise<number> {
  const key = cursorKey('releases', repository);
  const cursor = (await readCursor<DeliveryCursor>(ctx, key)) ?? {};
  const { owner, name } = splitRepository(repository);
  const deliveries: Delivery[] = [];
  const drafts: PendingDeployment[] = [];
  const seen = new Set<string>();
  let newest: string | undefined;
  const take = (node: ReleaseNode, listed: boolean) => {
    seen.add(node.id);
    if (node.isDraft) drafts.push({ id: node.id, status: 'draft', createdAt: node.createdAt });
    else if (!node.isPrerelease)
      deliveries.push({
        deployment: mapRelease(node, repository, options.environment),
        createdAt: node.createdAt,
        lookupId: node.id,
        listed,
      });
  };
  if (options.listNew || !cursor.watermark) {
    let after: string | null = null;
    for (;;) {
      const data: { repository: { releases: Connection<ReleaseNode> } | null } = await client.graphql(RELEASES_QUERY, {
        owner,
        name,
        first: 100,
        after,
      });
      const page = data.repository?.releases;
      const nodes = nodesOf(page);
      const fresh = cursor.watermark ? nodes.filter((n) => n.createdAt > cursor.watermark!) : nodes;
      for (const node of fresh) {
        if (!newest || node.createdAt > newest) newest = node.createdAt;
        take(node, true);
      }
      ctx.progress({ phase: `releases ${repository}` });
      if (fresh.length < nodes.length || !page?.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
  }
  const recheck = (cursor.pending ?? []).filter((p) => !seen.has(p.id)).map((p) => p.id);
  for (let start = 0; start < recheck.length; start += 100) {
    const data = await client.graphql<{ nodes: (ReleaseNode | null)[] }>(
      RELEASE_NODES_QUERY,
      { ids: recheck.slice(start, start + 100) },
      { tolerateNotFound: (path) => path[0] === 'nodes' },
    );
    for (const node of data.nodes) if (node?.id) take(node, false);
  }
  const watchFrom = ctx.now().getTime() - WATCH_DRAFTS_MS;
  const pending = drafts.filter((d) => Date.parse(d.createdAt) >= watchFrom);
  return emitDeliveries(ctx, client, repository, deliveries, {
    key,
    cursor,
    mapPullRequests: options.mapPullRequests,
    newest,
    pending,
    cursors: (watched) => indexCursor(options.pendingIndex, repository, watched),
  });
}
