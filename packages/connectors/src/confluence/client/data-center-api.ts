import type { Client } from 'jira.js/core';
import type { ConfluenceApi, ConfluencePageBody, ConfluencePageSummary } from './confluence-api.js';

// The fields of Confluence Data Center's REST v1 content payloads that the source reads (GET /rest/api/content).
interface V1Content {
  id: string;
  title: string;
  version?: { number?: number; when?: string; by?: { username?: string; userKey?: string } };
  body?: { storage?: { value?: string } };
  _links?: { webui?: string };
}

const summary = (content: V1Content): ConfluencePageSummary => ({
  id: content.id,
  title: content.title,
  version: content.version?.number ?? 1,
  updatedAt: content.version?.when ?? '',
  ...((content.version?.by?.username ?? content.version?.by?.userKey)
    ? { author: content.version?.by?.username ?? content.version?.by?.userKey }
    : {}),
  webui: content._links?.webui ?? `/pages/viewpage.action?pageId=${content.id}`,
});

const status = (error: unknown) => (error as { statusCode?: number }).statusCode;

/** Confluence Data Center through REST v1 (a personal access token as bearer): offset paging, one body per request. */
export function createDataCenterApi(client: Client, pageSize: number): ConfluenceApi {
  const get = <T>(url: string, searchParams?: Record<string, unknown>) => client.sendRequest<T>({ method: 'GET', url, searchParams });
  return {
    async findSpace(key) {
      try {
        const space = await get<{ id: number | string; key: string; name: string }>(`/rest/api/space/${encodeURIComponent(key)}`);
        return { id: String(space.id), key: space.key, name: space.name };
      } catch (error) {
        // Data Center answers 404 for a space that does not exist and for one the account may not see (403 on some versions).
        if (status(error) === 404 || status(error) === 403) return undefined;
        throw error;
      }
    },
    async listPages(space, next) {
      const list = next
        ? await get<{ results: V1Content[]; _links?: { next?: string } }>(next)
        : await get<{ results: V1Content[]; _links?: { next?: string } }>('/rest/api/content', {
            spaceKey: space.key,
            type: 'page',
            status: 'current',
            expand: 'version',
            limit: pageSize,
            start: 0,
          });
      return { pages: list.results.map(summary), ...(list._links?.next ? { next: list._links.next } : {}) };
    },
    bodiesPerRequest: 1,
    async getBodies(ids) {
      const bodies: ConfluencePageBody[] = [];
      for (const id of ids) {
        try {
          const content = await get<V1Content>(`/rest/api/content/${encodeURIComponent(id)}`, { expand: 'body.storage,version' });
          bodies.push({ ...summary(content), storage: content.body?.storage?.value });
        } catch (error) {
          if (status(error) !== 404) throw error;
        }
      }
      return bodies;
    },
  };
}
