import { type ActionContext, defineActionType, type ExecutionCheck, type PreconditionResult, UpstreamError } from '@teamstate/core';
import { z } from 'zod';
import type { BitbucketApi } from '../client/bitbucket-api.js';
import type { BbPullRequest } from '../client/bitbucket-types.js';
import type { ResolvedBitbucketOptions } from '../options.js';

type ApiFor = (ctx: { now(): Date }) => BitbucketApi;

/** `repository` and `number`: the pull request an action acts on (`acme/checkout` and 42). */
const pullRequestParams = {
  repository: z.string().regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, { error: 'expected workspace/repository, e.g. "acme/checkout"' }),
  number: z.number({ error: 'expected the pull request id (42 for #42)' }).int().positive(),
};
type Target = { repository: string; number: number };

/** The hidden marker appended to a comment: finds an earlier run of the same approval. */
export const bitbucketIdempotencyMarker = (idempotencyKey: string) => `[//]: # (teamstate:${idempotencyKey})`;

const slugOf = (repository: string) => repository.split('/')[1] ?? '';

async function read(api: BitbucketApi, p: Target): Promise<BbPullRequest | undefined> {
  try {
    return await api.pullRequest(slugOf(p.repository), p.number);
  } catch (error) {
    if (UpstreamError.isInstance(error) && error.statusCode === 404) return undefined;
    throw error;
  }
}

const notFound = (p: Target) => ({
  ok: false as const,
  reason: `${p.repository}#${p.number} was not found (or the credentials cannot see it)`,
});

async function requireOpen(api: BitbucketApi, p: Target): Promise<PreconditionResult> {
  const pr = await read(api, p);
  if (!pr) return notFound(p);
  return pr.state === 'OPEN' ? { ok: true } : { ok: false, reason: `${p.repository}#${p.number} is ${pr.state.toLowerCase()}` };
}

/** Runs a write once; when its answer was lost, `reread` says whether it landed instead of resending. */
async function writeOnce<T>(write: () => Promise<T>, reread: () => Promise<T | undefined>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!UpstreamError.isInstance(error) || !error.outcomeUnknown) throw error;
    const found = await reread();
    if (found !== undefined) return found;
    throw error;
  }
}

async function executedIf(found: Promise<unknown>): Promise<ExecutionCheck> {
  const result = await found;
  return result === undefined ? { executed: false } : { executed: true, result };
}

/** `bitbucket.pr.comment { repository, number, body }`: a comment carrying a hidden marker, so one approval never comments twice. */
function commentAction(apiFor: ApiFor) {
  const params = z.strictObject({ ...pullRequestParams, body: z.string().min(1, { error: 'must not be empty' }).max(32_000) });
  type Params = z.output<typeof params>;
  const findMarked = async (api: BitbucketApi, p: Params, marker: string) => {
    const entry = (await api.activity(slugOf(p.repository), p.number)).find((a) => a.comment?.content?.raw.includes(marker));
    return entry?.comment ? { commentId: entry.comment.id } : undefined;
  };
  return defineActionType({
    type: 'bitbucket.pr.comment',
    description: 'Comment on a Bitbucket pull request',
    risk: 'low',
    params,
    precondition: async (p: Params, ctx: ActionContext) => ((await read(apiFor(ctx), p)) ? { ok: true } : notFound(p)),
    async execute(p: Params, ctx: ActionContext) {
      const api = apiFor(ctx);
      const marker = bitbucketIdempotencyMarker(ctx.idempotencyKey);
      const earlier = await findMarked(api, p, marker);
      if (earlier) return { ...earlier, alreadyPosted: true };
      return writeOnce(
        async () => ({ commentId: (await api.comment(slugOf(p.repository), p.number, `${p.body}\n\n${marker}`))?.id ?? 0 }),
        () => findMarked(api, p, marker),
      );
    },
    checkExecuted: (p: Params, ctx: ActionContext) =>
      executedIf(findMarked(apiFor(ctx), p, bitbucketIdempotencyMarker(ctx.idempotencyKey))),
  });
}

/** `bitbucket.pr.approve { repository, number }`: approves an open pull request as the connector's user (idempotent). */
function approveAction(apiFor: ApiFor) {
  const params = z.strictObject(pullRequestParams);
  type Params = z.output<typeof params>;
  return defineActionType({
    type: 'bitbucket.pr.approve',
    description: 'Approve a Bitbucket pull request',
    risk: 'medium',
    params,
    precondition: (p: Params, ctx: ActionContext) => requireOpen(apiFor(ctx), p),
    async execute(p: Params, ctx: ActionContext) {
      await apiFor(ctx).approve(slugOf(p.repository), p.number);
      return { approved: true };
    },
  });
}

/**
 * `bitbucket.pr.merge { repository, number, strategy? }`: merges an open pull request whose head is unchanged since
 * the proposal. Never sent twice: when its answer is lost, the pull request is re-read instead.
 */
function mergeAction(apiFor: ApiFor) {
  const params = z.strictObject({ ...pullRequestParams, strategy: z.enum(['merge_commit', 'squash', 'fast_forward']).optional() });
  type Params = z.output<typeof params>;
  const merged = async (api: BitbucketApi, p: Params) => {
    const pr = await read(api, p);
    return pr?.state === 'MERGED' ? { merged: true, sha: pr.merge_commit?.hash ?? '' } : undefined;
  };
  return defineActionType({
    type: 'bitbucket.pr.merge',
    description: 'Merge a Bitbucket pull request (only if open and its head is unchanged since the proposal)',
    risk: 'high',
    params,
    async precondition(p: Params, ctx: ActionContext): Promise<PreconditionResult> {
      const pr = await read(apiFor(ctx), p);
      if (!pr) return notFound(p);
      const target = `${p.repository}#${p.number}`;
      if (pr.state !== 'OPEN') return { ok: false, reason: `${target} is ${pr.state.toLowerCase()}` };
      if (pr.draft) return { ok: false, reason: `${target} is a draft` };
      const head = pr.source.commit?.hash ?? '';
      const proposed = (ctx.proposedState as { headSha?: string } | undefined)?.headSha;
      if (proposed && head !== proposed)
        return { ok: false, reason: `head moved from ${proposed} to ${head} since the merge was proposed` };
      return { ok: true, state: { headSha: head } };
    },
    async execute(p: Params, ctx: ActionContext) {
      const api = apiFor(ctx);
      return writeOnce(
        async () => {
          const pr = await api.merge(slugOf(p.repository), p.number, p.strategy);
          return { merged: pr?.state === 'MERGED', sha: pr?.merge_commit?.hash ?? '' };
        },
        () => merged(api, p),
      );
    },
    checkExecuted: (p: Params, ctx: ActionContext) => executedIf(merged(apiFor(ctx), p)),
  });
}

/** The pull request actions of the Bitbucket connector. */
export function bitbucketActions(apiFor: ApiFor, _options: ResolvedBitbucketOptions) {
  return [commentAction(apiFor), approveAction(apiFor), mergeAction(apiFor)];
}
