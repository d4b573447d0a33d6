import type { SyncContext } from '@teamstate/core';
import { AdaptivePageSize } from '../client/adaptive-page-size.js';
import { type GitHubClient, isQueryTooLarge } from '../client/github-client.js';
import { type Connection, nodesOf, type PullRequestNode } from '../client/graphql-types.js';
import { PULL_REQUEST_QUERY, PULL_REQUESTS_QUERY } from '../client/queries.js';
import { PeopleLookup } from '../map/github-accounts.js';
import { mapBuilds } from '../map/map-builds.js';
import { addPeopleOf, mapPullRequest } from '../map/map-pull-request.js';
import { completeConnections, openConnections, PER_QUERY } from './complete-connections.js';
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
  // Pull requests with more reviews, labels or assignees than a page carries wait until their follow-ups fill a query
  // (or the run ends), so one follow-up serves several pages. The cursor names them: a run that stopped reads them
  // again before it goes on.
  let waiting = await readAgain(client, { owner, name }, run.waiting ?? []);
  for (;;) {
    const page = await fetchPage(client, { owner, name, after: run.after }, size, options.wait);
    result.pages += 1;
    const nodes = nodesOf(page);
    run.target ??= nodes[0]?.updatedAt ?? cursor.watermark;
    // Most recently updated first: everything older than the watermark was synced by an earlier run.
    const fresh = cursor.watermark ? nodes.filter((node) => node.updatedAt >= cursor.watermark!) : nodes;
    const reachedWatermark = fresh.length < nodes.length;
    const done = reachedWatermark || !page.pageInfo.hasNextPage || !page.pageInfo.endCursor;
    const overflowing = new Set(openConnections(fresh).map((open) => open.node));
    waiting = [...waiting.filter((node) => !fresh.some((other) => other.number === node.number)), ...overflowing];
    let ready = fresh.filter((node) => !overflowing.has(node));
    if (done || openConnections(waiting).length >= PER_QUERY) {
      await completeConnections(client, waiting);
      ready = [...ready, ...waiting];
      waiting = [];
    }
    for (const node of ready) addPeopleOf(node, people);
    await people.resolve();
    const workItems = ready.map((node) => mapPullRequest(node, repository, options.team, people, (input) => ctx.detectAi(input)));
    const { waiting: _stored, ...position } = run;
    const next: PullRequestsCursor = done
      ? { ...(run.target ? { watermark: run.target } : {}) }
      : {
          ...(cursor.watermark ? { watermark: cursor.watermark } : {}),
          run: {
            ...position,
            after: page.pageInfo.endCursor,
            ...(waiting.length > 0 ? { waiting: waiting.map((node) => node.number) } : {}),
          },
        };
    const builds = ready.flatMap((node) => mapBuilds(node, repository));
    await ctx.emit({ workItems, ...(builds.length > 0 ? { builds } : {}) }, { cursors: { [key]: JSON.stringify(next) } });
    result.pullRequests += workItems.length;
    ctx.progress({ phase: `pull requests ${repository}`, pages: result.pages });
    if (done) return result;
    run.after = page.pageInfo.endCursor;
  }
}

/** The pull requests a stopped run left waiting for their follow-ups, read again (one request each; gone ones dropped). */
async function readAgain(
  client: GitHubClient,
  at: { owner: string; name: string },
  numbers: readonly number[],
): Promise<PullRequestNode[]> {
  const nodes: PullRequestNode[] = [];
  for (const number of numbers) {
    const data = await client.graphql<{ repository: { pullRequest: PullRequestNode | null } | null }>(PULL_REQUEST_QUERY, {
      ...at,
      number,
    });
    if (data.repository?.pullRequest) nodes.push(data.repository.pullRequest);
  }
  return nodes;
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
