import { SpanStatusCode } from '@opentelemetry/api';
import { errorMessage, NotFoundError, TeamStateError, UpstreamError } from '../../kernel/errors.js';
import type { Approval } from '../../kernel/model/derived.js';
import { ATTRIBUTES, inSpan, SPANS } from '../../kernel/telemetry/telemetry.js';
import { redactSecrets } from '../../kernel/text/redact-secrets.js';
import type { ActionContext, ActionType } from '../../spec/action-type.js';
import { appendAuditEvent, readApprovedContent, rowContentHash, type StatementRunner } from '../audit/index.js';
import { recordActionCost } from './action-cost.js';
import { checkActionParams } from './action-params.js';
import { type ApprovalDeps, actionContextFor, storeReader, toJsonValue } from './approval-deps.js';
import { type ApprovalRow, approvalFromRow, loadApprovalRow } from './approval-row.js';
import { transitionApproval } from './approval-transition.js';
import { type ExecutionOutcome, settleByCheck } from './settle-by-check.js';

export type { ExecutionOutcome } from './settle-by-check.js';

/**
 * Runs an `approved` (or `auto`) approval: claims it (`→ executing`) with a conditional update, so of
 * every process and retry that tries, exactly one proceeds; re-checks the precondition (`failed`/`stale`
 * when it no longer holds); runs the executor once with the approval's idempotency key; records the
 * outcome. An executor error is recorded as `failed`/`executor_error` and never retried; when the error says the
 * write may have landed (`outcomeUnknown`: a 5xx or no answer), the action type's `checkExecuted` is asked once, and a
 * write that took effect is recorded as `executed`.
 * Returns the approval as it is afterwards; when someone else holds the claim, returns it unchanged.
 */
export async function executeApproval(deps: ApprovalDeps, id: string): Promise<Approval> {
  const { store, workspace, catalogue } = deps;
  const row = await loadApprovalRow(storeReader(store), workspace, id);
  if (!row) throw new NotFoundError('approval', id);
  const { status } = row;
  if (status === 'pending') {
    throw new TeamStateError('approval_not_approved', `approval ${id} is pending: it runs once an approver approves it`);
  }
  if (status !== 'approved' && status !== 'auto') return approvalFromRow(row);
  catalogue.get(row.action_type); // throws unknown_action_type where no connector can run it
  const claimed = await store.write((tx) => claimExecution(deps, tx, id));
  if (!claimed) return approvalFromRow((await loadApprovalRow(storeReader(store), workspace, id))!);
  return runClaimedExecution(deps, id);
}

/**
 * Claims an `approved` or `auto` approval for execution (`→ executing`) inside the caller's write
 * transaction. Of all processes and retries that try, exactly one gets `true`; it must then call
 * {@link runClaimedExecution}.
 */
export async function claimExecution(deps: ApprovalDeps, tx: StatementRunner, id: string): Promise<boolean> {
  const now = deps.clock().getTime();
  const row = await loadApprovalRow(tx, deps.workspace, id);
  return transitionApproval(tx, deps.workspace, now, {
    id,
    from: ['approved', 'auto'],
    to: 'executing',
    set: { started_at: now },
    audit: { type: 'approval.executing', actor: 'system', data: { idempotencyKey: row?.idempotency_key } },
  });
}

/**
 * Runs an approval this process has claimed: what was approved, precondition, executor, outcome. Traced as
 * `teamstate.execute` (linked to the proposal's span when this process proposed it) and counted in `teamstate.actions`.
 */
export function runClaimedExecution(deps: ApprovalDeps, id: string): Promise<Approval> {
  const { telemetry } = deps;
  return inSpan(SPANS.execute, { attributes: { [ATTRIBUTES.approvalId]: id }, links: telemetry.linksTo(id) }, async (span) => {
    deps.notifier.notify(id);
    const row = (await loadApprovalRow(storeReader(deps.store), deps.workspace, id))!;
    const type = row.action_type;
    const outcome = await executionOutcome(deps, row);
    const { approval } = await finishExecution(deps, id, outcome);
    const mode = row.mode === 'auto' ? 'auto' : 'human';
    span.setAttributes({ [ATTRIBUTES.actionType]: type, [ATTRIBUTES.status]: approval.status, 'teamstate.action.mode': mode });
    if (outcome.status === 'failed')
      span.setStatus({ code: SpanStatusCode.ERROR, message: `${outcome.code}: ${redactSecrets(outcome.message)}` });
    telemetry.actions.add(1, { mode, [ATTRIBUTES.actionType]: type, outcome: outcome.status });
    return approval;
  });
}

async function executionOutcome(deps: ApprovalDeps, row: ApprovalRow): Promise<ExecutionOutcome> {
  const { id } = row;
  const tampered = await tamperedWith(deps, row);
  if (tampered !== undefined) {
    deps.log.warn('refusing to execute an approval that was edited after it was approved', { approval: id });
    return { status: 'failed', code: 'tampered', message: tampered };
  }
  const action = deps.catalogue.get(row.action_type);
  const ctx = await actionContextFor(deps, row);
  // Stored params were valid when proposed or modified; a connector upgrade may have changed the schema since.
  const checked = checkActionParams(action, JSON.parse(row.params), 'params');
  if (!checked.ok) return { status: 'failed', code: 'stale', message: `the stored params are no longer valid: ${checked.error.message}` };
  const { params } = checked;
  return runAction(deps, id, async () => {
    if (action.precondition) {
      const check = await action.precondition(params, ctx);
      if (!check.ok) return { status: 'failed', code: 'stale', message: `precondition no longer holds: ${check.reason}` };
    }
    let result: unknown;
    try {
      result = toJsonValue(await action.execute(params, ctx));
    } catch (error) {
      if (!(UpstreamError.isInstance(error) && error.outcomeUnknown)) throw error;
      deps.log.warn('an action may have taken effect although its write failed; checking', { approval: id, error: errorMessage(error) });
      const outcome = await settleOutcomeUnknown(action, params, async () => ctx, errorMessage(error));
      if (outcome.status === 'executed') await recordActionCost(deps, action, id);
      return outcome;
    }
    await recordActionCost(deps, action, id);
    return { status: 'executed', result };
  });
}

/**
 * Settles a write the upstream answered with a 5xx or not at all: it may have landed, so it is checked once, never
 * sent again; a failure keeps the code `executor_error` and says whether the target still needs a look.
 */
function settleOutcomeUnknown(
  action: ActionType,
  params: Record<string, unknown>,
  context: () => Promise<ActionContext>,
  failure: string,
): Promise<ExecutionOutcome> {
  const unknown = 'outcome unknown: check the target before proposing again';
  return settleByCheck(action, params, context, {
    code: 'executor_error',
    unchecked: `${failure}; ${unknown}`,
    notExecuted: `${failure}; checked since: the upstream answered with an error and the write had not taken effect; it was not retried`,
    checkFailed: (error) => `${failure}; checking whether it took effect failed (${error}); ${unknown}`,
  });
}

/**
 * Why the approval row about to run no longer matches what its ledger entries say was approved (its
 * `{ type, target, params }` hash against the decision's, read from entries whose chain hashes verify), or
 * `undefined` when it matches.
 */
async function tamperedWith(deps: ApprovalDeps, row: ApprovalRow): Promise<string | undefined> {
  const approved = await readApprovedContent(storeReader(deps.store), deps.workspace, row.id);
  if (!approved.ok) return `${approved.problem}; it was not run`;
  const stored = rowContentHash(row) ?? 'of params that are not a JSON object';
  if (stored === approved.contentHash) return undefined;
  return `the stored action (sha256 ${stored}) does not match what was approved (sha256 ${approved.contentHash}): the approval was edited after the decision; it was not run`;
}

async function runAction(deps: ApprovalDeps, id: string, run: () => Promise<ExecutionOutcome>): Promise<ExecutionOutcome> {
  try {
    return await run();
  } catch (error) {
    deps.log.warn('action failed', { approval: id, error: errorMessage(error) });
    return { status: 'failed', code: 'executor_error', message: errorMessage(error) };
  }
}

/**
 * Records how an `executing` approval ended. If it is no longer `executing` (reconcile settled it
 * meanwhile), the status stays as it is, the outcome is appended as `approval.late_outcome` and
 * `recorded` is false.
 */
export async function finishExecution(
  deps: ApprovalDeps,
  id: string,
  outcome: ExecutionOutcome,
): Promise<{ approval: Approval; recorded: boolean }> {
  const { store, workspace, clock } = deps;
  const recorded = await store.write(async (tx) => {
    const now = clock().getTime();
    const recorded =
      outcome.status === 'executed'
        ? await transitionApproval(tx, workspace, now, {
            id,
            from: ['executing'],
            to: 'executed',
            set: { finished_at: now, executed_at: now, result: JSON.stringify(outcome.result) },
            audit: { type: 'approval.executed', actor: 'system', data: { result: outcome.result, reconciled: outcome.reconciled } },
          })
        : await transitionApproval(tx, workspace, now, {
            id,
            from: ['executing'],
            to: 'failed',
            set: { finished_at: now, error: outcome.message, error_code: outcome.code },
            audit: { type: 'approval.failed', actor: 'system', data: { code: outcome.code, message: outcome.message } },
          });
    if (!recorded) {
      deps.log.warn('an execution finished after its approval was settled; the outcome is only audited', { approval: id });
      await appendAuditEvent(tx, workspace, now, { type: 'approval.late_outcome', approvalId: id, actor: 'system', data: { outcome } });
    }
    return recorded;
  });
  deps.notifier.notify(id);
  return { approval: approvalFromRow((await loadApprovalRow(storeReader(store), workspace, id))!), recorded };
}
