import { errorMessage } from '../../kernel/errors.js';
import type { ActionType } from '../../spec/action-type.js';
import type { ApprovalDeps } from './approval-deps.js';

/**
 * Why an action whose connector declares a cost (`costUsd`) waits for a person although the policy runs it at once: the
 * month's spend has reached `limits.max_monthly_cost_usd` (`cost_cap_reached`). `undefined` otherwise.
 */
export async function costEscalation(deps: ApprovalDeps, action: ActionType, mode: string): Promise<string | undefined> {
  if (mode !== 'auto' || !(action.costUsd !== undefined && action.costUsd > 0) || !deps.spend) return undefined;
  if (!(await deps.spend.capReached())) return undefined;
  return `cost_cap_reached: ${action.type} costs $${action.costUsd} and this month's spend reached limits.max_monthly_cost_usd, so a person decides`;
}

/** Records the declared cost of an action that ran on the spend ledger; a failed write is logged, never the run's failure. */
export async function recordActionCost(deps: ApprovalDeps, action: ActionType, approvalId: string): Promise<void> {
  if (!(action.costUsd !== undefined && action.costUsd > 0) || !deps.spend) return;
  await deps.spend
    .record({ kind: 'action', source: action.type, usd: action.costUsd, approvalId })
    .catch((error: unknown) => deps.log.warn('recording an action cost failed', { approval: approvalId, error: errorMessage(error) }));
}
