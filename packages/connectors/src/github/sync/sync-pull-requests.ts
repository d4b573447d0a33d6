import type { SyncContext } from '@teamstate/core';
import { AdaptivePageSize } from '../client/adaptive-page-size.js';
import { type GitHubClient, isQueryTooLarge } from '../client/github-client.js';
import { type Connection, nodesOf, type PullRequestNode } from '../client/graphql-types.js';
import { PULL_REQUESTS_QUERY } from '../client/queries.js';
import { PeopleLookup } from '../map/github-accounts.js';
import { mapBuilds } from '../map/map-builds.js';
import { addPeopleOf, mapPullRequest } from '../map/map-pull-request.js';
import { completeConnections } from './complete-connections.js';
import { cursorKey, type PullRequestsCursor, readCursor, splitRepository } from './sync-cursors.js';

/** Attempts at the smallest page size before a failing page is given up. */
const ATTEMPTS_AT_MINIMUM = 3;

/** What one repository's pull request sync did. */
export interface PullRequestSyncResult {
  pages: number;
  pullRequests: number;
}

/**
 * Syncs the pull requests of one repository changed since its cursor, most recently updated first,
 * one GraphQL page at a time (nested reviews, labels, assignees, first commit, ready time and the
 * head commit's CI runs as builds included; overflowing connections completed with aliased follow-ups). Each page is emitted with the
 * cursor that resumes after it, so a crash or Ctrl-C loses nothing; the watermark moves to the newest
 * update of the run only once the run reaches the previous watermark.
 */
export async function syncPullRequests(
  ctx: SyncContext,
  client: GitHubClient,
  repository: string,
  options: { team?: string; pageSize: number; wait: (ms: number, reason: string) => Promise<void> },
): Promise<PullRequestSyncResult> {
  const key = cursorKey('pulls', repository);
  const cursor = (await readCursor<PullRequestsCursor>(ctx, key)) ?? {};
  const run = cursor.run ?? { after: null };
  const { owner, name } = splitRepository(repository);
  const size = new AdaptivePageSize(options.pageSize);
  const people = new PeopleLookup(ctx.resolvePeople);
  const result: PullRequestSyncResult = { pages: 0, pullRequests: 0 };
  for (;;) {
    const page = await fetchPage(client, { owner, name, after: run.after }, size, options.wait);
    result.pages += 1;
    const nodes = nodesOf(page);
    run.target ??= nodes[0]?.updatedAt ?? cursor.watermark;
    // Most recently updated first: everything older than the watermark was synced by an earlier run.
    const fresh = cursor.watermark ? nodes.filter((node) => node.updatedAt >= cursor.watermark!) : nodes;
    const reachedWatermark = fresh.length < nodes.length;
    await completeConnections(client, fresh);
    for (const node of fresh) addPeopleOf(node, people);
    await people.resolve();
    const workItems = fresh.map((node) => mapPullRequest(node, repository, options.team, people, (input) => ctx.detectAi(input)));
    const done = reachedWatermark || !page.pageInfo.hasNextPage || !page.pageInfo.endCursor;
    const next: PullRequestsCursor = done
      ? { ...(run.target ? { watermark: run.target } : {}) }
      : { ...(cursor.watermark ? { watermark: cursor.watermark } : {}), run: { ...run, after: page.pageInfo.endCursor } };
    const builds = fresh.flatMap((node) => mapBuilds(node, repository));
    await ctx.emit({ workItems, ...(builds.length > 0 ? { builds } : {}) }, { cursors: { [key]: JSON.stringify(next) } });
    result.pullRequests += workItems.length;
    ctx.progress({ phase: `pull requests ${repository}`, pages: result.pages });
    if (done) return result;
    run.after = page.pageInfo.endCursor;
  }
}

async function fetchPage(
  client: GitHubClient,
  at: { owner: string; name: string; after: string | null },
  size: AdaptivePageSize,
  wait: (ms: number, reason: string) => Promise<void>,
): Promise<Connection<PullRequestNode>> {
  let failuresAtMinimum = 0;
  for (;;) {
    try {
      const data = await client.graphql<{ repository: { pullRequests: Connection<PullRequestNode> } | null }>(
        PULL_REQUESTS_QUERY,
        { ...at, first: size.size },
        { retryServerErrors: false },
      );
      size.succeeded();
      if (!data.repository) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
      return data.repository.pullRequests;
    } catch (error) {
      if (!isQueryTooLarge(error)) throw error;
      // Smaller pages ask less of GitHub's 10-second budget; at the smallest size, try a few more times.
      if (size.shrink()) continue;
      if (++failuresAtMinimum >= ATTEMPTS_AT_MINIMUM) throw error;
      await wait(1_000 * 2 ** failuresAtMinimum, `GitHub timed out on ${size.size} pull requests of ${at.owner}/${at.name}; retrying`);
    }
  }
}
