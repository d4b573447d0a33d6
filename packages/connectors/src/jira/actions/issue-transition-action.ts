import { defineActionType } from '@teamstate/core';
import type { IssueTransition } from 'jira.js/cloud';
import { z } from 'zod';
import type { JiraApi } from '../client/jira-api.js';
import { type ApiProvider, currentStatus, issueKeySchema, sameName } from './action-support.js';

/** The state a transition proposal was made against. */
interface ProposedStatus {
  status: string;
}

function findTransition(transitions: readonly IssueTransition[], to: string): IssueTransition | undefined {
  return transitions.find((t) => sameName(t.to?.name, to)) ?? transitions.find((t) => sameName(t.name, to));
}

async function check(api: JiraApi, key: string, to: string, proposed: ProposedStatus | undefined) {
  const status = await currentStatus(api, key);
  if (status === undefined) return { ok: false as const, reason: `issue ${key} does not exist or is not visible to the Jira account` };
  if (proposed && proposed.status !== status)
    return { ok: false as const, reason: `${key} moved from "${proposed.status}" to "${status}" since the proposal` };
  if (sameName(status, to)) return { ok: false as const, reason: `${key} is already in "${status}"` };
  const transitions = await api.getTransitions(key);
  const transition = findTransition(transitions, to);
  if (!transition?.id) {
    const available = transitions.map((t) => `"${t.to?.name ?? t.name}"`).join(', ') || 'none';
    return { ok: false as const, reason: `the workflow has no transition from "${status}" to "${to}" (available: ${available})` };
  }
  return { ok: true as const, status, transition };
}

/**
 * `jira.issue.transition { key, to }`: moves an issue to the status named `to` (or through the transition
 * of that name). Precondition: the issue is still in the status it had when the action was proposed, and
 * the workflow allows the move.
 */
export function issueTransitionAction(api: ApiProvider) {
  return defineActionType({
    type: 'jira.issue.transition',
    description: 'Move a Jira issue to another status (by the target status name)',
    risk: 'medium',
    params: z.strictObject({ key: issueKeySchema, to: z.string().trim().min(1, { error: 'must name the target status, e.g. "Done"' }) }),
    async precondition(params, ctx) {
      const result = await check(await api(), params.key, params.to, ctx.proposedState as ProposedStatus | undefined);
      return result.ok ? { ok: true, state: { status: result.status } satisfies ProposedStatus } : result;
    },
    async execute(params, ctx) {
      // Core re-ran the precondition just before this; only the transition id is needed now.
      const jira = await api();
      const transition = findTransition(await jira.getTransitions(params.key), params.to);
      if (!transition?.id) throw new Error(`the workflow no longer offers a transition of ${params.key} to "${params.to}"`);
      await jira.doTransition(params.key, transition.id);
      return { key: params.key, from: (ctx.proposedState as ProposedStatus | undefined)?.status, to: transition.to?.name ?? params.to };
    },
    async checkExecuted(params) {
      const status = await currentStatus(await api(), params.key);
      return sameName(status, params.to) ? { executed: true, result: { key: params.key, to: status } } : { executed: false };
    },
  });
}
