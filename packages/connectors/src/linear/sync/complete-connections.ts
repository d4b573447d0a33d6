import type { LinearApi, LinearCallOptions } from '../client/linear-api.js';
import type { LinearConnection } from '../client/linear-types.js';

/** One issue whose connection has more to read: its id, the cursor to read after, and what is read so far. */
export interface OpenConnection<T> {
  id: string;
  after: string | null;
  list: T[];
}

/** How to read one connection of many issues at once: the query for `n` issues (aliased `i0`…) and the field read. */
export interface ConnectionPaging {
  query: (issues: number) => string;
  field: 'history' | 'relations';
  /** The most issues one request reads. */
  batch: number;
}

/**
 * Reads the rest of one connection (history, relations) of the open issues, up to `paging.batch` issues per request
 * (variables `id<n>` and `after<n>`), until none has another page; each entry's list receives its nodes.
 */
export async function completeConnections<T>(
  api: LinearApi,
  paging: ConnectionPaging,
  opened: OpenConnection<T>[],
  call: LinearCallOptions,
  onPage: () => void,
): Promise<void> {
  let open = opened;
  while (open.length > 0) {
    const batch = open.slice(0, paging.batch);
    const variables = Object.fromEntries(batch.flatMap((entry, n) => [[`id${n}`, entry.id] as const, [`after${n}`, entry.after] as const]));
    const answer = await api.request<
      Record<string, ({ id: string } & Partial<Record<ConnectionPaging['field'], LinearConnection<T>>>) | null>
    >(paging.query(batch.length), variables, call);
    onPage();
    const more: OpenConnection<T>[] = [];
    batch.forEach((entry, n) => {
      const page = answer[`i${n}`]?.[paging.field];
      if (!page) return;
      entry.list.push(...page.nodes);
      if (page.pageInfo.hasNextPage) more.push({ ...entry, after: page.pageInfo.endCursor });
    });
    open = [...more, ...open.slice(paging.batch)];
  }
}
