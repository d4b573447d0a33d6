import type { RepositoryFile, RepositoryFiles } from '@teamstate/core';
import type { TrackedRepositories } from '../actions/agent-instruction-files.js';
import type { GitHubClient } from '../client/github-client.js';
import { GitHubApiError } from '../client/github-error.js';
import { splitRepository } from '../sync/sync-cursors.js';

/** A repository as `GET /repos/{owner}/{repo}` returns it (the fields used). */
export interface RestRepository {
  full_name: string;
  default_branch: string;
}

/** An entry as `GET /repos/{owner}/{repo}/contents/{path}` returns it: a file, or a list for a directory. */
export type RestContent =
  | { type: 'file'; path: string; sha: string; size: number; encoding: string; content: string }
  | { type: 'symlink' | 'submodule'; path: string; sha: string }
  | { type: 'dir'; path: string; sha: string }[];

/** `undefined` when GitHub answers 404, else the answer. */
export async function readOrMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (GitHubApiError.isInstance(error) && error.statusCode === 404) return undefined;
    throw error;
  }
}

/** The repository's default branch (`main`); a repository the token cannot see is an error naming it. */
export async function defaultBranchOf(client: GitHubClient, repository: string): Promise<string> {
  const { owner, name } = splitRepository(repository);
  // A repository the token cannot see fails here, with the client's message naming the fix.
  return (await client.read<RestRepository>('GET /repos/{owner}/{repo}', { owner, repo: name })).default_branch;
}

/** A file on a branch: its text and blob sha, `null` when there is none, or why the path is not a text file. */
export async function readFileOnBranch(
  client: GitHubClient,
  repository: string,
  path: string,
  branch: string,
): Promise<{ content: string | null; sha: string | null; notAFile?: string }> {
  const { owner, name } = splitRepository(repository);
  const entry = await readOrMissing(() =>
    client.read<RestContent>('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo: name, path, ref: branch }),
  );
  if (entry === undefined) return { content: null, sha: null };
  if (Array.isArray(entry)) return { content: null, sha: null, notAFile: 'a directory' };
  if (entry.type !== 'file') return { content: null, sha: entry.sha, notAFile: `a ${entry.type}` };
  // The contents API answers files up to 1 MB inline; larger ones come without content.
  if (entry.encoding !== 'base64')
    return { content: null, sha: entry.sha, notAFile: 'a file too large to read through the API (over 1 MB)' };
  const bytes = Buffer.from(entry.content, 'base64');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (bytes.includes(0)) return { content: null, sha: entry.sha, notAFile: 'a binary file' };
  return { content: text, sha: entry.sha };
}

/**
 * The GitHub connector's `repositoryFiles`: reads a file of a repository it syncs (`repositories`, or any of `org`)
 * from the default branch: `GET /repos/{owner}/{repo}` for the branch, then `GET …/contents/{path}?ref=<branch>`.
 */
export function githubRepositoryFiles(tracked: TrackedRepositories, clientFor: (ctx: { now(): Date }) => GitHubClient): RepositoryFiles {
  return {
    specificationVersion: 'v1',
    handles: (repository) => tracked.handles(repository),
    async read(repository, path, ctx): Promise<RepositoryFile> {
      const client = clientFor(ctx);
      const defaultBranch = await defaultBranchOf(client, repository);
      const file = await readFileOnBranch(client, repository, path, defaultBranch);
      return { repository, path, defaultBranch, ...file };
    },
  };
}
