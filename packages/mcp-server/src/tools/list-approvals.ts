import { approvalStatusSchema } from '@teamstate/core';
import { z } from 'zod';
import { approvalView, viewApproval } from './approval-view.js';
import { enumArgument, limitArgument, textArgument } from './arguments.js';
import { defineTool, readOnly } from './tool-definition.js';

/** `list_approvals`: recent approvals, newest first. */
export const listApprovalsTool = defineTool({
  name: 'list_approvals',
  title: 'List approvals',
  toolset: 'actions',
  writes: false,
  description:
    'Proposed actions and where each stands, newest first: pending ones waiting for a human, and what was approved, executed, failed, declined, expired or denied by policy. Use it to see what is waiting for approval (status=pending) or what happened to earlier proposals before proposing the same action again.',
  input: z.strictObject({
    status: enumArgument(approvalStatusSchema, 'Only approvals in this status.').optional(),
    type: textArgument(200, 'Only this action type, e.g. "github.pr.merge".').optional(),
    limit: limitArgument(100, 20),
  }),
  output: z.object({ items: z.array(approvalView) }),
  annotations: readOnly,
  async run({ status, type, limit }, { teamState }) {
    return { items: (await teamState.approvals.list({ status, type, limit })).map(viewApproval) };
  },
});
