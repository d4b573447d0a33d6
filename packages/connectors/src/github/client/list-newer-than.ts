import { type Connection, nodesOf } from './graphql-types.js';

/**
 * Reads a newest-first connection page by page until it reaches items created at or before
 * `watermark` (everything when there is none) and returns the newer ones.
 */
export async function listNewerThan<T extends { createdAt: string }>(
  fetchPage: (after: string | null) => Promise<Connection<T> | undefined>,
  watermark: string | undefined,
  onPage: () => void,
): Promise<T[]> {
  const items: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after);
    const nodes = nodesOf(page);
    const fresh = watermark ? nodes.filter((n) => n.createdAt > watermark) : nodes;
    items.push(...fresh);
    onPage();
    if (fresh.length < nodes.length || !page?.pageInfo.hasNextPage || !page.pageInfo.endCursor) return items;
    after = page.pageInfo.endCursor;
  }
}
