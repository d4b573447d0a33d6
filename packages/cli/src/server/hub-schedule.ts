import { hostname } from 'node:os';
import { type Logger, parseDuration, type TeamState } from '@teamstate/core';
import type { Config } from '../config/config-schema.js';
import { createScheduler, type HubJob, type Scheduler, type SchedulerTimers } from './scheduler.js';

/** The intervals of `schedule:` in the config, with their defaults, in ms. */
export interface HubIntervals {
  sync: number;
  signals: number;
  nudges: number;
  retention: number;
  /** The period of the risk digest each team's channel gets (a week). */
  riskDigest: number;
  /** How often personal alerts are looked for. */
  alerts: number;
  leaseTtl: number;
}

/** Defaults of `schedule:`: sync 15m, signals 5m, nudges 10m, retention 1d, riskDigest 7d, alerts 5m; a lease lasts 1m without renewal. */
export const DEFAULT_INTERVALS: HubIntervals = {
  sync: 15 * 60_000,
  signals: 5 * 60_000,
  nudges: 10 * 60_000,
  retention: 86_400_000,
  riskDigest: 7 * 86_400_000,
  alerts: 5 * 60_000,
  leaseTtl: 60_000,
};

/** `schedule:` in ms (validated by the config schema, so every value parses). */
export function hubIntervals(config: Config | undefined): HubIntervals {
  const schedule = config?.schedule ?? {};
  const pick = (value: string | undefined, fallback: number) => (value === undefined ? fallback : (parseDuration(value) ?? fallback));
  return {
    sync: pick(schedule.sync, DEFAULT_INTERVALS.sync),
    signals: pick(schedule.signals, DEFAULT_INTERVALS.signals),
    nudges: pick(schedule.nudges, DEFAULT_INTERVALS.nudges),
    retention: pick(schedule.retention, DEFAULT_INTERVALS.retention),
    riskDigest: pick(schedule.riskDigest, DEFAULT_INTERVALS.riskDigest),
    alerts: pick(schedule.alerts, DEFAULT_INTERVALS.alerts),
    leaseTtl: pick(schedule.leaseTtl, DEFAULT_INTERVALS.leaseTtl),
  };
}

/** How often `connector` syncs: its `connectors.<name>.syncEvery`, else `schedule.sync`. */
export function syncIntervalOf(config: Config | undefined, connector: string, intervals: HubIntervals): number {
  const section = (config?.connectors as Record<string, { syncEvery?: string } | undefined> | undefined)?.[connector];
  return (section?.syncEvery && parseDuration(section.syncEvery)) || intervals.sync;
}

/**
 * One incremental sync job per connector `serve` has (its lease keyed by the connector id), due first when its last sync
 * is one interval old (at once when it never synced), then on its interval with jitter; a failed sync is backed off.
 */
export async function syncJobs(
  ts: TeamState,
  config: Config | undefined,
  intervals: HubIntervals,
  log: Logger,
  only: readonly string[] = ts.connectors.map((c) => c.id),
): Promise<HubJob[]> {
  const { sources } = await ts.freshness();
  const now = ts.now().getTime();
  return ts.connectors
    .filter((c) => only.includes(c.id))
    .map((connector): HubJob => {
      const everyMs = syncIntervalOf(config, connector.id, intervals);
      const last = sources.find((s) => s.source === connector.id)?.lastSync;
      return {
        name: `sync ${connector.id}`,
        source: connector.id,
        everyMs,
        lease: connector.id,
        // Never more than one interval away (a clock set back with --now, a last sync stamped in the future).
        firstRunInMs: last ? Math.min(everyMs, Math.max(0, Date.parse(last) + everyMs - now)) : 0,
        async run(signal) {
          const started = performance.now();
          const result = await ts.sync({ only: [connector.id], signal });
          const outcome = result.connectors[0];
          if (outcome?.status === 'failed')
            throw new Error(`${outcome.error?.code ?? 'sync_failed'}: ${outcome.error?.message ?? 'failed'}`);
          if (outcome)
            log.info(`sync ${connector.id}: ${outcome.status}, ${outcome.records} records in ${outcome.batches} batches`, {
              source: connector.id,
              ms: Math.round(performance.now() - started),
            });
        },
      };
    });
}

/** The signals refresh (`schedule.signals`), one process at a time (lease `@signals`), first after one interval. */
export function signalsJob(ts: TeamState, intervals: HubIntervals): HubJob {
  return {
    name: 'signals',
    everyMs: intervals.signals,
    lease: '@signals',
    firstRunInMs: intervals.signals,
    run: () => ts.signals.refresh(),
  };
}

/** This process's lease holder id: host and pid (unique among the processes sharing a database). */
export function leaseHolder(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * The hub's scheduler for `serve`: incremental syncs (of `syncs`, default every connector of `ts`) and the signals refresh
 * on `schedule:`, under database leases held as `holder`. More jobs (nudges) are added with `scheduler.add()` before
 * `start()`.
 */
export async function createHubScheduler(
  ts: TeamState,
  config: Config | undefined,
  log: Logger,
  options: { timers?: SchedulerTimers; holder?: string; syncs?: readonly string[] } = {},
): Promise<{ scheduler: Scheduler; intervals: HubIntervals }> {
  const intervals = hubIntervals(config);
  const holder = options.holder ?? leaseHolder();
  const scheduler = createScheduler({
    log,
    ...(options.timers ? { timers: options.timers } : {}),
    leaseTtlMs: intervals.leaseTtl,
    lease: (key, ttlMs) => ts.syncLease(key, { holder, ttlMs }),
  });
  for (const job of await syncJobs(ts, config, intervals, log, options.syncs)) scheduler.add(job);
  scheduler.add(signalsJob(ts, intervals));
  return { scheduler, intervals };
}
