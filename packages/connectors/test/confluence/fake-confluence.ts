// A stateful fake of Confluence for tests, seeded from the recorded payloads in __fixtures__/confluence: Cloud's REST
// v2 (spaces by key, pages of a space by cursor without bodies, pages by id with body-format=storage) and Data Center's
// REST v1 (space by key, content of a space by offset with expand=version, content by id with expand=body.storage).
// It answers like Confluence (envelopes, `_links.next`, 401 without the right credentials, an empty result for a space
// the account cannot see) and counts requests per route; tests change pages and force responses (429, 503). It is
// served through msw (connector tests) or a real HTTP server on 127.0.0.1 (the CLI's subprocess test).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpResponse, http } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';

// biome-ignore lint/suspicious/noExplicitAny: fixtures are free-form Confluence JSON
export type Json = any;

export const CLOUD_SITE = 'https://acme.atlassian.net';
export const DATA_CENTER_SITE = 'https://wiki.acme.example/confluence';
export const EMAIL = 'ana@acme.example';
export const API_TOKEN = 'ATATT3xFfGF0confluenceTestTokenNeverPrinted';
export const PAT = 'NjQ4MjY0ODM3Mjg1OkRhdGFDZW50ZXJQYXRUZXN0';

/** Reads a fixture of __fixtures__/confluence. */
export function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/confluence/${name}`, import.meta.url), 'utf8'));
}

/** A response a test forces on the next request of a route. */
export interface ForcedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Json;
}

/** What the fake answers: status, headers and a JSON body. */
export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: Json;
}

/** The fake Confluence: its pages, what it received, and how to answer a request. */
export interface FakeConfluence {
  deployment: 'cloud' | 'dataCenter';
  spaces: Json[];
  /** The pages, each with its storage body (as `GET …/pages/{id}?body-format=storage` returns it). */
  pages: Json[];
  /** Server-side page size cap of listings. */
  pageLimit: number;
  /** Requests per route (`spaces`, `space`, `list`, `bodies`, `body`). */
  count(route?: string): number;
  force(route: string, ...responses: ForcedResponse[]): void;
  /** Saves a new version of a page (its body and title), by `author`, at `at`. */
  edit(id: string, storage: string, at: string): void;
  remove(id: string): void;
  answer(method: string, url: URL, authorization: string | undefined): FakeAnswer;
}

const error = (status: number, title: string): FakeAnswer => ({
  status,
  body: { errors: [{ status, code: title.toUpperCase().replace(/\W+/g, '_'), title, detail: null }] },
});
const dcError = (status: number, message: string): FakeAnswer => ({
  status,
  body: { statusCode: status, data: { authorized: status !== 401, valid: true, errors: [], successful: false }, message, reason: message },
});
const withoutBody = (page: Json) => {
  const { body: _body, ...rest } = page;
  return rest;
};

/** Creates a fake of `deployment`, seeded from its fixture. */
export function createFakeConfluence(
  deployment: 'cloud' | 'dataCenter',
  site = deployment === 'cloud' ? CLOUD_SITE : DATA_CENTER_SITE,
): FakeConfluence {
  const world = fixture(deployment === 'cloud' ? 'cloud-world.json' : 'data-center-world.json');
  const counts = new Map<string, number>();
  const forced = new Map<string, ForcedResponse[]>();
  const base = new URL(site);
  const prefix = base.pathname.replace(/\/+$/, '');
  const authorized = (authorization: string | undefined) =>
    deployment === 'cloud'
      ? authorization === `Basic ${Buffer.from(`${EMAIL}:${API_TOKEN}`).toString('base64')}`
      : authorization === `Bearer ${PAT}`;

  const fake: FakeConfluence = {
    deployment,
    spaces: world.spaces,
    pages: world.pages,
    pageLimit: 250,
    count: (route) => (route ? (counts.get(route) ?? 0) : [...counts.values()].reduce((sum, n) => sum + n, 0)),
    force: (route, ...responses) => forced.set(route, [...(forced.get(route) ?? []), ...responses]),
    edit(id, storage, at) {
      const page = fake.pages.find((candidate) => candidate.id === id);
      page.version = { ...page.version, number: page.version.number + 1, ...(deployment === 'cloud' ? { createdAt: at } : { when: at }) };
      page.body.storage.value = storage;
    },
    remove(id) {
      fake.pages = fake.pages.filter((page) => page.id !== id);
    },
    answer(method, url, authorization) {
      const path = url.pathname.slice(prefix.length);
      const route = routeOf(method, path);
      counts.set(route, (counts.get(route) ?? 0) + 1);
      const next = forced.get(route)?.shift();
      if (next) return next;
      if (!authorized(authorization))
        return deployment === 'cloud' ? error(401, 'Unauthorized') : dcError(401, 'This request requires authentication.');
      return deployment === 'cloud' ? cloud(route, path, url) : dataCenter(route, path, url);
    },
  };

  const limitOf = (url: URL) => Math.min(Number(url.searchParams.get('limit') ?? 25), fake.pageLimit);

  function cloud(route: string, path: string, url: URL): FakeAnswer {
    const links = { base: `${site}/wiki` };
    if (route === 'spaces') {
      const keys = (url.searchParams.get('keys') ?? '').split(',');
      return { status: 200, body: { results: fake.spaces.filter((space) => keys.includes(space.key)), _links: links } };
    }
    if (route === 'list') {
      const spaceId = /^\/wiki\/api\/v2\/spaces\/([^/]+)\/pages$/.exec(path)![1];
      const all = fake.pages.filter((page) => page.spaceId === spaceId);
      const start = Number(Buffer.from(url.searchParams.get('cursor') ?? 'MA', 'base64url').toString('utf8'));
      const limit = limitOf(url);
      const results = all.slice(start, start + limit).map((page) => (url.searchParams.has('body-format') ? page : withoutBody(page)));
      const more = start + limit < all.length;
      const next = new URL(url.pathname, site);
      next.search = url.search;
      next.searchParams.set('cursor', Buffer.from(String(start + limit)).toString('base64url'));
      return { status: 200, body: { results, _links: { ...(more ? { next: `${next.pathname}${next.search}` } : {}), ...links } } };
    }
    if (route === 'bodies') {
      const ids = (url.searchParams.get('id') ?? '').split(',');
      if (url.searchParams.get('body-format') !== 'storage') return error(400, 'body-format must be storage for this test');
      return { status: 200, body: { results: fake.pages.filter((page) => ids.includes(page.id)), _links: links } };
    }
    return error(404, 'Not Found');
  }

  function dataCenter(route: string, path: string, url: URL): FakeAnswer {
    const links = { base: site, context: prefix };
    if (route === 'space') {
      const key = decodeURIComponent(path.split('/').pop()!);
      const space = fake.spaces.find((candidate) => candidate.key === key);
      return space ? { status: 200, body: space } : dcError(404, `No space with key : ${key}`);
    }
    if (route === 'list') {
      const key = url.searchParams.get('spaceKey');
      const all = fake.pages.filter((page) => page._expandable.space === `/rest/api/space/${key}`);
      const start = Number(url.searchParams.get('start') ?? 0);
      const limit = limitOf(url);
      const results = all.slice(start, start + limit).map(withoutBody);
      const next = new URLSearchParams(url.search);
      next.set('start', String(start + limit));
      return {
        status: 200,
        body: {
          results,
          start,
          limit,
          size: results.length,
          _links: {
            self: `${site}${path}${url.search}`,
            ...(start + limit < all.length ? { next: `/rest/api/content?${next}` } : {}),
            ...links,
          },
        },
      };
    }
    if (route === 'body') {
      const id = path.split('/').pop();
      const page = fake.pages.find((candidate) => candidate.id === id);
      return page ? { status: 200, body: page } : dcError(404, `No content found with id: ContentId{id=${id}}`);
    }
    return dcError(404, 'null for uri');
  }
  return fake;
}

function routeOf(method: string, path: string): string {
  if (method !== 'GET') return 'other';
  if (path === '/wiki/api/v2/spaces') return 'spaces';
  if (/^\/wiki\/api\/v2\/spaces\/[^/]+\/pages$/.test(path)) return 'list';
  if (path === '/wiki/api/v2/pages') return 'bodies';
  if (/^\/rest\/api\/space\/[^/]+$/.test(path)) return 'space';
  if (path === '/rest/api/content') return 'list';
  if (/^\/rest\/api\/content\/\d+$/.test(path)) return 'body';
  return 'other';
}

/** Serves the fake through msw at its site; a request to any other host fails the test. */
export function mswConfluence(fake: FakeConfluence, site: string): SetupServer {
  return setupServer(
    http.all(`${site}/*`, ({ request }) => {
      const answer = fake.answer(request.method, new URL(request.url), request.headers.get('authorization') ?? undefined);
      return HttpResponse.json(answer.body ?? null, { status: answer.status, headers: answer.headers });
    }),
  );
}

/** Serves the fake over real HTTP on 127.0.0.1 (for a CLI subprocess); `url` is its base. */
export async function serveFakeConfluence(fake: FakeConfluence): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const answer = fake.answer(request.method ?? 'GET', new URL(request.url ?? '/', 'http://127.0.0.1'), request.headers.authorization);
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(JSON.stringify(answer.body ?? null));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
