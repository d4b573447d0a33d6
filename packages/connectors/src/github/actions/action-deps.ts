import type { ExecutionCheck, PreconditionResult } from '@teamstate/core';
import { z } from 'zod';
import type { GitHubClient } from '../client/github-client.js';
import { GitHubApiError } from '../client/github-error.js';
import { splitRepository } from '../sync/sync-cursors.js';

/** What the pull request actions need: a client for the action's clock, and a pause between re-reads. */
export interface ActionDeps {
  clientFor(ctx: { now(): Date }): GitHubClient;
  pause(ms: number): Promise<void>;
}

/** `repository` and `number`: the pull request an action acts on. */
export const pullRequestParams = {
  repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/, { error: 'expected "owner/name", e.g. "acme/api"' }),
  number: z.number({ error: 'expected the pull request number, e.g. 42' }).int().positive(),
};

/** A pull request as `GET /repos/{owner}/{repo}/pulls/{pull_number}` returns it (the fields used). */
export interface RestPullRequest {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  draft?: boolean;
  mergeable: boolean | null;
  mergeable_state: string;
  merge_commit_sha: string | null;
  head: { sha: string };
  labels: { name: string }[];
  requested_reviewers?: { login: string }[] | null;
  requested_teams?: { slug: string }[] | null;
  html_url: string;
}

/** `{ owner, repo, pull_number }` for `/pulls/{pull_number}` routes (octokit sends unused params in the body). */
export function pullRoute(params: { repository: string; number: number }) {
  const { owner, name } = splitRepository(params.repository);
  return { owner, repo: name, pull_number: params.number };
}

/** `{ owner, repo, issue_number }` for `/issues/{issue_number}` routes (comments and labels of a pull request). */
export function issueRoute(params: { repository: string; number: number }) {
  const { owner, name } = splitRepository(params.repository);
  return { owner, repo: name, issue_number: params.number };
}

/** Reads a pull request; `undefined` when GitHub answers 404. */
export async function readPullRequest(
  client: GitHubClient,
  params: { repository: string; number: number },
): Promise<RestPullRequest | undefined> {
  try {
    return await client.read<RestPullRequest>('GET /repos/{owner}/{repo}/pulls/{pull_number}', pullRoute(params));
  } catch (error) {
    if (GitHubApiError.isGitHubApiError(error) && error.statusCode === 404) return undefined;
    throw error;
  }
}

/** `acme/api#42 was not found …`: the reason a precondition fails for a missing pull request. */
export function notFound(params: { repository: string; number: number }): { ok: false; reason: string } {
  return { ok: false, reason: `${params.repository}#${params.number} was not found (or the token cannot see it)` };
}

/** The precondition of actions on any pull request: it exists (and the token can see it). */
export async function requireExisting(client: GitHubClient, params: { repository: string; number: number }): Promise<PreconditionResult> {
  return (await readPullRequest(client, params)) ? { ok: true } : notFound(params);
}

/** The precondition of actions on open pull requests: it exists and is neither merged nor closed. */
export async function requireOpen(client: GitHubClient, params: { repository: string; number: number }): Promise<PreconditionResult> {
  const pr = await readPullRequest(client, params);
  if (!pr) return notFound(params);
  return pr.state === 'open'
    ? { ok: true }
    : { ok: false, reason: `${params.repository}#${params.number} is ${pr.merged ? 'merged' : 'closed'}` };
}

/**
 * Runs a write once. When GitHub gave no definite answer (network error, 5xx), the write is not sent
 * again: `reread` looks at the pull request to find out whether it took effect, and its answer (if
 * any) is the result; otherwise the original error is thrown.
 */
export async function writeOnce<T>(write: () => Promise<T>, reread: () => Promise<T | undefined>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!GitHubApiError.isGitHubApiError(error) || !error.outcomeUnknown) throw error;
    const found = await reread();
    if (found !== undefined) return found;
    throw error;
  }
}

/**
 * An action's `checkExecuted` from the same re-read its `writeOnce` uses: executed, with the re-read's
 * result, when the re-read finds the change upstream.
 */
export async function executedIf(found: Promise<unknown>): Promise<ExecutionCheck> {
  const result = await found;
  return result === undefined ? { executed: false } : { executed: true, result };
}
