import { isTerminalApprovalStatus } from '@teamstate/core';
import { z } from 'zod';
import { approvalOutline, requireApproval, viewApproval } from './approval-view.js';
import { idArgument, integerArgument } from './arguments.js';
import { defineTool } from './tool-definition.js';

/** How often a waiting call reports progress (and re-checks the status it reports). */
const PROGRESS_INTERVAL_MS = 2_000;
/** Below the 60 s request timeout MCP clients default to. */
const MAX_TIMEOUT_SECONDS = 50;

/** `await_approval`: waits for a decision (and the execution it triggers), up to 50 s per call. */
export const awaitApprovalTool = defineTool({
  name: 'await_approval',
  title: 'Wait for an approval',
  toolset: 'actions',
  writes: true,
  description:
    'Waits until a proposed action is final (executed, failed, declined, expired, denied) or timeoutSeconds pass (timedOut). Pending: call again, or tell the user it awaits a person. Once approved, it runs during the wait and returns its result.',
  input: z.strictObject({
    id: idArgument(),
    timeoutSeconds: integerArgument(1, MAX_TIMEOUT_SECONDS).default(30),
  }),
  output: approvalOutline.extend({
    timedOut: z.boolean(),
    waitedSeconds: z.number().nonnegative(),
  }),
  // Waiting may carry out an action a human approved: a change in the outside world, but one a person already confirmed.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  waits: true,
  async run({ id, timeoutSeconds }, { teamState, signal, progress }) {
    let approval = await requireApproval(teamState, id);
    const started = performance.now();
    const deadline = started + timeoutSeconds * 1000;
    const elapsed = () => (performance.now() - started) / 1000;
    for (;;) {
      if (isTerminalApprovalStatus(approval.status)) break;
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      await progress({
        progress: elapsed(),
        total: timeoutSeconds,
        message: `${approval.id} is ${approval.status}; waiting up to ${Math.ceil(remaining / 1000)} s more`,
      });
      approval = await teamState.approvals.wait(id, { timeoutMs: Math.ceil(Math.min(PROGRESS_INTERVAL_MS, remaining)), signal });
    }
    const waitedSeconds = Math.round(elapsed() * 10) / 10;
    return { ...viewApproval(approval), timedOut: !isTerminalApprovalStatus(approval.status), waitedSeconds };
  },
});
