import type { GitHubClient } from '../client/github-client.js';
import type { Connection, PullRequestNode } from '../client/graphql-types.js';
import { connectionsQuery, type NestedConnection } from '../client/queries.js';

/** Overflowing connections continued per follow-up query. */
export const PER_QUERY = 20;

const CONNECTIONS: readonly NestedConnection[] = ['labels', 'assignees', 'reviews'];

interface Open {
  node: PullRequestNode;
  connection: NestedConnection;
  after: string;
}

export function openConnections(nodes: readonly PullRequestNode[]): Open[] {
  const open: Open[] = [];
  for (const node of nodes) {
    for (const connection of CONNECTIONS) {
      const page = node[connection] as Connection<unknown> | null;
      if (page?.pageInfo.hasNextPage && page.pageInfo.endCursor) open.push({ node, connection, after: page.pageInfo.endCursor });
    }
  }
  return open;
}

/**
 * Follows every nested connection (labels, assignees, reviews) of `nodes` that has more pages, with
 * aliased queries that continue up to 20 connections each, until all are complete. Appends the nodes
 * in place. Returns how many queries it took.
 */
export async function completeConnections(client: GitHubClient, nodes: readonly PullRequestNode[]): Promise<number> {
  let queries = 0;
  for (let open = openConnections(nodes); open.length > 0; open = openConnections(nodes)) {
    for (let start = 0; start < open.length; start += PER_QUERY) {
      const batch = open.slice(start, start + PER_QUERY);
      const variables = Object.fromEntries(
        batch.flatMap((part, i) => [
          [`id${i}`, part.node.id],
          [`after${i}`, part.after],
        ]),
      );
      const data = await client.graphql<Record<string, Partial<Record<NestedConnection, Connection<never>>> | null>>(
        connectionsQuery(batch),
        variables,
        { tolerateNotFound: (path) => /^c\d+$/.test(String(path[0])) },
      );
      queries += 1;
      batch.forEach((part, i) => {
        const page = data[`c${i}`]?.[part.connection];
        const target = part.node[part.connection] as Connection<unknown>;
        if (!page) {
          // The pull request vanished meanwhile: keep what we have.
          target.pageInfo = { hasNextPage: false, endCursor: null };
          return;
        }
        target.nodes = [...(target.nodes ?? []), ...(page.nodes ?? [])];
        target.pageInfo = page.pageInfo;
      });
    }
  }
  return queries;
}
