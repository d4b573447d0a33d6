import { createHash } from 'node:crypto';
import { type ActionContext, defineActionType, TeamStateError } from '@teamstate/core';
import { z } from 'zod';
import { isNotFound, type LinearApi, type LinearCallOptions } from '../client/linear-api.js';
import type { LinearWorkflowState } from '../client/linear-types.js';

/** An issue identifier such as `PAY-17`. */
export const issueKeySchema = z
  .string({ error: 'expected an issue identifier such as "PAY-17"' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_]{0,6}-[1-9]\d*$/, { error: 'expected an issue identifier such as "PAY-17" (team key, dash, number)' });

/** The issue as the actions read it: its state, assignee and its team's workflow states. */
interface IssueState {
  id: string;
  identifier: string;
  state: LinearWorkflowState;
  assignee: { id: string } | null;
  team: { key: string; states: { nodes: LinearWorkflowState[] } };
}

const ISSUE_STATE_QUERY = `query TeamstateIssueState($id: String!) {
  issue(id: $id) { id identifier state { id name type } assignee { id } team { key states(first: 100) { nodes { id name type } } } }
}`;
const COMMENT_CREATE = `mutation TeamstateCommentCreate($input: CommentCreateInput!) { commentCreate(input: $input) { success comment { id } } }`;
const COMMENT_QUERY = `query TeamstateComment($id: String!) { comment(id: $id) { id } }`;
const ISSUE_UPDATE = `mutation TeamstateIssueUpdate($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { id state { id name type } assignee { id } } }
}`;

// Actions run one request at a time and give up rather than wait past their deadline.
const callOf = (ctx: ActionContext): LinearCallOptions => ({
  now: () => ctx.now().getTime(),
  sleep: async (ms, reason) => {
    if (ctx.now().getTime() + ms > ctx.deadline.getTime())
      throw new TeamStateError('upstream_error', `${reason}: waiting ${ms} ms would pass the approval's deadline`);
    await new Promise((resolve) => setTimeout(resolve, ms));
  },
});

async function issueOf(api: LinearApi, key: string, ctx: ActionContext): Promise<IssueState | undefined> {
  try {
    return (await api.request<{ issue: IssueState }>(ISSUE_STATE_QUERY, { id: key }, callOf(ctx))).issue;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

const missing = (key: string) => ({ ok: false as const, reason: `issue ${key} does not exist or is not visible to the Linear API key` });
const sameName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/**
 * The comment id an approval writes: a UUID derived from its idempotency key. Linear takes a client-chosen id on
 * `commentCreate`, so a repeated run cannot add a second comment, and `checkExecuted` finds the first by its id.
 */
export function commentIdOf(idempotencyKey: string): string {
  const hex = createHash('sha256').update(`teamstate:linear.issue.comment:${idempotencyKey}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `linear.issue.comment { key, body }`: adds a comment (Markdown as Linear renders it; never interpreted by teamstate). */
export function issueCommentAction(api: LinearApi) {
  return defineActionType({
    type: 'linear.issue.comment',
    description: 'Add a comment to a Linear issue',
    risk: 'low',
    params: z.strictObject({
      key: issueKeySchema,
      body: z.string().trim().min(1, { error: 'must not be empty' }).max(32_000, { error: 'must be at most 32,000 characters' }),
    }),
    async precondition(params, ctx) {
      return (await issueOf(api, params.key, ctx)) ? { ok: true } : missing(params.key);
    },
    async execute(params, ctx) {
      const issue = await issueOf(api, params.key, ctx);
      if (!issue) throw new TeamStateError('not_found', missing(params.key).reason);
      const id = commentIdOf(ctx.idempotencyKey);
      await api.request(COMMENT_CREATE, { input: { id, issueId: issue.id, body: params.body } }, callOf(ctx));
      return { key: params.key, commentId: id };
    },
    async checkExecuted(params, ctx) {
      const id = commentIdOf(ctx.idempotencyKey);
      try {
        await api.request(COMMENT_QUERY, { id }, callOf(ctx));
        return { executed: true, result: { key: params.key, commentId: id } };
      } catch (error) {
        if (isNotFound(error)) return { executed: false };
        throw error;
      }
    },
  });
}

/** The state a transition proposal was made against. */
interface ProposedState {
  state: string;
}

/**
 * `linear.issue.transition { key, to }`: moves an issue to the workflow state of its team named `to`. Precondition: the
 * issue is still in the state it had when proposed, is not in `to` already, and its team has such a state.
 */
export function issueTransitionAction(api: LinearApi) {
  const check = async (params: { key: string; to: string }, ctx: ActionContext) => {
    const issue = await issueOf(api, params.key, ctx);
    if (!issue) return missing(params.key);
    const proposed = ctx.proposedState as ProposedState | undefined;
    if (proposed && proposed.state !== issue.state.name)
      return { ok: false as const, reason: `${params.key} moved from "${proposed.state}" to "${issue.state.name}" since the proposal` };
    if (sameName(issue.state.name, params.to)) return { ok: false as const, reason: `${params.key} is already in "${issue.state.name}"` };
    const target = issue.team.states.nodes.find((s) => sameName(s.name, params.to));
    if (!target) {
      const available = issue.team.states.nodes.map((s) => `"${s.name}"`).join(', ');
      return { ok: false as const, reason: `team ${issue.team.key} has no state "${params.to}" (available: ${available})` };
    }
    return { ok: true as const, issue, target };
  };
  return defineActionType({
    type: 'linear.issue.transition',
    description: 'Move a Linear issue to another workflow state (by the state name)',
    risk: 'medium',
    params: z.strictObject({ key: issueKeySchema, to: z.string().trim().min(1, { error: 'must name the target state, e.g. "Done"' }) }),
    async precondition(params, ctx) {
      const result = await check(params, ctx);
      return result.ok ? { ok: true, state: { state: result.issue.state.name } satisfies ProposedState } : result;
    },
    async execute(params, ctx) {
      const result = await check({ ...params }, { ...ctx, proposedState: undefined });
      if (!result.ok) throw new TeamStateError('precondition_failed', result.reason);
      await api.request(ISSUE_UPDATE, { id: result.issue.id, input: { stateId: result.target.id } }, callOf(ctx));
      return { key: params.key, from: result.issue.state.name, to: result.target.name };
    },
    async checkExecuted(params, ctx) {
      const issue = await issueOf(api, params.key, ctx);
      return issue && sameName(issue.state.name, params.to)
        ? { executed: true, result: { key: params.key, to: issue.state.name } }
        : { executed: false };
    },
  });
}

/** The assignee a proposal was made against (`null`: unassigned). */
interface ProposedAssignee {
  assignee: string | null;
}

/**
 * `linear.issue.assign { key, userId }`: assigns the issue to a Linear user (a person's `linear` account id, see
 * `list_people`), or unassigns it with `null`. Precondition: the assignee is unchanged since the proposal. Assigning
 * is naturally idempotent.
 */
export function issueAssignAction(api: LinearApi) {
  return defineActionType({
    type: 'linear.issue.assign',
    description: 'Assign a Linear issue to a user (or unassign it with null)',
    risk: 'low',
    params: z.strictObject({
      key: issueKeySchema,
      userId: z.string().trim().min(1, { error: 'must be a Linear user id, or null to unassign' }).max(128).nullable(),
    }),
    async precondition(params, ctx) {
      const issue = await issueOf(api, params.key, ctx);
      if (!issue) return missing(params.key);
      const now = issue.assignee?.id ?? null;
      const proposed = ctx.proposedState as ProposedAssignee | undefined;
      if (proposed && proposed.assignee !== now)
        return {
          ok: false,
          reason: `${params.key} was reassigned (from ${proposed.assignee ?? 'nobody'} to ${now ?? 'nobody'}) since the proposal`,
        };
      return { ok: true, state: { assignee: now } satisfies ProposedAssignee };
    },
    async execute(params, ctx) {
      const issue = await issueOf(api, params.key, ctx);
      if (!issue) throw new TeamStateError('not_found', missing(params.key).reason);
      await api.request(ISSUE_UPDATE, { id: issue.id, input: { assigneeId: params.userId } }, callOf(ctx));
      return { key: params.key, userId: params.userId };
    },
    async checkExecuted(params, ctx) {
      const issue = await issueOf(api, params.key, ctx);
      return issue && (issue.assignee?.id ?? null) === params.userId
        ? { executed: true, result: { key: params.key, userId: params.userId } }
        : { executed: false };
    },
  });
}
