import { type Logger, redactSecrets, type SyncLease } from '@teamstate/core';

/**
 * The hub's scheduler (`teamstate serve`): a registry of jobs, each run every `everyMs` with jitter, one run at a time
 * per job, backed off after failures, and optionally under a database lease so that across every `serve` process
 * sharing the database only one runs it at a time.
 *
 * A job is `{ name, everyMs, run }` (plus optional `lease`, `firstRunInMs`, `source`). To add one (the nudges pass,
 * say), build it and pass it to {@link createScheduler}'s `add` before `start()`:
 *
 * ```ts
 * scheduler.add({ name: 'nudges', everyMs: intervals.nudges, lease: '@nudges', run: (signal) => sendNudges(ts, { signal }) });
 * ```
 *
 * `run` resolves when the pass is done (`'skipped'` when there was nothing to do or someone else did it) and throws on
 * failure; it should stop at `signal` (the server is stopping, or the lease was lost).
 */
export interface HubJob {
  /** Shown in logs: `sync github`, `signals`, `nudges`. */
  name: string;
  /** The interval between runs (before jitter), in ms. */
  everyMs: number;
  /** One pass. Throws on failure (logged with the job's source and the next attempt; backed off). */
  run(signal: AbortSignal): Promise<unknown>;
  /**
   * A lease key (`github`, `@signals`): the pass runs only while this process holds the lease of that key in the
   * database (renewed during the pass, released after); when another process holds it the pass is skipped.
   */
  lease?: string;
  /** When the first run is due, in ms from `start()` (default: at once). */
  firstRunInMs?: number;
  /** The source named in failure logs (default the job's name). */
  source?: string;
}

/** The timers and randomness the scheduler uses (the globals by default; tests pass their own). */
export interface SchedulerTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
  /** A number in [0, 1): the jitter. */
  random(): number;
}

/** What a job is doing, for logs and tests. */
export interface JobState {
  name: string;
  /** When its next run is due (epoch ms); undefined once stopped. */
  nextAt?: number;
  /** Failures in a row (0 after a success). */
  failures: number;
  runs: number;
}

/** Options of {@link createScheduler}. */
export interface SchedulerOptions {
  log: Logger;
  timers?: SchedulerTimers;
  /** Takes a lease (`ts.syncLease`), for jobs with `lease`. */
  lease?: (key: string, ttlMs: number) => Promise<SyncLease>;
  /** How long a lease lasts without renewal (default 60 s); it is renewed every third of that during a pass. */
  leaseTtlMs?: number;
  /** The share of the interval added at random to each wait (default 0.1: up to 10 %). */
  jitter?: number;
  /** The longest back-off after failures (default: the longer of the interval and 1 h). */
  maxBackoffMs?: number;
}

/** The scheduler: `add` jobs, `start`, `stop`; `idle()` waits for the passes in progress. */
export interface Scheduler {
  add(job: HubJob): void;
  start(): void;
  /** Starts no further pass, aborts the ones in progress and waits for them. */
  stop(): Promise<void>;
  /** Resolves once no pass is in progress. */
  idle(): Promise<void>;
  states(): JobState[];
}

const DEFAULT_LEASE_TTL_MS = 60_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
const HOUR = 3_600_000;

/** The real timers. */
export const SYSTEM_TIMERS: SchedulerTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return timer;
  },
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
  random: Math.random,
};

/**
 * The wait before a job's next run: its interval, doubled after each failure in a row up to `maxBackoffMs`, plus up to
 * `jitter` of that at random (so processes started together drift apart).
 */
export function nextDelay(
  everyMs: number,
  failures: number,
  random: number,
  options: { jitter?: number; maxBackoffMs?: number } = {},
): number {
  const cap = options.maxBackoffMs ?? Math.max(everyMs, HOUR);
  const base = failures > 0 ? Math.min(everyMs * 2 ** Math.min(failures, 30), Math.max(cap, everyMs)) : everyMs;
  return Math.round(base * (1 + (options.jitter ?? 0.1) * random));
}

/** `2m 30s` for log lines. */
function spell(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)}s`;
  if (ms < HOUR) return `${Math.round(ms / 60_000)}m`;
  return `${(ms / HOUR).toFixed(1).replace(/\.0$/, '')}h`;
}

/** Creates a scheduler; nothing runs before `start()`. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const timers = options.timers ?? SYSTEM_TIMERS;
  const { log } = options;
  const leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const stopping = new AbortController();
  const jobs: { job: HubJob; state: JobState; timer?: unknown; running?: Promise<void> }[] = [];
  let started = false;

  const schedule = (entry: (typeof jobs)[number], wantedMs: number) => {
    if (stopping.signal.aborted) return;
    // Node's timers fire at once past 2^31 - 1 ms (about 24.8 days): a longer wait is capped (a job is never that rare).
    const delayMs = Math.min(Math.max(0, wantedMs), MAX_TIMER_MS);
    entry.state.nextAt = timers.now() + delayMs;
    entry.timer = timers.setTimeout(() => {
      entry.timer = undefined;
      entry.running = pass(entry).finally(() => {
        entry.running = undefined;
      });
    }, delayMs);
  };

  const pass = async (entry: (typeof jobs)[number]): Promise<void> => {
    const { job, state } = entry;
    if (stopping.signal.aborted) return;
    try {
      await runOnce(job);
      state.failures = 0;
    } catch (error) {
      if (stopping.signal.aborted) return;
      state.failures += 1;
      const delay = nextDelay(job.everyMs, state.failures, timers.random(), options);
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      log.error(
        `${job.name} failed (${state.failures} in a row): ${message}; next attempt at ${new Date(timers.now() + delay).toISOString()} (in ${spell(delay)})`,
        { source: job.source ?? job.name, nextAttemptAt: new Date(timers.now() + delay).toISOString() },
      );
      state.runs += 1;
      schedule(entry, delay);
      return;
    }
    state.runs += 1;
    schedule(entry, nextDelay(job.everyMs, 0, timers.random(), options));
  };

  const runOnce = async (job: HubJob): Promise<void> => {
    if (!job.lease || !options.lease) {
      await job.run(stopping.signal);
      return;
    }
    const lease = await options.lease(job.lease, leaseTtlMs);
    if (!lease.acquired) {
      log.debug(`${job.name}: skipped, ${lease.heldBy ?? 'another process'} is running it (lease until ${lease.expiresAt ?? '?'})`);
      return;
    }
    // The pass stops when the server stops or the lease is lost (it expired and another process took it over).
    const controller = new AbortController();
    const onStop = () => controller.abort();
    stopping.signal.addEventListener('abort', onStop, { once: true });
    let renewal: unknown;
    const renew = () => {
      renewal = timers.setTimeout(
        async () => {
          try {
            if (await lease.renew()) renew();
            else {
              log.warn(`${job.name}: lost its lease to another process; stopping this pass`);
              controller.abort();
            }
          } catch (error) {
            log.warn(`${job.name}: could not renew its lease: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
            renew();
          }
        },
        Math.max(1, Math.floor(leaseTtlMs / 3)),
      );
    };
    renew();
    try {
      await job.run(controller.signal);
    } finally {
      timers.clearTimeout(renewal);
      stopping.signal.removeEventListener('abort', onStop);
      await lease.release().catch(() => {});
    }
  };

  return {
    add(job) {
      if (!(Number.isFinite(job.everyMs) && job.everyMs > 0)) throw new TypeError(`${job.name}: everyMs must be a positive number`);
      if (jobs.some((entry) => entry.job.name === job.name)) throw new TypeError(`${job.name}: a job of that name is already scheduled`);
      const entry = { job, state: { name: job.name, failures: 0, runs: 0 } };
      jobs.push(entry);
      if (started) schedule(entry, job.firstRunInMs ?? 0);
    },
    start() {
      if (started) return;
      started = true;
      for (const entry of jobs) schedule(entry, entry.job.firstRunInMs ?? 0);
    },
    async stop() {
      stopping.abort();
      for (const entry of jobs) {
        if (entry.timer !== undefined) timers.clearTimeout(entry.timer);
        entry.timer = undefined;
        entry.state.nextAt = undefined;
      }
      await this.idle();
    },
    async idle() {
      await Promise.all(jobs.map((entry) => entry.running ?? Promise.resolve()));
    },
    states: () => jobs.map((entry) => ({ ...entry.state })),
  };
}
