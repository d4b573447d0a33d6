import { errorMessage } from '../../kernel/errors.js';
import type { ApprovalErrorCode } from '../../kernel/model/derived.js';
import type { ActionContext, ActionType } from '../../spec/action-type.js';
import { toJsonValue } from './approval-deps.js';

/** How an execution ended. */
export type ExecutionOutcome =
  | { status: 'executed'; result: unknown; reconciled?: boolean }
  | { status: 'failed'; code: ApprovalErrorCode; message: string };

/** How {@link settleByCheck} words a run it could not confirm, for the person who reads the approval. */
export interface UnconfirmedWording {
  /** The code a failed outcome keeps (`interrupted` after a crash, `executor_error` after an upstream error). */
  code: ApprovalErrorCode;
  /** The action type has no `checkExecuted`. */
  unchecked: string;
  /** `checkExecuted` found that the run had not taken effect. */
  notExecuted: string;
  /** `checkExecuted` itself failed, with its error. */
  checkFailed: (error: string) => string;
}

/**
 * Settles a run whose outcome nobody saw (the process died, or the upstream answered a write with a 5xx or not at
 * all) by asking the action type's `checkExecuted` once; the action is never run again. Took effect: `executed` with
 * the check's result, marked `reconciled`. Otherwise `failed` with the wording's code and message.
 */
export async function settleByCheck(
  action: ActionType | undefined,
  params: Record<string, unknown>,
  context: () => Promise<ActionContext>,
  wording: UnconfirmedWording,
): Promise<ExecutionOutcome> {
  const { code } = wording;
  if (!action?.checkExecuted) return { status: 'failed', code, message: wording.unchecked };
  try {
    const check = await action.checkExecuted(params, await context());
    if (check.executed) return { status: 'executed', result: toJsonValue(check.result), reconciled: true };
    return { status: 'failed', code, message: wording.notExecuted };
  } catch (error) {
    return { status: 'failed', code, message: wording.checkFailed(errorMessage(error)) };
  }
}
