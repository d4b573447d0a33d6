import { createHash } from 'node:crypto';
import { type ActionContext, defineActionType, type PreconditionResult, TeamStateError } from '@teamstate/core';
import { z } from 'zod';
import type { GitHubClient } from '../client/github-client.js';
import { defaultBranchOf, readFileOnBranch, readOrMissing } from '../files/repository-files.js';
import { splitRepository } from '../sync/sync-cursors.js';
import { type ActionDeps, writeOnce } from './action-deps.js';
import {
  AGENT_INSTRUCTION_FILES,
  agentInstructionsPathProblem,
  type TrackedRepositories,
  untrackedRepositoryProblem,
} from './agent-instruction-files.js';

const REPOSITORY = /^[^/\s]+\/[^/\s]+$/;

/** The params, for a connector that tracks `tracked`: one of its repositories, and an agent-instructions file. */
function fileChangeParams(tracked: TrackedRepositories) {
  return z.strictObject({
    repository: z.string().superRefine((repository, ctx) => {
      const problem = REPOSITORY.test(repository)
        ? untrackedRepositoryProblem(tracked, repository)
        : 'expected "owner/name", e.g. "acme/api"';
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    /** The file to write, relative to the repository root: an agent-instructions file ({@link AGENT_INSTRUCTION_FILES}). */
    path: z
      .string()
      .min(1)
      .max(500)
      .superRefine((path, ctx) => {
        const problem = agentInstructionsPathProblem(path);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    /** The whole new content of the file (UTF-8 text). */
    content: z.string().max(1_000_000, { error: 'at most 1,000,000 characters' }),
    /** The file's blob sha on the default branch the content was made against; omit for a new file. */
    baseSha: z
      .string()
      .regex(/^[0-9a-f]{40}$/i, { error: "expected the file's 40-character blob sha" })
      .optional(),
    title: z.string().min(1).max(256),
    body: z.string().max(60_000),
  });
}

type Params = z.output<ReturnType<typeof fileChangeParams>>;

/** What the precondition saves with the approval: the file as the proposal saw it on the default branch. */
interface FileState {
  defaultBranch: string;
  sha: string | null;
}

/** `path: …` for a path that is not an agent-instructions file, else `undefined`. */
function pathProblem(path: string): string | undefined {
  const problem = agentInstructionsPathProblem(path);
  return problem && `path: ${problem}`;
}

/** The result: the pull request that carries the change. */
interface OpenedChange {
  number: number;
  url: string;
  branch: string;
  base: string;
  /** True when re-execution found the pull request an earlier run opened. */
  alreadyOpened?: boolean;
}

/** The branch of an approval's change: stable for its whole life, so a re-run finds what an earlier one made. */
export function changeBranch(path: string, idempotencyKey: string): string {
  const slug =
    path
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'file';
  return `teamstate/${slug}-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 10)}`;
}

interface RestPull {
  number: number;
  html_url: string;
  state: string;
  head: { ref: string };
  base: { ref: string };
}

// The pull request an earlier run opened from the approval's branch, if any.
async function openedFrom(client: GitHubClient, repository: string, branch: string): Promise<OpenedChange | undefined> {
  const { owner, name } = splitRepository(repository);
  const pulls = await client.read<RestPull[]>('GET /repos/{owner}/{repo}/pulls', {
    owner,
    repo: name,
    head: `${owner}:${branch}`,
    state: 'all',
  });
  const pr = pulls.find((p) => p.head.ref === branch);
  return pr ? { number: pr.number, url: pr.html_url, branch, base: pr.base.ref, alreadyOpened: true } : undefined;
}

/** Why the file no longer is what the change was made against, or `undefined` when it still is. */
function staleReason(p: Params, current: { sha: string | null }, expected: string | null, branch: string): string | undefined {
  if (current.sha === expected) return undefined;
  const was = expected === null ? 'did not exist' : `was ${expected.slice(0, 12)}`;
  const now = current.sha === null ? 'is gone' : `is now ${current.sha.slice(0, 12)}`;
  return `${p.path} on ${branch} changed since the change was made (it ${was}, it ${now}); suggest the rules again`;
}

/**
 * `github.pr.open_file_change { repository, path, content, baseSha?, title, body }`: writes one file on a new branch
 * and opens a pull request to the default branch (an accepted rule suggestion, for instance). Risk high. The
 * precondition (when proposed and again right before running) requires the file on the default branch to be the one
 * the content was made against (`baseSha`, or the sha seen at the proposal; absent for a new file), else the approval
 * fails as `stale`. Idempotent: the branch is named after the approval, and a re-run finds the branch, the commit and
 * the pull request an earlier run made instead of making them twice.
 *
 * It writes only agent-instructions files ({@link AGENT_INSTRUCTION_FILES}) of the repositories the connector tracks:
 * checked with the params when proposed (and modified, and by core before running), and again by the hooks
 * themselves, so params that reach them any other way (a row edited in the database) write nothing.
 */
export function openFileChangeAction(deps: ActionDeps, tracked: TrackedRepositories) {
  const params = fileChangeParams(tracked);
  // Defence in depth: the hooks refuse what the params schema refuses, whoever hands them the params.
  const allowed = (p: Params): Params => {
    const untracked = untrackedRepositoryProblem(tracked, p.repository);
    const problem = untracked ? `repository: ${untracked}` : pathProblem(p.path);
    if (problem) throw new TeamStateError('invalid_params', problem);
    return p;
  };
  return defineActionType({
    type: 'github.pr.open_file_change',
    description: 'Open a pull request that writes one file (on a new branch), if the file is unchanged since the proposal',
    risk: 'high',
    params,
    async precondition(p: Params, ctx: ActionContext): Promise<PreconditionResult> {
      allowed(p);
      const client = deps.clientFor(ctx);
      const defaultBranch = await defaultBranchOf(client, p.repository);
      const file = await readFileOnBranch(client, p.repository, p.path, defaultBranch);
      if (file.notAFile) return { ok: false, reason: `${p.path} on ${defaultBranch} is ${file.notAFile}, not a text file` };
      const proposed = ctx.proposedState as FileState | undefined;
      const expected = proposed ? proposed.sha : (p.baseSha?.toLowerCase() ?? null);
      const reason = staleReason(p, file, expected, defaultBranch);
      if (reason) return { ok: false, reason };
      return { ok: true, state: { defaultBranch, sha: file.sha } satisfies FileState };
    },
    async execute(p: Params, ctx: ActionContext): Promise<OpenedChange> {
      allowed(p);
      const client = deps.clientFor(ctx);
      const { owner, name } = splitRepository(p.repository);
      const repo = { owner, repo: name };
      const branch = changeBranch(p.path, ctx.idempotencyKey);
      const earlier = await openedFrom(client, p.repository, branch);
      if (earlier) return earlier;
      const base = (ctx.proposedState as FileState | undefined)?.defaultBranch ?? (await defaultBranchOf(client, p.repository));
      // The branch: made from the default branch's head, unless an earlier run made it.
      const ref = (name: string) =>
        readOrMissing(() =>
          client.read<{ object: { sha: string } }>('GET /repos/{owner}/{repo}/git/ref/heads/{branch}', { ...repo, branch: name }),
        );
      if (!(await ref(branch))) {
        const head = await ref(base);
        if (!head) throw new Error(`${p.repository}: the default branch ${base} has no head commit`);
        await writeOnce(
          () => client.write('POST /repos/{owner}/{repo}/git/refs', { ...repo, ref: `refs/heads/${branch}`, sha: head.object.sha }),
          () => ref(branch),
        );
      }
      // The commit: the file on the branch, unless an earlier run wrote it already.
      const onBranch = await readFileOnBranch(client, p.repository, p.path, branch);
      if (onBranch.content !== p.content) {
        await writeOnce(
          () =>
            client.write('PUT /repos/{owner}/{repo}/contents/{path}', {
              ...repo,
              path: p.path,
              branch,
              message: p.title,
              content: Buffer.from(p.content, 'utf8').toString('base64'),
              ...(onBranch.sha ? { sha: onBranch.sha } : {}),
            }),
          async () => ((await readFileOnBranch(client, p.repository, p.path, branch)).content === p.content ? true : undefined),
        );
      }
      return writeOnce(
        async () => {
          const pr = await client.write<RestPull>('POST /repos/{owner}/{repo}/pulls', {
            ...repo,
            title: p.title,
            body: p.body,
            head: branch,
            base,
          });
          return { number: pr.number, url: pr.html_url, branch, base };
        },
        () => openedFrom(client, p.repository, branch),
      );
    },
    async checkExecuted(p: Params, ctx: ActionContext) {
      allowed(p);
      const found = await openedFrom(deps.clientFor(ctx), p.repository, changeBranch(p.path, ctx.idempotencyKey));
      return found ? { executed: true, result: found } : { executed: false };
    },
  });
}
