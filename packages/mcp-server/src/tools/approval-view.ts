import { type Approval, approvalSchema, NotFoundError, type TeamState } from '@teamstate/core';
import { z } from 'zod';
import { jsonObject, jsonValue } from './json-value.js';

/** An approval as the tools return it: the stored approval plus `next`, one sentence telling the model what happens now. */
export const approvalView = approvalSchema.extend({
  params: jsonObject.describe("The action's params, as approved."),
  result: jsonValue.optional().describe("What the connector returned when the action ran (its shape is the action type's)."),
  next: z.string().describe('What happens now and what you can do.'),
});

/**
 * An approval as the approval tools declare their answer: the fields a model acts on, named, and the others in the
 * description. The answer holds every field of {@link approvalView}; spelling them out cost four copies of the schema
 * in every tools/list (docs/mcp.md#the-context-budget).
 */
export const approvalOutline = z
  .looseObject({ id: z.string(), status: z.string(), next: z.string().describe('What happens now.') })
  .describe('The approval; also type, target, params, mode, risk, approvers, expiresAt, decision, result, error.');

function who(approval: Approval): string {
  if (approval.mode === 'require_approval' && approval.approvers.length > 0)
    return `one of ${approval.approvers.join(', ')} (allowed for ${approval.risk} risk)`;
  return `any person other than ${approval.requestedBy}`;
}

/** The sentence of `next` for an approval's status. */
export function nextStep(approval: Approval): string {
  switch (approval.status) {
    case 'pending':
      return `Waiting for a human decision by ${who(approval)}${approval.expiresAt ? ` before ${approval.expiresAt}` : ''}. Call await_approval with id "${approval.id}" to wait for it. Nobody can approve it through this server, and you must not try: tell the user it needs a person's decision, which they give themselves in Slack or in their own terminal.`;
    case 'approved':
    case 'executing':
      return `Approved by ${approval.decidedBy ?? 'a person'}; it runs where a connector for ${approval.type} is configured. Call await_approval with id "${approval.id}" for the outcome.`;
    case 'auto':
      return 'The policy runs this action at once; call await_approval for the outcome.';
    case 'executed':
      return `Done: it was executed at ${approval.executedAt ?? approval.finishedAt ?? 'an unrecorded time'}; see result.`;
    case 'failed':
      return `It did not run to completion (${approval.error?.code ?? 'error'}: ${approval.error?.message ?? 'no details'}). Tell the user; propose it again only once the cause is fixed.`;
    case 'declined':
      return `Declined by ${approval.decidedBy ?? 'a person'}${approval.decisionReason ? `: ${approval.decisionReason}` : ''}. Do not propose the same action again unless the user asks.`;
    case 'expired':
      return 'Nobody decided before it expired; it will not run. Propose it again if it is still wanted.';
    case 'denied':
      return `The team's policy does not allow ${approval.type}; it will not run. Tell the user instead of retrying.`;
  }
}

/** The view of an approval. */
export function viewApproval(approval: Approval): z.input<typeof approvalView> {
  return { ...approval, next: nextStep(approval) };
}

/** The approval, or a `not_found` error naming the `id` argument. */
export async function requireApproval(teamState: TeamState, id: string): Promise<Approval> {
  const approval = await teamState.approvals.get(id);
  if (!approval) throw new NotFoundError('id: approval', id);
  return approval;
}
