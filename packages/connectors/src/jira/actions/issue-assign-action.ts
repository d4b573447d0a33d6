import { defineActionType } from '@teamstate/core';
import { z } from 'zod';
import { userOf } from '../sync/jira-users.js';
import { type ApiProvider, issueKeySchema, unlessNotFound } from './action-support.js';

/** The assignee a proposal was made against (`null`: unassigned). */
interface ProposedAssignee {
  assignee: string | null;
}

/**
 * `jira.issue.assign { key, accountId }`: assigns the issue to a Jira account (a person's `jira` account id,
 * see `list_people`), or unassigns it with `null`. Precondition: the assignee is unchanged since the proposal.
 * Assigning is naturally idempotent.
 */
export function issueAssignAction(api: ApiProvider) {
  const assigneeOf = async (key: string) => {
    const issue = await unlessNotFound(async () => (await api()).getIssue(key, ['assignee']));
    return issue ? { assignee: userOf(issue.fields?.assignee)?.accountId ?? null } : undefined;
  };
  return defineActionType({
    type: 'jira.issue.assign',
    description: 'Assign a Jira issue to an account (or unassign it with null)',
    risk: 'low',
    params: z.strictObject({
      key: issueKeySchema,
      accountId: z.string().trim().min(1, { error: 'must be a Jira account id, or null to unassign' }).max(128).nullable(),
    }),
    async precondition(params, ctx) {
      const now = await assigneeOf(params.key);
      if (!now) return { ok: false, reason: `issue ${params.key} does not exist or is not visible to the Jira account` };
      const proposed = ctx.proposedState as ProposedAssignee | undefined;
      if (proposed && proposed.assignee !== now.assignee)
        return {
          ok: false,
          reason: `${params.key} was reassigned (from ${proposed.assignee ?? 'nobody'} to ${now.assignee ?? 'nobody'}) since the proposal`,
        };
      return { ok: true, state: now satisfies ProposedAssignee };
    },
    async execute(params) {
      await (await api()).assignIssue(params.key, params.accountId);
      return { key: params.key, accountId: params.accountId };
    },
    async checkExecuted(params) {
      const now = await assigneeOf(params.key);
      return now?.assignee === params.accountId
        ? { executed: true, result: { key: params.key, accountId: params.accountId } }
        : { executed: false };
    },
  });
}
