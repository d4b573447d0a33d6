import { CODEOWNERS_PATHS, type KnowledgeSource, type KnowledgeSourceContext, TeamStateError } from '@teamstate/core';
import { z } from 'zod';
import { createGitHubClient, type GitHubClient } from '../client/github-client.js';
import { GitHubApiError } from '../client/github-error.js';
import { timer } from '../client/timer.js';
import { type GitHubAppAuth, resolveGitHubOptions } from '../options.js';
import { splitRepository } from '../sync/sync-cursors.js';
import { DEFAULT_KNOWLEDGE_PATHS, knowledgePathMatcher } from './path-globs.js';

/** Options of {@link githubKnowledge}. */
export interface GitHubKnowledgeOptions {
  /** The source's id (default `github`). */
  id?: string;
  /** A token that can read the repositories' contents (fine-grained: "Contents: read"; classic: `repo` for private ones). */
  token?: string;
  /** GitHub App installation auth, instead of `token` (the App needs "Contents: read"). */
  app?: GitHubAppAuth;
  /** `https://api.github.com` (default), or a GitHub Enterprise Server URL as for `github()`. */
  baseUrl?: string;
  /** The repositories whose docs are indexed (`owner/name`). */
  repositories: readonly string[];
  /** Globs of the markdown files indexed (default {@link DEFAULT_KNOWLEDGE_PATHS}); only markdown files are taken. */
  paths?: readonly string[];
  /** Team ids allowed to see these documents (e.g. for private repositories); absent: everyone in the workspace. */
  visibility?: readonly string[];
  /** Replaces the timer behind rate-limit and retry waits (for tests). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A tree as `GET /repos/{owner}/{repo}/git/trees/{tree_sha}?recursive=1` returns it (the fields used). */
interface GitTree {
  sha: string;
  truncated: boolean;
  tree: { path: string; type: string; sha: string; size?: number }[];
}

/** A blob as `GET /repos/{owner}/{repo}/git/blobs/{file_sha}` returns it (the fields used). */
interface GitBlob {
  sha: string;
  size: number | null;
  encoding: string;
  content: string;
}

/** What is kept per repository between syncs (in the source's cursors). */
interface TreeCursor {
  /** The ETag of the last tree read. */
  etag: string;
  /** The globs it was read with: other globs mean a full read. */
  paths: string;
}

/** Larger files are skipped with a warning: a document that size is not a handbook page. */
const MAX_BYTES = 1_000_000;
/** Blobs fetched at once. */
const PARALLEL = 4;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const optionsSchema = z.strictObject({
  id: z.string().min(1).optional(),
  repositories: z
    .array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'expected "owner/name", e.g. "acme/api"' }))
    .min(1, { error: 'name at least one repository, e.g. [acme/api]' }),
  paths: z
    .array(z.string().min(1))
    .min(1, { error: 'give at least one glob, e.g. ["docs/**/*.md"], or leave paths out for the defaults' })
    .optional(),
  visibility: z.array(z.string().min(1)).min(1).optional(),
});

/** `https://github.com` for api.github.com, else the host of the Enterprise Server (`https://ghe.acme.example`). */
function htmlBase(restUrl: string): string {
  const url = new URL(restUrl);
  return url.hostname === 'api.github.com' ? 'https://github.com' : url.origin;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/**
 * Markdown docs of GitHub repositories as a knowledge source: the files matching `paths` (default `README.md`,
 * `CONTRIBUTING.md`, `docs/**\/*.md`, `**\/adr/**\/*.md`, `**\/decisions/**\/*.md`, `runbooks/**`; markdown only) on
 * each repository's default branch, and its CODEOWNERS (for `who_knows`). Incremental: the tree is read with one
 * conditional request per repository (`git/trees/HEAD?recursive=1` with the ETag of the last read), so an unchanged
 * repository costs one 304 that GitHub does not count against the rate limit; when it changed, the default branch
 * is read (`GET /repos/{owner}/{repo}`, for the documents' links) and only blobs whose sha changed are fetched. A
 * document's uri is its page on GitHub (`https://github.com/acme/api/blob/main/docs/deploy.md`), its version the
 * blob sha. A repository that does not exist or the credentials cannot read is skipped with a warning naming it, its
 * documents left as they were; a file that is binary, not UTF-8 or over 1 MB is skipped with a warning naming it.
 *
 * @example
 * import { githubKnowledge } from '@teamstate/connectors/github'
 * const ts = await createTeamState({ knowledge: { sources: [githubKnowledge({ token: process.env.GITHUB_TOKEN, repositories: ['acme/api'] })] } })
 * await ts.knowledge.sync()
 */
export function githubKnowledge(options: GitHubKnowledgeOptions): KnowledgeSource {
  const { sleep, token, app, baseUrl, ...own } = options;
  const parsed = optionsSchema.safeParse(own);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TeamStateError('invalid_config', `githubKnowledge: ${issue.path.join('.') || 'options'}: ${issue.message}`);
  }
  const settings = parsed.data;
  // The credentials and host are checked as github() checks them.
  const resolved = resolveGitHubOptions({
    ...(token === undefined ? {} : { token }),
    ...(app === undefined ? {} : { app }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    repositories: settings.repositories,
  });
  const globs = settings.paths ?? [...DEFAULT_KNOWLEDGE_PATHS];
  const globsKey = JSON.stringify(globs);
  const indexed = knowledgePathMatcher(globs);
  const html = htmlBase(resolved.restUrl);
  const id = settings.id ?? 'github';

  async function syncRepository(ctx: KnowledgeSourceContext, client: GitHubClient, repository: string): Promise<void> {
    const { owner, name } = splitRepository(repository);
    const prefix = `${html}/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/blob/`;
    const known = await ctx.known();
    const keepAll = (except: ReadonlySet<string> = new Set()) => {
      for (const uri of known.keys()) if (uri.startsWith(prefix) && !except.has(uri)) ctx.keep(uri);
    };
    const cursorKey = `tree:${repository.toLowerCase()}`;
    const cursor = parseCursor(await ctx.getCursor(cursorKey));
    const etag = cursor?.paths === globsKey ? cursor.etag : undefined;

    let answer: Awaited<ReturnType<GitHubClient['get']>>;
    try {
      answer = await client.get<GitTree>(
        'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
        { owner, repo: name, tree_sha: 'HEAD', recursive: '1' },
        etag === undefined ? {} : { etag },
      );
    } catch (error) {
      const status = GitHubApiError.isInstance(error) ? error.statusCode : undefined;
      if (status === 404 || status === 403 || status === 409) {
        const why =
          status === 409
            ? 'the repository is empty'
            : `GitHub answers ${status}: the repository does not exist or the credentials cannot read it (check knowledge.github.repositories and the token's "Contents: read" access)`;
        ctx.warn(`${repository}: skipped, ${why}; its documents are left as they were`);
        keepAll();
        return;
      }
      throw error;
    }
    if (answer.notModified) {
      keepAll();
      return;
    }
    const tree = answer.data as GitTree;
    const branch = (await client.read<{ default_branch: string }>('GET /repos/{owner}/{repo}', { owner, repo: name })).default_branch;
    const uriOf = (path: string) => `${prefix}${encodePath(branch)}/${encodePath(path)}`;
    const blobs = tree.tree.filter((entry) => entry.type === 'blob');
    const listed = new Set<string>();
    const fetches: { path: string; sha: string; size?: number; owners?: boolean }[] = [];
    for (const entry of blobs) {
      if (!indexed(entry.path)) continue;
      const uri = uriOf(entry.path);
      listed.add(uri);
      if (known.get(uri)?.version === entry.sha) ctx.keep(uri);
      else fetches.push(entry);
    }
    // The CODEOWNERS GitHub uses: the first of .github/, the root, docs/.
    const codeowners = CODEOWNERS_PATHS.map((path) => blobs.find((entry) => entry.path === path)).find((entry) => entry !== undefined);
    if (codeowners) {
      const uri = uriOf(codeowners.path);
      listed.add(uri);
      if (known.get(uri)?.version === codeowners.sha) ctx.keep(uri);
      else fetches.push({ ...codeowners, owners: true });
    }
    if (tree.truncated) {
      ctx.warn(
        `${repository}: the tree is larger than GitHub returns in one request (truncated): files it did not list keep their last indexed version and new ones there are not indexed`,
      );
      keepAll(listed);
    }

    let done = 0;
    ctx.progress({ phase: `reading ${repository}`, done, total: fetches.length });
    const queue = [...fetches];
    const work = async () => {
      for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
        if (ctx.signal?.aborted) throw ctx.signal.reason ?? new Error('aborted');
        const text = await readBlob(ctx, client, repository, entry);
        if (text !== undefined) {
          const common = { uri: uriOf(entry.path), repository, path: entry.path, version: entry.sha, updatedAt: ctx.now().toISOString() };
          if (entry.owners) await ctx.putOwners({ ...common, content: text });
          else await ctx.put({ ...common, markdown: text });
        }
        done++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, fetches.length) }, work));
    ctx.progress({ phase: `reading ${repository}`, done, total: fetches.length });
    if (answer.etag) ctx.setCursor(cursorKey, JSON.stringify({ etag: answer.etag, paths: globsKey } satisfies TreeCursor));
  }

  return {
    specificationVersion: 'v1',
    id,
    source: 'github',
    ...(settings.visibility === undefined ? {} : { visibility: settings.visibility }),
    async sync(ctx) {
      const wait = async (ms: number, reason: string) => {
        ctx.progress({ phase: reason });
        await (sleep ? sleep(ms, ctx.signal ?? new AbortController().signal) : timer(ms, ctx.signal));
      };
      const client = createGitHubClient({
        auth: resolved.auth,
        restUrl: resolved.restUrl,
        graphqlUrl: resolved.graphqlUrl,
        now: () => ctx.now(),
        wait,
        ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
        log: { debug() {}, info() {}, warn() {}, error() {} },
      });
      const repositories = settings.repositories;
      for (const [i, repository] of repositories.entries()) {
        ctx.progress({ phase: 'repositories', done: i, total: repositories.length });
        await syncRepository(ctx, client, repository);
      }
      ctx.progress({ phase: 'repositories', done: repositories.length, total: repositories.length });
    },
  };
}

function parseCursor(value: string | undefined): TreeCursor | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<TreeCursor>;
    return typeof parsed.etag === 'string' && typeof parsed.paths === 'string' ? { etag: parsed.etag, paths: parsed.paths } : undefined;
  } catch {
    return undefined;
  }
}

/** A blob's text, or `undefined` (with a warning naming the file) when it is too large, binary or not UTF-8. */
async function readBlob(
  ctx: KnowledgeSourceContext,
  client: GitHubClient,
  repository: string,
  entry: { path: string; sha: string; size?: number },
): Promise<string | undefined> {
  const where = `${repository}/${entry.path}`;
  if ((entry.size ?? 0) > MAX_BYTES) {
    ctx.warn(`${where}: skipped, the file is over 1 MB`);
    return undefined;
  }
  const { owner, name } = splitRepository(repository);
  const blob = await client.read<GitBlob>('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner, repo: name, file_sha: entry.sha });
  if (blob.encoding !== 'base64') {
    ctx.warn(`${where}: skipped, GitHub sent it as ${JSON.stringify(blob.encoding)}, not base64`);
    return undefined;
  }
  const bytes = Buffer.from(blob.content, 'base64');
  if (bytes.includes(0)) {
    ctx.warn(`${where}: skipped, the file is binary (it holds NUL bytes), not markdown text`);
    return undefined;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    ctx.warn(`${where}: skipped, the file is not UTF-8 text (re-save it as UTF-8)`);
    return undefined;
  }
}
