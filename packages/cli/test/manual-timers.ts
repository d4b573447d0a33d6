import type { SchedulerTimers } from '../src/server/scheduler.js';

/** The clock a test's schedulers and its TeamStates share: read it, and move it when a timer fires. */
export interface TestClock {
  now(): number;
  set(at: number): void;
}

/**
 * Timers driven by the test, on `clock`: `advance(ms)` fires every timer due within `ms`, in order (every scheduler
 * given these timers shares the queue), letting each pass settle for `settleRounds` turns of the event loop.
 */
export function manualTimers(clock: TestClock, options: { random?: number; settleRounds?: number } = {}) {
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: SchedulerTimers = {
    now: () => clock.now(),
    setTimeout(fn, ms) {
      const id = ++seq;
      due.set(id, { at: clock.now() + ms, fn });
      return id;
    },
    clearTimeout(id) {
      due.delete(id as number);
    },
    random: () => options.random ?? 0,
  };
  const settle = async () => {
    for (let i = 0; i < (options.settleRounds ?? 40); i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    timers,
    now: () => clock.now(),
    async advance(ms: number) {
      const until = clock.now() + ms;
      await settle();
      for (;;) {
        const next = [...due.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        due.delete(next[0]);
        clock.set(next[1].at);
        next[1].fn();
        await settle();
      }
      clock.set(until);
    },
  };
}
