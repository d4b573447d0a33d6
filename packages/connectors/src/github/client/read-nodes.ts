import type { GitHubClient } from './github-client.js';

/** Ids per `nodes(ids:)` query (GitHub's maximum). */
const PER_QUERY = 100;

/**
 * Reads nodes by GraphQL id with `query` (which selects `nodes(ids: $ids)`), 100 per request. A node
 * deleted since it was seen is left out rather than failing the read.
 */
export async function readNodes<T extends { id?: string }>(client: GitHubClient, query: string, ids: readonly string[]): Promise<T[]> {
  const found: T[] = [];
  for (let start = 0; start < ids.length; start += PER_QUERY) {
    const data = await client.graphql<{ nodes: (T | null)[] }>(
      query,
      { ids: ids.slice(start, start + PER_QUERY) },
      { tolerateNotFound: (path) => path[0] === 'nodes' },
    );
    for (const node of data.nodes) if (node?.id) found.push(node);
  }
  return found;
}
