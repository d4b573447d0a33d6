import { TeamStateError } from '../../kernel/errors.js';
import { type Approval, type ApprovalStatus, approvalStatusSchema } from '../../kernel/model/derived.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { ApprovalChannel } from '../../spec/approval-channel.js';
import type { ActionInfo } from './action-catalogue.js';
import type { ApprovalDeps } from './approval-deps.js';
import { approvalFromRow, approvalRow } from './approval-row.js';
import { type ApprovalStats, type ApprovalStatsQuery, approvalStats } from './approval-stats.js';
import { type DecisionInput, decideApproval } from './decide-approval.js';
import { executeApproval } from './execute-approval.js';
import { getApproval } from './get-approval.js';
import { type ActionProposal, type ProposalOutcome, type ProposeActionsOptions, proposeAction, proposeActions } from './propose-action.js';
import { createPublishState, type PublishResult, publishApprovals } from './publish-approvals.js';
import { expireOverdue, type ReconcileResult, reconcileApprovals } from './reconcile-approvals.js';
import { type WaitOptions, waitForApproval } from './wait-for-approval.js';
import { type ApprovalWatch, type WatchOptions, watchApprovals } from './watch-approvals.js';

/** The `ts.actions` part of the facade. */
export interface Actions {
  /**
   * Proposes an action; the policy decides what happens (docs/approvals.md).
   * @example const approval = await ts.actions.propose({ type: 'github.pr.merge', target: 'acme/api#42', params: { repository: 'acme/api', number: 42 }, reason: 'CI green, 2 approvals', requestedBy: 'assistant' })
   */
  propose(proposal: ActionProposal): Promise<Approval>;
  /** The action types this instance can propose, with the mode and risk the policy gives them. */
  list(): ActionInfo[];
}

/**
 * Proposes many actions in one transaction, each as `propose` would (its own approval and ledger entry, refused alone):
 * what the nudges pass uses. Not on the facade.
 */
export type ProposeAll = (proposals: readonly ActionProposal[], options?: ProposeActionsOptions) => Promise<ProposalOutcome[]>;

/** Filters of `ts.approvals.list()`. */
export interface ApprovalQuery {
  status?: ApprovalStatus | ApprovalStatus[];
  type?: string;
  /** 1–500, default 50. */
  limit?: number;
}

/** The `ts.approvals` part of the facade. */
export interface Approvals {
  /** One approval, or `undefined`. */
  get(id: string): Promise<Approval | undefined>;
  /** Approvals, newest first. */
  list(query?: ApprovalQuery): Promise<Approval[]>;
  /**
   * Approves, modifies or declines a pending approval; see {@link decideApproval}.
   * @example await ts.approvals.decide(id, { decision: 'approve', by: 'ana', reason: 'looks right' })
   */
  decide(id: string, decision: DecisionInput): Promise<Approval>;
  /** Waits for a terminal state; see {@link waitForApproval}. */
  wait(id: string, options?: WaitOptions): Promise<Approval>;
  /** Executes an approved approval now if nobody has claimed it; safe to call any number of times. */
  execute(id: string): Promise<Approval>;
  /**
   * Expires overdue approvals, settles interrupted executions and executes approved actions this
   * instance can run; see {@link reconcileApprovals}. `createTeamState()` runs it when opening, without
   * executing anything. A long-running process (MCP server, `teamstate serve`) may call it periodically.
   */
  reconcile(): Promise<ReconcileResult>;
  /** Approval metrics: latency p50/p90, override rate, auto vs human counts, per action type. */
  stats(query?: ApprovalStatsQuery): Promise<ApprovalStats>;
  /**
   * One pass over the connectors' approval channels (Slack): shows every pending approval not shown yet
   * and updates the messages of approvals that changed since (decided anywhere, executed, expired); see
   * {@link publishApprovals}. Safe to run from several processes on one database.
   */
  publish(): Promise<PublishResult>;
  /**
   * Keeps the approval channels up to date until stopped: a {@link Approvals.publish} pass (and a
   * `reconcile()`, unless `reconcile: false`) at once, on every change made through this `TeamState`, and
   * every `intervalMs` for changes made by other processes. What `teamstate serve` runs.
   * @example const watch = ts.approvals.watch({ intervalMs: 2000 }); … await watch.stop()
   */
  watch(options?: WatchOptions): ApprovalWatch;
}

/** Builds `ts.actions` and `ts.approvals` over shared dependencies. */
export function createApprovalsApi(
  deps: ApprovalDeps,
  channels: readonly ApprovalChannel[] = [],
): {
  actions: Actions;
  approvals: Approvals;
  proposeAll: ProposeAll;
  settleOnOpen(): Promise<ReconcileResult>;
  /** Stops every running watch (when the `TeamState` closes). */
  stopWatches(): Promise<void>;
} {
  const publishState = createPublishState();
  const publish = () => publishApprovals(deps, channels, publishState);
  const watches = new Set<ApprovalWatch>();
  return {
    actions: {
      propose: async (proposal) => {
        await deps.refreshPolicy?.();
        return proposeAction(deps, proposal);
      },
      list: () => deps.catalogue.describe(deps.policy),
    },
    approvals: {
      get: (id) => getApproval(deps, id),
      list: (query) => listApprovals(deps, query),
      decide: (id, decision) => decideApproval(deps, id, decision),
      wait: (id, options) => waitForApproval(deps, id, options),
      execute: (id) => executeApproval(deps, id),
      reconcile: () => reconcileApprovals(deps),
      stats: (query) => approvalStats(deps.store, deps.workspace, query),
      publish,
      watch(options = {}) {
        const reconcile = options.reconcile ?? true;
        const watch = watchApprovals(
          deps,
          async () => {
            if (reconcile) await reconcileApprovals(deps);
            await publish();
          },
          options,
        );
        watches.add(watch);
        return {
          async stop() {
            watches.delete(watch);
            await watch.stop();
          },
        };
      },
    },
    proposeAll: async (proposals, options) => {
      await deps.refreshPolicy?.();
      return proposeActions(deps, proposals, options);
    },
    settleOnOpen: () => reconcileApprovals(deps, { executeApproved: false }),
    async stopWatches() {
      const running = [...watches];
      watches.clear();
      await Promise.all(running.map((watch) => watch.stop()));
    },
  };
}

async function listApprovals(deps: ApprovalDeps, query: ApprovalQuery = {}): Promise<Approval[]> {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new TeamStateError('invalid_argument', `limit: expected a whole number from 1 to 500, got ${limit}`);
  }
  const statuses = query.status === undefined ? [] : Array.isArray(query.status) ? query.status : [query.status];
  for (const status of statuses) {
    if (!approvalStatusSchema.safeParse(status).success) {
      throw new TeamStateError('invalid_argument', `status: expected one of ${approvalStatusSchema.options.join('|')}, got "${status}"`);
    }
  }
  await expireOverdue(deps);
  const where = ['workspace = ?'];
  const args: InValue[] = [deps.workspace];
  if (statuses.length > 0) {
    where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
    args.push(...statuses);
  }
  if (query.type !== undefined) {
    where.push('action_type = ?');
    args.push(query.type);
  }
  const rows = await deps.store.execute(`SELECT * FROM approvals WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id LIMIT ?`, [
    ...args,
    limit,
  ]);
  return approvalRow.all(rows.rows).map(approvalFromRow);
}
