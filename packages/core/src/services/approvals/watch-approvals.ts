import { errorMessage, TeamStateError } from '../../kernel/errors.js';
import type { ApprovalDeps } from './approval-deps.js';

/** Options of `ts.approvals.watch()`. */
export interface WatchOptions {
  /**
   * How often to look at the database for changes made by other processes (CLI, MCP server, another
   * `teamstate serve`), in milliseconds; default 2000. Changes made through this `TeamState` wake it at once.
   */
  intervalMs?: number;
  /**
   * Also reconcile on every pass (default true): expire overdue approvals, run approved actions this
   * instance can run (approved from a process without the connector), settle interrupted runs.
   */
  reconcile?: boolean;
}

/** A running watch; `ts.close()` stops it too. */
export interface ApprovalWatch {
  /** Stops after the pass in progress; resolves once it has. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` now, then whenever an approval changes in this process and at least every `intervalMs`,
 * until stopped. A failing pass is logged and the next one runs as usual.
 */
export function watchApprovals(deps: ApprovalDeps, pass: () => Promise<void>, options: WatchOptions = {}): ApprovalWatch {
  const intervalMs = options.intervalMs ?? 2000;
  if (!Number.isInteger(intervalMs) || intervalMs <= 0) {
    throw new TeamStateError('invalid_argument', `intervalMs: expected a positive whole number of milliseconds, got ${intervalMs}`);
  }
  let stopped = false;
  let dirty = false;
  let wake: (() => void) | undefined;
  const unsubscribe = deps.notifier.subscribeAll(() => {
    dirty = true;
    wake?.();
  });
  const loop = (async () => {
    while (!stopped) {
      dirty = false;
      try {
        // An embedded replica sees other machines' decisions once it has caught up with its primary.
        await deps.store.sync();
        await pass();
      } catch (error) {
        deps.log.warn('watching approvals: a pass failed; the next one runs as usual', { error: errorMessage(error) });
      }
      if (stopped || dirty) continue;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, intervalMs);
        wake = done;
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      wake?.();
      await loop;
    },
  };
}
