import { type ActionContext, defineActionType, type PreconditionResult } from '@teamstate/core';
import { z } from 'zod';
import type { GitHubClient } from '../client/github-client.js';
import {
  type ActionDeps,
  executedIf,
  notFound,
  pullRequestParams,
  pullRoute,
  type RestPullRequest,
  readPullRequest,
  writeOnce,
} from './action-deps.js';

const params = z.strictObject({
  ...pullRequestParams,
  /** How to merge (default: the repository's default, `merge`). */
  method: z.enum(['merge', 'squash', 'rebase']).optional(),
  /** Refuse unless the pull request's head is this commit. */
  expectedHeadSha: z
    .string()
    .regex(/^[0-9a-f]{40}$/i, { error: 'expected a full 40-character commit sha' })
    .optional(),
});

type Params = z.output<typeof params>;

/** What the precondition saves with the approval: the head the approver saw. */
interface MergeState {
  headSha: string;
}

// Merged, with its merge commit, as the pull request is now.
async function merged(client: GitHubClient, p: Params): Promise<{ merged: true; sha: string } | undefined> {
  const pr = await readPullRequest(client, p);
  return pr?.merged ? { merged: true, sha: pr.merge_commit_sha ?? '' } : undefined;
}

/** `mergeable_state` values GitHub accepts a merge in. */
const MERGEABLE_STATES = new Set(['clean', 'unstable', 'has_hooks']);
const BLOCKED_REASONS: Record<string, string> = {
  dirty: 'has merge conflicts',
  blocked: 'is blocked by branch protection (required reviews or status checks are missing)',
  behind: 'is behind its base branch and branch protection requires it to be up to date',
  draft: 'is a draft',
};

/** Attempts at reading `mergeable` while GitHub is still computing it. */
const MERGEABILITY_READS = 3;

// GitHub computes mergeability in the background after a push: `null` means "ask again shortly".
async function readWithMergeability(client: GitHubClient, deps: ActionDeps, p: Params): Promise<RestPullRequest | undefined> {
  for (let attempt = 1; ; attempt++) {
    const pr = await readPullRequest(client, p);
    if (pr?.state !== 'open' || pr.mergeable !== null || attempt >= MERGEABILITY_READS) return pr;
    await deps.pause(1_000 * attempt);
  }
}

/**
 * `github.pr.merge { repository, number, method?, expectedHeadSha? }`: merges an open pull request.
 * The precondition (when proposed and again right before merging) requires the head to be unchanged
 * since the proposal (and equal to `expectedHeadSha` when given) and GitHub to consider it mergeable;
 * the merge call itself carries that sha, so GitHub refuses if the head moves in between. A merge is
 * never sent twice: when its answer is lost, the pull request is re-read instead.
 */
export function mergeAction(deps: ActionDeps) {
  return defineActionType({
    type: 'github.pr.merge',
    description: 'Merge a GitHub pull request (only if its head is unchanged since the proposal and it is mergeable)',
    risk: 'high',
    params,
    async precondition(p: Params, ctx: ActionContext): Promise<PreconditionResult> {
      const pr = await readWithMergeability(deps.clientFor(ctx), deps, p);
      if (!pr) return notFound(p);
      const target = `${p.repository}#${p.number}`;
      if (pr.merged) return { ok: false, reason: `${target} is already merged` };
      if (pr.state !== 'open') return { ok: false, reason: `${target} is closed` };
      if (pr.draft) return { ok: false, reason: `${target} is a draft` };
      const proposed = (ctx.proposedState as MergeState | undefined)?.headSha;
      if (proposed && pr.head.sha !== proposed)
        return { ok: false, reason: `head moved from ${proposed} to ${pr.head.sha} since the merge was proposed` };
      if (p.expectedHeadSha && pr.head.sha.toLowerCase() !== p.expectedHeadSha.toLowerCase())
        return { ok: false, reason: `head is ${pr.head.sha}, not the expected ${p.expectedHeadSha}` };
      if (pr.mergeable === null)
        return { ok: false, reason: `GitHub is still computing whether ${target} can be merged; try again in a minute` };
      if (pr.mergeable === false || !MERGEABLE_STATES.has(pr.mergeable_state))
        return {
          ok: false,
          reason: `${target} ${BLOCKED_REASONS[pr.mergeable_state] ?? `cannot be merged (mergeable_state "${pr.mergeable_state}")`}`,
        };
      return { ok: true, state: { headSha: pr.head.sha } satisfies MergeState };
    },
    async execute(p: Params, ctx: ActionContext) {
      const client = deps.clientFor(ctx);
      const sha = (ctx.proposedState as MergeState | undefined)?.headSha ?? p.expectedHeadSha;
      return writeOnce(
        async () => {
          const result = await client.write<{ sha: string; merged: boolean }>('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
            ...pullRoute(p),
            ...(p.method ? { merge_method: p.method } : {}),
            ...(sha ? { sha } : {}),
          });
          return { merged: result.merged, sha: result.sha };
        },
        () => merged(client, p),
      );
    },
    checkExecuted: (p: Params, ctx: ActionContext) => executedIf(merged(deps.clientFor(ctx), p)),
  });
}
