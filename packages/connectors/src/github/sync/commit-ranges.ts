import type { GitHubClient } from '../client/github-client.js';
import { nodesOf, type PageInfo } from '../client/graphql-types.js';
import { commitHistoryQuery } from '../client/queries.js';

/** The commits a deployment shipped: from `head` back to (excluding) `base`, the previous deployment's commit. */
export interface CommitRange {
  head: string;
  base: string;
}

/** Ranges walked per query (about 10 points each: the cost is per commit asked for, not per query). */
const RANGES_PER_QUERY = 20;
/** Commits asked for in the first page of a range (most deployments ship fewer). */
const FIRST_PAGE = 50;
/** Commits per page when a range is longer. */
const NEXT_PAGE = 100;
/** Longer ranges are not walked: the deployment's pull requests stay unknown (metrics then match by time). */
const MAX_COMMITS = 500;

interface Walk {
  range: CommitRange;
  after: string | null;
  commits: number;
  pullRequests: Set<number>;
  done: boolean;
  result?: number[];
}

type HistoryNode = {
  history: {
    pageInfo: PageInfo;
    nodes: ({ oid: string; associatedPullRequests: { nodes: ({ number: number; state: string } | null)[] | null } | null } | null)[] | null;
  };
} | null;

/**
 * The numbers of the merged pull requests whose commits lie in each range, found by walking the
 * history of `head` until `base` with aliased GraphQL queries (20 ranges each). A range whose base is
 * not an ancestor of its head, or that is longer than 500 commits, maps to `undefined` (unknown), an
 * empty range (a redeploy of the same commit) to `[]`.
 */
export async function pullRequestsInRanges(
  client: GitHubClient,
  repository: { owner: string; name: string },
  ranges: readonly CommitRange[],
): Promise<(number[] | undefined)[]> {
  const walks: Walk[] = ranges.map((range) =>
    range.head === range.base
      ? { range, after: null, commits: 0, pullRequests: new Set(), done: true, result: [] }
      : { range, after: null, commits: 0, pullRequests: new Set(), done: false },
  );
  for (let open = walks.filter((w) => !w.done); open.length > 0; open = walks.filter((w) => !w.done)) {
    for (let start = 0; start < open.length; start += RANGES_PER_QUERY) {
      const batch = open.slice(start, start + RANGES_PER_QUERY);
      // A batch where every walk is still on its first page asks for the smaller first page.
      const first = batch.every((w) => w.after === null) ? FIRST_PAGE : NEXT_PAGE;
      const variables: Record<string, unknown> = { ...repository };
      batch.forEach((walk, i) => {
        variables[`oid${i}`] = walk.range.head;
        variables[`after${i}`] = walk.after;
      });
      const data = await client.graphql<{ repository: Record<string, HistoryNode> | null }>(
        commitHistoryQuery(batch.length, first),
        variables,
      );
      batch.forEach((walk, i) => advance(walk, data.repository?.[`c${i}`] ?? null));
    }
  }
  return walks.map((walk) => walk.result);
}

function advance(walk: Walk, node: HistoryNode): void {
  if (!node?.history) {
    // The head commit is gone (force-pushed away) or is not a commit.
    walk.done = true;
    return;
  }
  for (const commit of nodesOf(node.history)) {
    if (commit.oid === walk.range.base) {
      walk.done = true;
      walk.result = [...walk.pullRequests].sort((a, b) => a - b);
      return;
    }
    walk.commits += 1;
    for (const pr of nodesOf(commit.associatedPullRequests)) if (pr.state === 'MERGED') walk.pullRequests.add(pr.number);
  }
  const { hasNextPage, endCursor } = node.history.pageInfo;
  if (!hasNextPage || !endCursor || walk.commits >= MAX_COMMITS) {
    walk.done = true;
    return;
  }
  walk.after = endCursor;
}
