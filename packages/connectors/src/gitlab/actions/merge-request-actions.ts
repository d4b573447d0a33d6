import { type ActionContext, defineActionType, type ExecutionCheck, type PreconditionResult, UpstreamError } from '@teamstate/core';
import { z } from 'zod';
import type { GitLabApi } from '../client/gitlab-api.js';
import type { GlMergeRequest, GlNote } from '../client/gitlab-types.js';
import type { ResolvedGitLabOptions } from '../options.js';

type ApiFor = (ctx: { now(): Date }) => GitLabApi;

/** `repository` and `number`: the merge request an action acts on (`acme/checkout` and 42 for `!42`). */
const mergeRequestParams = {
  repository: z.string().regex(/^[^\s/]+(\/[^\s/]+)+$/, { error: 'expected the project path, e.g. "acme/checkout"' }),
  number: z.number({ error: 'expected the merge request number (its IID, 42 for !42)' }).int().positive(),
};

/** The hidden marker appended to a note: finds an earlier run of the same approval. */
export function gitlabIdempotencyMarker(idempotencyKey: string): string {
  return `<!-- teamstate:${idempotencyKey} -->`;
}

const isStatus = (error: unknown, status: number) => UpstreamError.isInstance(error) && error.statusCode === status;

async function readMergeRequest(api: GitLabApi, p: { repository: string; number: number }): Promise<GlMergeRequest | undefined> {
  try {
    return await api.mergeRequest(p.repository, p.number);
  } catch (error) {
    if (isStatus(error, 404)) return undefined;
    throw error;
  }
}

const notFound = (p: { repository: string; number: number }) => ({
  ok: false as const,
  reason: `${p.repository}!${p.number} was not found (or the token cannot see it)`,
});

async function requireExisting(api: GitLabApi, p: { repository: string; number: number }): Promise<PreconditionResult> {
  return (await readMergeRequest(api, p)) ? { ok: true } : notFound(p);
}

/** Runs a write once; when its answer was lost (network error, 5xx), `reread` says whether it landed instead of resending. */
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

/**
 * `gitlab.mr.comment { repository, number, body }`: a note on a merge request, carrying a hidden marker with the
 * approval's idempotency key; before posting, and after a crash, the executor looks for it, so one approval never
 * comments twice.
 */
function commentAction(apiFor: ApiFor) {
  const params = z.strictObject({
    ...mergeRequestParams,
    body: z.string().min(1, { error: 'must not be empty' }).max(999_000, { error: 'GitLab accepts at most 1,000,000 characters' }),
  });
  type Params = z.output<typeof params>;
  const findMarked = async (api: GitLabApi, p: Params, marker: string) => {
    const note = (await api.notes(p.repository, p.number)).find((n: GlNote) => !n.system && n.body.includes(marker));
    return note ? { noteId: note.id } : undefined;
  };
  return defineActionType({
    type: 'gitlab.mr.comment',
    description: 'Comment on a GitLab merge request',
    risk: 'low',
    params,
    precondition: (p: Params, ctx: ActionContext) => requireExisting(apiFor(ctx), p),
    async execute(p: Params, ctx: ActionContext) {
      const api = apiFor(ctx);
      const marker = gitlabIdempotencyMarker(ctx.idempotencyKey);
      const earlier = await findMarked(api, p, marker);
      if (earlier) return { ...earlier, alreadyPosted: true };
      return writeOnce(
        async () => ({ noteId: (await api.addNote(p.repository, p.number, `${p.body}\n\n${marker}`)).id }),
        () => findMarked(api, p, marker),
      );
    },
    checkExecuted: (p: Params, ctx: ActionContext) => executedIf(findMarked(apiFor(ctx), p, gitlabIdempotencyMarker(ctx.idempotencyKey))),
  });
}

/** `gitlab.mr.label { repository, number, add?, remove? }`: adds and removes labels (one idempotent PUT). */
function labelAction(apiFor: ApiFor) {
  const label = z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^,]+$/, { error: 'a GitLab label name cannot contain a comma' });
  const params = z
    .strictObject({ ...mergeRequestParams, add: z.array(label).default([]), remove: z.array(label).default([]) })
    .refine((p) => p.add.length + p.remove.length > 0, { error: 'give at least one label to add or remove', path: ['add'] });
  type Params = z.output<typeof params>;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const applied = async (api: GitLabApi, p: Params) => {
    const mr = await readMergeRequest(api, p);
    if (!mr) return undefined;
    const done = p.add.every((a) => mr.labels.some((n) => same(n, a))) && !p.remove.some((r) => mr.labels.some((n) => same(n, r)));
    return done ? { labels: mr.labels } : undefined;
  };
  return defineActionType({
    type: 'gitlab.mr.label',
    description: 'Add or remove labels on a GitLab merge request',
    risk: 'low',
    params,
    precondition: (p: Params, ctx: ActionContext) => requireExisting(apiFor(ctx), p),
    async execute(p: Params, ctx: ActionContext) {
      const mr = await apiFor(ctx).updateMergeRequest(p.repository, p.number, {
        ...(p.add.length ? { add_labels: p.add.join(',') } : {}),
        ...(p.remove.length ? { remove_labels: p.remove.join(',') } : {}),
      });
      return { labels: mr.labels };
    },
    checkExecuted: (p: Params, ctx: ActionContext) => executedIf(applied(apiFor(ctx), p)),
  });
}

/** What the merge precondition saves with the approval: the head the approver saw. */
interface MergeState {
  headSha: string;
}

const BLOCKED: Record<string, string> = {
  not_approved: 'is not approved yet (its approval rules are not satisfied)',
  not_open: 'is not open',
  draft_status: 'is a draft',
  conflict: 'has merge conflicts',
  ci_must_pass: 'needs a passing pipeline first',
  ci_still_running: 'has a pipeline still running',
  discussions_not_resolved: 'has unresolved threads',
  need_rebase: 'must be rebased first',
  blocked_status: 'is blocked by another merge request',
  jira_association_missing: 'needs a Jira issue key in its title or description',
  requested_changes: 'has changes requested',
};

/**
 * `gitlab.mr.merge { repository, number, squash?, expectedHeadSha? }`: merges an open merge request. The precondition
 * (when proposed and again right before merging) requires the head to be unchanged since the proposal (and equal to
 * `expectedHeadSha`), and GitLab's `detailed_merge_status` to be `mergeable`; the merge call carries that sha, so GitLab
 * refuses if the head moves in between. A merge is never sent twice: when its answer is lost, the merge request is
 * re-read instead.
 */
function mergeAction(apiFor: ApiFor) {
  const params = z.strictObject({
    ...mergeRequestParams,
    /** Squash the commits into one (the project must allow it). */
    squash: z.boolean().optional(),
    expectedHeadSha: z
      .string()
      .regex(/^[0-9a-f]{40}$/i, { error: 'expected a full 40-character commit sha' })
      .optional(),
  });
  type Params = z.output<typeof params>;
  const merged = async (api: GitLabApi, p: Params) => {
    const mr = await readMergeRequest(api, p);
    return mr?.state === 'merged' ? { merged: true, sha: mr.merge_commit_sha ?? mr.squash_commit_sha ?? '' } : undefined;
  };
  return defineActionType({
    type: 'gitlab.mr.merge',
    description: 'Merge a GitLab merge request (only if its head is unchanged since the proposal and it is mergeable)',
    risk: 'high',
    params,
    async precondition(p: Params, ctx: ActionContext): Promise<PreconditionResult> {
      const mr = await readMergeRequest(apiFor(ctx), p);
      if (!mr) return notFound(p);
      const target = `${p.repository}!${p.number}`;
      if (mr.state === 'merged') return { ok: false, reason: `${target} is already merged` };
      if (mr.state !== 'opened') return { ok: false, reason: `${target} is ${mr.state}` };
      if (mr.draft) return { ok: false, reason: `${target} is a draft` };
      const proposed = (ctx.proposedState as MergeState | undefined)?.headSha;
      if (proposed && mr.sha !== proposed)
        return { ok: false, reason: `head moved from ${proposed} to ${mr.sha} since the merge was proposed` };
      if (p.expectedHeadSha && mr.sha?.toLowerCase() !== p.expectedHeadSha.toLowerCase())
        return { ok: false, reason: `head is ${mr.sha}, not the expected ${p.expectedHeadSha}` };
      const status = mr.detailed_merge_status ?? 'unchecked';
      if (status === 'checking' || status === 'unchecked' || status === 'preparing' || status === 'approvals_syncing')
        return { ok: false, reason: `GitLab is still checking whether ${target} can be merged; try again in a minute` };
      if (status !== 'mergeable')
        return { ok: false, reason: `${target} ${BLOCKED[status] ?? `cannot be merged (detailed_merge_status "${status}")`}` };
      return { ok: true, state: { headSha: mr.sha ?? '' } satisfies MergeState };
    },
    async execute(p: Params, ctx: ActionContext) {
      const api = apiFor(ctx);
      const sha = (ctx.proposedState as MergeState | undefined)?.headSha || p.expectedHeadSha;
      return writeOnce(
        async () => {
          const mr = await api.merge(p.repository, p.number, {
            ...(sha ? { sha } : {}),
            ...(p.squash === undefined ? {} : { squash: p.squash }),
          });
          return { merged: mr.state === 'merged', sha: mr.merge_commit_sha ?? mr.squash_commit_sha ?? '' };
        },
        () => merged(api, p),
      );
    },
    checkExecuted: (p: Params, ctx: ActionContext) => executedIf(merged(apiFor(ctx), p)),
  });
}

/** The merge request actions of the GitLab connector. */
export function gitlabActions(apiFor: ApiFor, _options: ResolvedGitLabOptions) {
  return [commentAction(apiFor), labelAction(apiFor), mergeAction(apiFor)];
}
