import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import { recordActionCost } from './action-cost.js';
import { type ApprovalDeps, actionContextFor } from './approval-deps.js';
import { type ApprovalRow, approvalRow } from './approval-row.js';
import { expireTransition, transitionApproval } from './approval-transition.js';
import { claimExecution, type ExecutionOutcome, finishExecution, runClaimedExecution } from './execute-approval.js';
import { settleByCheck } from './settle-by-check.js';

/** What `ts.approvals.reconcile()` settled, by approval id. */
export interface ReconcileResult {
  /** Pending approvals past their TTL, now `expired`. */
  expired: string[];
  /** Executions interrupted past their lease, now `failed` with code `interrupted` (not re-run). */
  interrupted: string[];
  /** Interrupted executions that `checkExecuted` found had taken effect, now `executed`. */
  recovered: string[];
  /** Approved actions (decided where no connector could run them) that this instance carried out. */
  executed: string[];
}

const overdueRow = columns({ id: text, expires_at: integer });
const approvedRow = columns({ id: text, action_type: text });

/** Expires every pending approval past its TTL (by the injected clock); returns their ids. */
export async function expireOverdue(deps: ApprovalDeps): Promise<string[]> {
  const { store, workspace, clock } = deps;
  const overdue = await store.execute(
    "SELECT id, expires_at FROM approvals WHERE workspace = ? AND status = 'pending' AND expires_at <= ? ORDER BY expires_at",
    [workspace, clock().getTime()],
  );
  const expired: string[] = [];
  for (const { id, expires_at } of overdueRow.all(overdue.rows)) {
    if (await store.write((tx) => transitionApproval(tx, workspace, clock().getTime(), expireTransition(id, expires_at)))) {
      expired.push(id);
      deps.notifier.notify(id);
    }
  }
  return expired;
}

/**
 * Settles what was left behind. Pending approvals past their TTL expire. Approved actions that the
 * deciding instance could not run (no connector for them there) are executed if this instance can
 * (unless `executeApproved` is false, as when `createTeamState()` opens: opening never runs actions). An approval
 * `executing` for longer than the execution lease was claimed by a process that died (or hangs) before
 * recording the outcome: it is never executed again. If its action type has `checkExecuted` and that
 * finds the run took effect, it becomes `executed`; otherwise it ends `failed` with code `interrupted`,
 * and a person checks the target and proposes again if needed.
 */
export async function reconcileApprovals(deps: ApprovalDeps, options: { executeApproved?: boolean } = {}): Promise<ReconcileResult> {
  const result: ReconcileResult = { expired: await expireOverdue(deps), interrupted: [], recovered: [], executed: [] };
  const { store, workspace, clock } = deps;
  const approved = await store.execute(
    "SELECT id, action_type FROM approvals WHERE workspace = ? AND status = 'approved' ORDER BY decided_at",
    [workspace],
  );
  for (const { id, action_type } of options.executeApproved === false ? [] : approvedRow.all(approved.rows)) {
    if (!deps.catalogue.find(action_type)) continue;
    const claimed = await store.write((tx) => claimExecution(deps, tx, id));
    if (!claimed) continue;
    await runClaimedExecution(deps, id);
    result.executed.push(id);
  }
  const stuck = await store.execute(
    "SELECT * FROM approvals WHERE workspace = ? AND status = 'executing' AND started_at <= ? ORDER BY started_at",
    [workspace, clock().getTime() - deps.executionLeaseMs],
  );
  for (const row of approvalRow.all(stuck.rows)) {
    const outcome = await settleInterrupted(deps, row);
    const { recorded } = await finishExecution(deps, row.id, outcome);
    if (!recorded) continue;
    if (outcome.status === 'executed') {
      // A paid action that took effect costs what it costs, whether or not the run recorded it before it stopped.
      const action = deps.catalogue.find(row.action_type);
      if (action) await recordActionCost(deps, action, row.id);
      result.recovered.push(row.id);
    } else result.interrupted.push(row.id);
  }
  return result;
}

function settleInterrupted(deps: ApprovalDeps, row: ApprovalRow): Promise<ExecutionOutcome> {
  const lease = `its execution started at ${formatTimestamp(row.started_at ?? 0)} and did not finish within the lease`;
  return settleByCheck(
    deps.catalogue.find(row.action_type),
    JSON.parse(row.params) as Record<string, unknown>,
    () => actionContextFor(deps, row),
    {
      code: 'interrupted',
      unchecked: `${lease}; it was not retried: check the target and propose again if needed`,
      notExecuted: `${lease}; it had not taken effect and was not retried`,
      checkFailed: (error) => `${lease}; checking whether it took effect failed (${error})`,
    },
  );
}
