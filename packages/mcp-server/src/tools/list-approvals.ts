import { approvalStatusSchema } from '@teamstate/core';
import { z } from 'zod';
import { approvalOutline, viewApproval } from './approval-view.js';
import { enumArgument, limitArgument, textArgument } from './arguments.js';
import { defineTool, readOnly } from './tool-definition.js';

/** `list_approvals`: recent approvals, newest first. */
export const listApprovalsTool = defineTool({
  name: 'list_approvals',
  title: 'List approvals',
  toolset: 'actions',
  writes: false,
  description:
    'Proposed actions and where each stands, newest first: what waits for a person (status pending), or what became of an earlier proposal before proposing it again.',
  input: z.strictObject({
    status: enumArgument(approvalStatusSchema).optional(),
    type: textArgument(200).optional(),
    limit: limitArgument(100, 20),
  }),
  output: z.object({ items: z.array(approvalOutline) }),
  annotations: readOnly,
  async run({ status, type, limit }, { teamState }) {
    return { items: (await teamState.approvals.list({ status, type, limit })).map(viewApproval) };
  },
});
