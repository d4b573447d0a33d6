// A fake of the GitHub REST endpoints the knowledge source reads — git trees (recursive, with ETags and 304s), git
// blobs (base64) and repositories — over a mutable set of repositories, counting every request. Payload shapes are
// those of the recorded fixtures in __fixtures__/github/knowledge/ (typed by GitHub's OpenAPI schema).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { components } from '@octokit/openapi-types';
import { HttpResponse, http } from 'msw';

export type GitTree = components['schemas']['git-tree'];
export type GitBlob = components['schemas']['blob'];
export type BasicError = components['schemas']['basic-error'];

export const knowledgeFixturesDir = fileURLToPath(new URL('../__fixtures__/github/knowledge/', import.meta.url));

/** A recorded payload from `__fixtures__/github/knowledge/`. */
export function knowledgeFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(knowledgeFixturesDir, name), 'utf8')) as T;
}

/** The files of a folder, by `/`-separated path (the fixture handbook). */
export function filesOf(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(folder, path).split('\\').join('/'), readFileSync(path));
    }
  };
  walk(folder);
  return files;
}

/** Git's object id of a blob: sha1 of `blob <size>\0<content>`. */
export const blobSha = (content: Buffer) =>
  createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]))
    .digest('hex');

interface FakeRepository {
  fullName: string;
  private: boolean;
  defaultBranch: string;
  files: Map<string, Buffer>;
  /** Answer the tree as GitHub does for very large repositories (`truncated: true`, the listing cut). */
  truncateAfter?: number;
}

/** One request the fake answered. */
export interface FakeRequest {
  method: string;
  path: string;
  status: number;
}

export class FakeGitHubKnowledge {
  readonly repositories = new Map<string, FakeRepository>();
  readonly requests: FakeRequest[] = [];
  /** Answer every request with this status (401 bad credentials, 500 an outage). */
  outage?: number;
  /** Repositories (lower-case `owner/name`) the credentials may not read: 403, as for a token without access. */
  readonly forbidden = new Set<string>();

  constructor(readonly origin = 'https://api.github.com') {}

  /** Adds (or replaces) a repository with these files. */
  repository(fullName: string, files: Map<string, Buffer>, options: { private?: boolean; defaultBranch?: string } = {}): FakeRepository {
    const repository = {
      fullName,
      private: options.private ?? false,
      defaultBranch: options.defaultBranch ?? 'main',
      files: new Map(files),
    };
    this.repositories.set(fullName.toLowerCase(), repository);
    return repository;
  }

  /** Requests GitHub counts against the rate limit (a 304 to a conditional request does not). */
  get counted(): number {
    return this.requests.filter((request) => request.status !== 304).length;
  }

  tree(repository: FakeRepository): GitTree {
    const folders = new Set<string>();
    for (const path of repository.files.keys()) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    }
    const base = `${this.origin}/repos/${repository.fullName}/git`;
    const entries: GitTree['tree'] = [...folders, ...repository.files.keys()].sort().map((path) => {
      const content = repository.files.get(path);
      if (content === undefined) {
        const sha = createHash('sha1')
          .update(`tree ${repository.fullName} ${path} ${this.listing(repository, path)}`)
          .digest('hex');
        return { path, mode: '040000', type: 'tree', sha, url: `${base}/trees/${sha}` };
      }
      const sha = blobSha(content);
      return {
        path,
        mode: path.endsWith('.sh') ? '100755' : '100644',
        type: 'blob',
        sha,
        size: content.length,
        url: `${base}/blobs/${sha}`,
      };
    });
    const sha = createHash('sha1')
      .update(`tree ${repository.fullName} ${this.listing(repository, '')}`)
      .digest('hex');
    const truncated = repository.truncateAfter !== undefined && entries.length > repository.truncateAfter;
    return { sha, url: `${base}/trees/${sha}`, tree: truncated ? entries.slice(0, repository.truncateAfter) : entries, truncated };
  }

  private listing(repository: FakeRepository, folder: string): string {
    return [...repository.files]
      .filter(([path]) => folder === '' || path.startsWith(`${folder}/`))
      .map(([path, content]) => `${path}:${blobSha(content)}`)
      .join(',');
  }

  private answer(request: Request): { status: number; body?: unknown; headers?: Record<string, string> } {
    if (this.outage !== undefined)
      return {
        status: this.outage,
        body: {
          message: this.outage === 401 ? 'Bad credentials' : 'Server Error',
          documentation_url: 'https://docs.github.com/rest',
          status: String(this.outage),
        },
      };
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/api\/v3/, '');
    const notFound = (documentation: string) => ({
      status: 404,
      body: { ...knowledgeFixture<BasicError>('not-found.json'), documentation_url: `https://docs.github.com/rest/${documentation}` },
    });
    const forbidden = /^\/repos\/([^/]+)\/([^/]+)/.exec(path);
    if (forbidden && this.forbidden.has(`${forbidden[1]}/${forbidden[2]}`.toLowerCase()))
      return {
        status: 403,
        body: {
          message: 'Resource not accessible by personal access token',
          documentation_url: 'https://docs.github.com/rest/git/trees#get-a-tree',
          status: '403',
        },
      };
    let m = /^\/repos\/([^/]+)\/([^/]+)\/git\/trees\/(.+)$/.exec(path);
    if (m) {
      const repository = this.repositories.get(`${m[1]}/${m[2]}`.toLowerCase());
      if (!repository || (m[3] !== 'HEAD' && m[3] !== repository.defaultBranch)) return notFound('git/trees#get-a-tree');
      const body = this.tree(repository);
      const etag = `W/"${createHash('sha256').update(JSON.stringify(body)).digest('hex')}"`;
      if (request.headers.get('if-none-match') === etag) return { status: 304, headers: { etag } };
      return { status: 200, body, headers: { etag } };
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/git\/blobs\/([0-9a-f]{40})$/.exec(path);
    if (m) {
      const repository = this.repositories.get(`${m[1]}/${m[2]}`.toLowerCase());
      const content = [...(repository?.files.values() ?? [])].find((file) => blobSha(file) === m![3]);
      if (!repository || !content) return notFound('git/blobs#get-a-blob');
      const blob: GitBlob = {
        ...knowledgeFixture<GitBlob>('git-blob.json'),
        sha: m[3]!,
        node_id: `B_kwDO${m[3]!.slice(0, 12)}`,
        size: content.length,
        url: `${this.origin}/repos/${repository.fullName}/git/blobs/${m[3]}`,
        // GitHub wraps base64 at 60 characters.
        content: `${content.toString('base64').replace(/(.{60})/g, '$1\n')}\n`,
        encoding: 'base64',
      };
      return { status: 200, body: blob };
    }
    m = /^\/repos\/([^/]+)\/([^/]+)$/.exec(path);
    if (m) {
      const repository = this.repositories.get(`${m[1]}/${m[2]}`.toLowerCase());
      if (!repository) return notFound('repos/repos#get-a-repository');
      const recorded = knowledgeFixture<Record<string, unknown>>('repository.json');
      const [owner, name] = repository.fullName.split('/');
      return {
        status: 200,
        body: {
          ...recorded,
          name,
          full_name: repository.fullName,
          private: repository.private,
          visibility: repository.private ? 'private' : 'public',
          default_branch: repository.defaultBranch,
          html_url: `https://github.com/${repository.fullName}`,
          url: `${this.origin}/repos/${repository.fullName}`,
          owner: { ...(recorded.owner as object), login: owner },
        },
      };
    }
    return notFound('overview');
  }

  /** Answers a fetch `Request` (what msw hands its handlers). */
  respond(request: Request): Response {
    const answer = this.answer(request);
    const url = new URL(request.url);
    this.requests.push({ method: request.method, path: `${url.pathname}${url.search}`, status: answer.status });
    const remaining = 5000 - this.counted;
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(5000 - remaining),
      'x-ratelimit-reset': '1773144000',
      'x-ratelimit-resource': 'core',
      ...answer.headers,
    };
    if (answer.body === undefined) return new HttpResponse(null, { status: answer.status, headers });
    return HttpResponse.json(answer.body as Record<string, unknown>, { status: answer.status, headers });
  }
}

/** msw handlers sending every request under `origin` to the fake `current()` returns. */
export function fakeGitHubKnowledgeHandlers(current: () => FakeGitHubKnowledge, origin = 'https://api.github.com') {
  return [http.all(`${origin}/*`, ({ request }) => current().respond(request))];
}

/** A fake served over node:http on 127.0.0.1 (for the CLI subprocess and the benchmark, which msw cannot reach). */
export async function serveFakeGitHubKnowledge(current: () => FakeGitHubKnowledge): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer(async (request, response) => {
    const url = `http://127.0.0.1${request.url ?? '/'}`;
    const headers = new Headers();
    for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(key, value);
    const answer = current().respond(new Request(url, { method: request.method ?? 'GET', headers }));
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
