import { z } from 'zod';
import { approvalView, requireApproval, viewApproval } from './approval-view.js';
import { idArgument } from './arguments.js';
import { defineTool, readOnly } from './tool-definition.js';

/** `get_approval`: the current state of one approval. */
export const getApprovalTool = defineTool({
  name: 'get_approval',
  title: 'Get an approval',
  toolset: 'actions',
  writes: false,
  description:
    'The current state of one proposed action (an approval returned by propose_action): status (pending, approved, executing, executed, failed, declined, expired, denied, auto), mode, risk, who may decide, when it expires, the decision and the execution result or error, plus a sentence saying what happens next. Use it to check on an approval without waiting; use await_approval to wait for the decision.',
  input: z.strictObject({ id: idArgument('The approval id, e.g. "apr_3f2a…".') }),
  output: approvalView,
  annotations: readOnly,
  async run({ id }, { teamState }) {
    return viewApproval(await requireApproval(teamState, id));
  },
});
