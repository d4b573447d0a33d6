import { NotFoundError, TeamStateError } from '../../kernel/errors.js';
import { type Approval, isTerminalApprovalStatus } from '../../kernel/model/derived.js';
import { ATTRIBUTES, inSpan, SPANS } from '../../kernel/telemetry/telemetry.js';
import type { ApprovalDeps } from './approval-deps.js';
import { executeApproval } from './execute-approval.js';
import { getApproval } from './get-approval.js';

/** Options of `ts.approvals.wait()`. */
export interface WaitOptions {
  /** How long to wait at most, in milliseconds (default 30 000); then the current state is returned. */
  timeoutMs?: number;
  /** Aborting rejects the wait with the signal's reason. */
  signal?: AbortSignal;
}

const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Resolves when the approval reaches a terminal state, or with its current state once `timeoutMs` has
 * passed. It sleeps between checks: a change made by this `TeamState` wakes it at once, and it re-reads
 * the database every `pollIntervalMs` to see decisions made by other processes (an embedded replica is synced with its
 * primary first, so a decision made on another machine is seen too). An approval that is
 * `approved` while this instance has its action type is executed here (exactly once, see
 * `executeApproval`), so a waiting MCP server carries out what a person approved from the CLI.
 */
export function waitForApproval(deps: ApprovalDeps, id: string, options: WaitOptions = {}): Promise<Approval> {
  return inSpan(SPANS.waitForApproval, { attributes: { [ATTRIBUTES.approvalId]: id }, links: deps.telemetry.linksTo(id) }, async (span) => {
    const approval = await waitFor(deps, id, options);
    span.setAttributes({
      [ATTRIBUTES.actionType]: approval.type,
      [ATTRIBUTES.status]: approval.status,
      'teamstate.wait.timed_out': !isTerminalApprovalStatus(approval.status),
    });
    return approval;
  });
}

async function waitFor(deps: ApprovalDeps, id: string, options: WaitOptions): Promise<Approval> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new TeamStateError(
      'invalid_argument',
      `timeoutMs: expected a whole number of milliseconds from 0 to ${MAX_TIMEOUT_MS}, got ${timeoutMs}`,
    );
  }
  const { signal } = options;
  const started = performance.now();
  for (;;) {
    signal?.throwIfAborted();
    // On an embedded replica a decision made on another machine is read once the replica has caught up with its
    // primary (a no-op on other stores); a primary that cannot be reached ends the wait with that error.
    await deps.store.sync();
    let approval = await getApproval(deps, id);
    if (!approval) throw new NotFoundError('approval', id);
    if (approval.status === 'approved' && deps.catalogue.find(approval.type)) approval = await executeApproval(deps, id);
    const remaining = timeoutMs - (performance.now() - started);
    if (isTerminalApprovalStatus(approval.status) || remaining <= 0) return approval;
    await pause(deps, id, Math.min(deps.pollIntervalMs, remaining), signal);
  }
}

// Sleeps until the poll interval passes or this instance changes the approval; rejects on abort.
function pause(deps: ApprovalDeps, id: string, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', aborted);
    };
    const wake = () => {
      done();
      resolve();
    };
    const aborted = () => {
      done();
      reject(signal?.reason);
    };
    const timer = setTimeout(wake, ms);
    const unsubscribe = deps.notifier.subscribe(id, wake);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
