import type { Logger, TeamState } from '@teamstate/core';

/** How often `serve` runs retention: once a day. */
export const RETENTION_EVERY_MS = 24 * 60 * 60 * 1000;

/** The timer functions the schedule uses (the globals by default; tests pass their own). */
export interface ScheduleTimers {
  setInterval(fn: () => void, ms: number): { unref?(): unknown };
  clearInterval(timer: unknown): void;
}

/**
 * Runs `ts.retention.run()` when `serve` starts and then every {@link RETENTION_EVERY_MS}, one run at a time (audited
 * as `system`); a failed run is logged and tried again the next day. `stop()` starts no further run and waits for the
 * one in progress.
 */
export function scheduleRetention(
  ts: TeamState,
  log: Logger,
  options: { everyMs?: number; timers?: ScheduleTimers } = {},
): { idle(): Promise<void>; stop(): Promise<void> } {
  const timers = options.timers ?? { setInterval, clearInterval };
  let stopped = false;
  let pass: Promise<void> = Promise.resolve();
  const run = () => {
    pass = pass.then(async () => {
      if (stopped) return;
      try {
        const result = await ts.retention.run({ by: 'system' });
        const { reports, webhookDeliveries, resolvedSignals } = result.counts;
        if (result.folder)
          log.info(
            `retention: archived and deleted ${reports} reports, ${webhookDeliveries} webhook deliveries, ${resolvedSignals} resolved signals`,
            {
              folder: result.folder,
            },
          );
      } catch (error) {
        log.error(`retention: ${error instanceof Error ? error.message : String(error)} (tried again in a day)`);
      }
    });
  };
  run();
  const timer = timers.setInterval(run, options.everyMs ?? RETENTION_EVERY_MS);
  timer.unref?.();
  return {
    /** Resolves once the runs started so far are done. */
    idle: () => pass,
    async stop() {
      stopped = true;
      timers.clearInterval(timer);
      await pass;
    },
  };
}
