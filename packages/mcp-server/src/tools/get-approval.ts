import { z } from 'zod';
import { approvalOutline, requireApproval, viewApproval } from './approval-view.js';
import { idArgument } from './arguments.js';
import { defineTool, readOnly } from './tool-definition.js';

/** `get_approval`: the current state of one approval. */
export const getApprovalTool = defineTool({
  name: 'get_approval',
  title: 'Get an approval',
  toolset: 'actions',
  writes: false,
  description:
    'Where one proposed action stands, without waiting (await_approval waits): status, mode, risk, who may decide, expiry, decision, result or error, and `next`: what happens now.',
  input: z.strictObject({ id: idArgument() }),
  output: approvalOutline,
  annotations: readOnly,
  async run({ id }, { teamState }) {
    return viewApproval(await requireApproval(teamState, id));
  },
});
