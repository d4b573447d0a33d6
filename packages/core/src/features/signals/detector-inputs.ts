import { createHash } from 'node:crypto';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import type { SignalDetector, SignalSettings, WorkingHours } from '../../spec/signal-detector.js';

const counter = columns({ table_name: text, version: integer });
const lastRun = columns({ kind: text, inputs: text, ran_at: integer });

/** The change counters of a workspace's tables (bumped by triggers on every write; absent = never written). */
export async function changeCounters(store: Pick<Store, 'execute'>, workspace: string): Promise<Map<string, number>> {
  const { rows } = await store.execute('SELECT table_name, version FROM change_counters WHERE workspace = ?', [workspace]);
  return new Map(counter.all(rows).map((row) => [row.table_name, row.version]));
}

/** A detector's last run: its inputs and the refresh's now. */
export interface LastRun {
  inputs: string;
  ranAt: number;
}

/** The inputs each detector last ran with, by kind. */
export async function lastRuns(store: Pick<Store, 'execute'>, workspace: string): Promise<Map<string, LastRun>> {
  const { rows } = await store.execute('SELECT kind, inputs, ran_at FROM signal_detector_runs WHERE workspace = ?', [workspace]);
  return new Map(lastRun.all(rows).map((row) => [row.kind, { inputs: row.inputs, ranAt: row.ran_at }]));
}

/**
 * Whether a detector's last run still stands: same inputs and, for a time-driven detector, the same now (or a now at
 * most `maxAgeMs` after it, when the caller accepts that).
 */
export function stillHolds(detector: SignalDetector, last: LastRun | undefined, inputs: string, now: number, maxAgeMs = 0): boolean {
  if (last === undefined || last.inputs !== inputs) return false;
  if (detector.incremental?.drivenBy !== 'time') return true;
  return now >= last.ranAt && now - last.ranAt <= maxAgeMs;
}

/** What a refresh passes to {@link inputsOf}. */
export interface RefreshInputs {
  counters: ReadonlyMap<string, number>;
  settings: SignalSettings | undefined;
  workingHours: WorkingHours;
  /** The people opted out of wellbeing signals, for a wellbeing detector. */
  quiet: ReadonlySet<string> | undefined;
}

/**
 * Everything an incremental detector's result depends on but the now, as one string: equal strings (and, for a
 * time-driven detector, the same now), equal signals. The detector's own code and definition are in it too, so an
 * upgraded detector runs again.
 */
export function inputsOf(detector: SignalDetector, refresh: RefreshInputs): string {
  const { incremental } = detector;
  if (!incremental) throw new Error(`signals: "${detector.kind}" declares no incremental inputs`);
  const teams = refresh.settings?.teams ?? {};
  const inputs = {
    detector: createHash('sha256')
      .update(`${detector.description}\n${JSON.stringify(detector.defaults ?? {})}\n${detector.detect.toString()}`)
      .digest('base64url'),
    reads: [...new Set(incremental.reads)].sort().map((table) => [table, refresh.counters.get(table) ?? 0]),
    thresholds: refresh.settings?.thresholds?.[detector.kind] ?? null,
    teams: Object.keys(teams)
      .sort()
      .flatMap((team) => (teams[team]?.[detector.kind] ? [[team, teams[team][detector.kind]]] : [])),
    workingHours: refresh.workingHours,
    quiet: refresh.quiet ? [...refresh.quiet].sort() : null,
  };
  return JSON.stringify(inputs);
}
