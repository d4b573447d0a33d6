import type { Deployment, SyncContext } from '@teamstate/core';
import type { GitHubClient } from '../client/github-client.js';
import type { Connection, ReleaseNode } from '../client/graphql-types.js';
import { listNewerThan } from '../client/list-newer-than.js';
import { RELEASE_NODES_QUERY, RELEASES_QUERY } from '../client/queries.js';
import { readNodes } from '../client/read-nodes.js';
import { type Delivery, emitDeliveries } from '../webhooks/emit-deliveries.js';
import type { PendingIndex } from './pending-index.js';
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
    const nodes = await listNewerThan(
      async (after) => {
        const data = await client.graphql<{ repository: { releases: Connection<ReleaseNode> } | null }>(RELEASES_QUERY, {
          owner,
          name,
          first: 100,
          after,
        });
        return data.repository?.releases;
      },
      cursor.watermark,
      () => ctx.progress({ phase: `releases ${repository}` }),
    );
    for (const node of nodes) {
      // Drafts and pre-releases are not deployments, but they still move the watermark.
      if (!newest || node.createdAt > newest) newest = node.createdAt;
      take(node, true);
    }
  }
  const recheck = (cursor.pending ?? []).filter((p) => !seen.has(p.id)).map((p) => p.id);
  for (const node of await readNodes<ReleaseNode>(client, RELEASE_NODES_QUERY, recheck)) take(node, false);
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
