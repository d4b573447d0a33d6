import type { Client } from 'jira.js/core';
import type { ConfluenceApi, ConfluencePageBody, ConfluencePageSummary } from './confluence-api.js';

// The fields of Confluence Cloud's REST v2 payloads that the source reads (GET /wiki/api/v2/spaces, …/pages).
interface V2Page {
  id: string;
  title: string;
  version?: { number?: number; createdAt?: string; authorId?: string };
  createdAt?: string;
  authorId?: string;
  body?: { storage?: { value?: string } };
  _links?: { webui?: string };
}
interface V2List<T> {
  results: T[];
  _links?: { next?: string };
}

const summary = (page: V2Page): ConfluencePageSummary => ({
  id: page.id,
  title: page.title,
  version: page.version?.number ?? 1,
  updatedAt: page.version?.createdAt ?? page.createdAt ?? '',
  ...((page.version?.authorId ?? page.authorId) ? { author: page.version?.authorId ?? page.authorId } : {}),
  webui: page._links?.webui ?? `/pages/viewpage.action?pageId=${page.id}`,
});

/** Confluence Cloud through REST v2: spaces by key, pages of a space by cursor, bodies of up to 100 pages per request. */
export function createCloudApi(client: Client, pageSize: number): ConfluenceApi {
  const get = <T>(url: string, searchParams?: Record<string, unknown>) => client.sendRequest<T>({ method: 'GET', url, searchParams });
  return {
    async findSpace(key) {
      const { results } = await get<V2List<{ id: string; key: string; name: string }>>('/wiki/api/v2/spaces', { keys: key, limit: 1 });
      const space = results.find((candidate) => candidate.key === key);
      return space ? { id: String(space.id), key: space.key, name: space.name } : undefined;
    },
    async listPages(space, next) {
      const list = next
        ? await get<V2List<V2Page>>(next)
        : await get<V2List<V2Page>>(`/wiki/api/v2/spaces/${encodeURIComponent(space.id)}/pages`, { status: 'current', limit: pageSize });
      return { pages: list.results.map(summary), ...(list._links?.next ? { next: list._links.next } : {}) };
    },
    bodiesPerRequest: 100,
    async getBodies(ids) {
      const bodies: ConfluencePageBody[] = [];
      let next: string | undefined;
      do {
        const list = next
          ? await get<V2List<V2Page>>(next)
          : await get<V2List<V2Page>>('/wiki/api/v2/pages', { id: ids.join(','), 'body-format': 'storage', status: 'current', limit: 250 });
        for (const page of list.results) bodies.push({ ...summary(page), storage: page.body?.storage?.value });
        next = list._links?.next;
      } while (next);
      return bodies;
    },
  };
}
