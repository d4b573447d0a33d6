import type { Deployment, SyncContext } from '@teamstate/core';
import type { GitHubClient } from '../client/github-client.js';
import { pullRequestId } from '../map/map-pull-request.js';
import { type CommitRange, pullRequestsInRanges } from '../sync/commit-ranges.js';
import { type DeliveryCursor, type LastSuccess, type PendingDeployment, splitRepository } from '../sync/sync-cursors.js';

/** A deployment found by any source, with what the cursor needs to know about it. */
export interface Delivery {
  deployment: Deployment;
  /** When it was created at GitHub (the watermark compares these). */
  createdAt: string;
  /** The id to look it up by while it is still running (GraphQL node id or run id). */
  lookupId: string;
  /** True when it came from the newest-first listing (moves the watermark), false when it was re-read. */
  listed: boolean;
}

/** Deployments still running after this long are no longer watched. */
const WATCH_PENDING_MS = 7 * 86_400_000;
const CHUNK = 500;

/**
 * Completes and stores deployments of one repository: maps each successful one to the pull requests
 * in its commit range (from the previous successful deployment of its environment, by finish time,
 * kept in the cursor across runs; the first one of an environment has no range and no list), remembers the ones still running, and emits them with the new cursor in the
 * last batch. `cursors` adds other cursor values to that batch.
 */
export async function emitDeliveries(
  ctx: SyncContext,
  client: GitHubClient,
  repository: string,
  deliveries: Delivery[],
  state: {
    key: string;
    cursor: DeliveryCursor;
    mapPullRequests: boolean;
    /** The newest creation time listed, when the listing held items that are not deployments (drafts, cancelled runs). */
    newest?: string;
    /** What to keep watching, when it is not the deployments still in progress (release drafts). */
    pending?: PendingDeployment[];
    etag?: string;
    cursors?: (pending: PendingDeployment[]) => Record<string, string>;
  },
): Promise<number> {
  const { cursor } = state;
  // Ranges follow the order deployments finished in (a release drafted long ago is published now).
  deliveries.sort((a, b) => Date.parse(a.deployment.finishedAt) - Date.parse(b.deployment.finishedAt));
  const lastSuccess: Record<string, LastSuccess> = { ...cursor.lastSuccess };
  const ranges: { delivery: Delivery; range: CommitRange }[] = [];
  for (const delivery of deliveries) {
    const { deployment } = delivery;
    if (deployment.status !== 'success' || !deployment.sha) continue;
    const previous = lastSuccess[deployment.environment];
    const at = Date.parse(deployment.finishedAt);
    if (previous && Date.parse(previous.at) >= at) continue;
    if (previous) ranges.push({ delivery, range: { head: deployment.sha, base: previous.sha } });
    lastSuccess[deployment.environment] = { sha: deployment.sha, at: deployment.finishedAt };
  }
  if (state.mapPullRequests && ranges.length > 0) {
    const numbers = await pullRequestsInRanges(
      client,
      splitRepository(repository),
      ranges.map((r) => r.range),
    );
    const ids = numbers.map((list) => list?.map((n) => pullRequestId(repository, n)));
    // Only pull requests the store knows can be referenced (a PR of another base branch may be missing).
    const known = await ctx.existing('work item', [...new Set(ids.flatMap((list) => list ?? []))]);
    ranges.forEach(({ delivery }, i) => {
      const list = ids[i];
      if (list) delivery.deployment.pullRequests = list.filter((id) => known.has(id));
    });
  }
  const watchFrom = ctx.now().getTime() - WATCH_PENDING_MS;
  const pending: PendingDeployment[] =
    state.pending ??
    deliveries
      .filter((d) => d.deployment.status === 'in_progress' && Date.parse(d.createdAt) >= watchFrom)
      .map((d) => ({ id: d.lookupId, status: d.deployment.status, createdAt: d.createdAt }));
  const listedNewest = deliveries
    .filter((d) => d.listed)
    .map((d) => d.createdAt)
    .sort()
    .at(-1);
  const newest = [listedNewest, state.newest]
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1);
  const watermark = newest && (!cursor.watermark || newest > cursor.watermark) ? newest : cursor.watermark;
  const next: DeliveryCursor = { ...(watermark ? { watermark } : {}), pending, lastSuccess };
  if (state.etag) next.etag = state.etag;
  const cursors = { [state.key]: JSON.stringify(next), ...state.cursors?.(pending) };
  if (deliveries.length === 0) {
    await ctx.emit({}, { cursors });
    return 0;
  }
  for (let start = 0; start < deliveries.length; start += CHUNK) {
    const last = start + CHUNK >= deliveries.length;
    await ctx.emit({ deployments: deliveries.slice(start, start + CHUNK).map((d) => d.deployment) }, last ? { cursors } : undefined);
  }
  return deliveries.length;
}
