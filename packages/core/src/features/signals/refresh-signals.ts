import { TeamStateError } from '../../kernel/errors.js';
import type { Transaction } from '../../kernel/store/driver.js';
import { columns, integer, scalar, text } from '../../kernel/store/row-decoder.js';
import type { DetectedSignal, SignalDetector } from '../../spec/signal-detector.js';
import { changeCounters, inputsOf, type LastRun, lastRuns, stillHolds } from './detector-inputs.js';
import { type SignalsContext, settingsFor } from './signals-context.js';

/** What a refresh did. */
export interface RefreshResult {
  at: string;
  open: number;
  opened: number;
  resolved: number;
  byKind: Record<string, number>;
  /** The kinds whose detector was not run again (an incremental refresh: none of its inputs changed). */
  skipped: string[];
}

/** Options of `ts.signals.refresh()`. */
export interface RefreshOptions {
  /** Run every detector, whatever changed (default: incremental, see `SignalDetector.incremental`). */
  full?: boolean;
  /**
   * Accept a time-driven detector's signals from a refresh at most this many milliseconds ago when none of its data
   * changed since (default 0: only from a refresh at the same now). For readers that refresh on every call
   * (`list_signals`, the standup digest): their ages and waits are then up to that much old, never their data.
   */
  maxAgeMs?: number;
}

/** Signals written per statement. */
const WRITE_BATCH = 2_000;

/** A found signal as written: fingerprint, kind, severity, subject type and id, team, title, evidence (JSON). */
type SignalRow = [string, string, string, string, string, string | null, string, string];

/** An open signal as stored: fingerprint, severity, team, title, evidence (JSON). */
type OpenSignal = [string, string, string | null, string, string];

/** Open signals counted per kind. */
const kindCount = columns({ kind: text, n: integer });

/** The stable identity of a detected signal. */
export const fingerprintOf = (kind: string, s: DetectedSignal) => `${kind}:${s.subject.type}:${s.subject.id}${s.key ? `:${s.key}` : ''}`;

/** Which detectors a refresh runs (with their inputs, when they declare them) and which it skips. */
interface RefreshPlan {
  ran: { detector: SignalDetector; inputs?: string }[];
  skipped: string[];
  /** The people who opted out of wellbeing signals (or were erased). */
  quiet: Set<string>;
}

/** The detectors' runs under way, in the detectors' order: each one's rows once it has finished. */
interface Detecting {
  running: Promise<void>[];
  finished: Map<string, SignalRow>[];
}

/**
 * Runs the detectors at the clock's now and stores the result in one transaction: new signals open, those still
 * holding are updated (first seen kept), those no longer holding are resolved. Incremental by default (see
 * {@link planRefresh}); `{ full: true }` runs every detector, `{ maxAgeMs }` lets a time-driven one's last run stand
 * for that long.
 */
export async function refreshSignals(ctx: SignalsContext, options: RefreshOptions = {}): Promise<RefreshResult> {
  if (options.maxAgeMs !== undefined && !(Number.isFinite(options.maxAgeMs) && options.maxAgeMs >= 0))
    throw new TeamStateError('invalid_argument', `maxAgeMs: expected a number of milliseconds ≥ 0, got ${options.maxAgeMs}`);
  const now = ctx.clock();
  const plan = await planRefresh(ctx, options, now.getTime());
  const detecting = startDetectors(ctx, plan, now);
  // On a local file the write begins now: each detector's rows are written once it and every detector before it
  // have finished, while the others still read (at 10,000 engineers, the 11,586 rows of a first refresh no longer
  // wait for the last detector). Its reads run on connections of their own and see only what was committed, never
  // this transaction. Elsewhere a detector may read through the connection the transaction holds (memory, a
  // replica) or a server's stream: the write begins once every detector has finished.
  if (ctx.store.kind !== 'file') await Promise.all(detecting.running);
  // Without waiting for the disk (durability 'normal'): signals are derived from the store, and a refresh lost to
  // a power cut is made again by the next one.
  return ctx.store.write((tx) => writeRefresh(ctx, tx, plan, detecting, now), { durability: 'normal' });
}

/**
 * Skips a detector that declares `incremental` and none of whose inputs (the tables it reads, its settings, the
 * working hours, the now of a time-driven one) changed since its last run: its open signals stay as they are (seen
 * again now), the same result as a full refresh's.
 */
async function planRefresh(ctx: SignalsContext, options: RefreshOptions, at: number): Promise<RefreshPlan> {
  const { store, workspace } = ctx;
  // Nothing about the wellbeing of someone who opted out (or was erased) is kept: not even as resolved.
  const quiet = ctx.wellbeingKinds.length === 0 ? new Set<string>() : await ctx.optedOutOfWellbeing();
  const counters = await changeCounters(store, workspace);
  const previous = options.full ? new Map<string, LastRun>() : await lastRuns(store, workspace);
  const ran: RefreshPlan['ran'] = [];
  const skipped: string[] = [];
  for (const detector of ctx.detectors) {
    const inputs = detector.incremental
      ? inputsOf(detector, {
          counters,
          settings: ctx.settings,
          workingHours: ctx.workingHours,
          quiet: detector.wellbeing ? quiet : undefined,
        })
      : undefined;
    if (inputs !== undefined && stillHolds(detector, previous.get(detector.kind), inputs, at, options.maxAgeMs))
      skipped.push(detector.kind);
    else ran.push({ detector, inputs });
  }
  return { ran, skipped, quiet };
}

/**
 * Starts the detectors that run, side by side (they only read). Each one's signals become rows as it finishes, while
 * the others still read (kinds are unique, so no two detectors find the same fingerprint).
 */
function startDetectors(ctx: SignalsContext, plan: RefreshPlan, now: Date): Detecting {
  const { workspace, workingHours } = ctx;
  const finished: Map<string, SignalRow>[] = [];
  const running = plan.ran.map(async ({ detector }, index) => {
    const signals = await detector.detect(ctx.detectorDb, { workspace, now, settings: settingsFor(ctx, detector), workingHours });
    finished[index] = rowsOf(detector, signals, plan.quiet);
  });
  // A detector that fails fails the refresh when the write reaches it (in the detectors' order), never as an
  // unhandled rejection while an earlier one still reads.
  for (const detector of running) detector.catch(() => undefined);
  return { running, finished };
}

/** A detector's signals as rows by fingerprint, without the wellbeing of the quiet. */
function rowsOf(detector: SignalDetector, signals: readonly DetectedSignal[], quiet: ReadonlySet<string>): Map<string, SignalRow> {
  const rows = new Map<string, SignalRow>();
  for (const signal of signals) {
    if (detector.wellbeing && signal.subject.type === 'person' && quiet.has(signal.subject.id)) continue;
    const fingerprint = fingerprintOf(detector.kind, signal);
    // Found twice: what was found last.
    rows.delete(fingerprint);
    rows.set(fingerprint, [
      fingerprint,
      detector.kind,
      signal.severity,
      signal.subject.type,
      signal.subject.id,
      signal.team ?? null,
      signal.title,
      JSON.stringify(signal.evidence),
    ]);
  }
  return rows;
}

/** The refresh's transaction: writes what the detectors found, resolves what they no longer find, records the runs. */
async function writeRefresh(
  ctx: SignalsContext,
  tx: Transaction,
  plan: RefreshPlan,
  detecting: Detecting,
  now: Date,
): Promise<RefreshResult> {
  const { workspace } = ctx;
  const at = now.getTime();
  const openBefore = await openSignalsOf(tx, workspace, plan.ran);
  const { rows, opened } = await writeFoundSignals(tx, workspace, at, detecting, openBefore);
  const gone = [...openBefore.keys()].filter((fingerprint) => !rows.has(fingerprint));
  const resolved = await resolveSignals(tx, workspace, at, gone);
  const byKind: Record<string, number> = {};
  for (const [, kind] of rows.values()) byKind[kind] = (byKind[kind] ?? 0) + 1;
  const open = rows.size + (await countKeptSignals(tx, workspace, plan.skipped, byKind));
  if (plan.quiet.size > 0)
    await tx.execute({
      sql: `DELETE FROM signals WHERE workspace = ? AND subject_type = 'person' AND kind IN (SELECT value FROM json_each(?))
          AND subject_id IN (SELECT value FROM json_each(?))`,
      args: [workspace, JSON.stringify(ctx.wellbeingKinds), JSON.stringify([...plan.quiet])],
    });
  await recordDetectorRuns(tx, workspace, at, plan);
  return { at: now.toISOString(), open, opened, resolved, byKind, skipped: plan.skipped };
}

/**
 * The signals of the detectors that ran, open before this refresh (a fingerprint starts with its kind: a found one is
 * open before only among them), with what they say; handed over as one JSON text.
 */
async function openSignalsOf(tx: Transaction, workspace: string, ran: RefreshPlan['ran']): Promise<Map<string, OpenSignal>> {
  const { rows: openRows } = await tx.execute({
    sql: `SELECT json_group_array(json_array(fingerprint, severity, team_id, title, evidence)) AS packed FROM signals
        WHERE workspace = ? AND status = 'open' AND kind IN (SELECT value FROM json_each(?))`,
    args: [workspace, JSON.stringify(ran.map((r) => r.detector.kind))],
  });
  const openBefore = new Map<string, OpenSignal>();
  for (const open of JSON.parse(scalar(openRows, 'packed', text)) as OpenSignal[]) openBefore.set(open[0], open);
  return openBefore;
}

/**
 * Writes every found signal, in the detectors' order, as each detector and those before it finish. Opened = found and
 * not open before (new, or reopened): not "first seen now", since a refresh at the same injected instant as the one
 * that opened a signal must not count it again.
 */
async function writeFoundSignals(
  tx: Transaction,
  workspace: string,
  at: number,
  detecting: Detecting,
  openBefore: ReadonlyMap<string, OpenSignal>,
): Promise<{ rows: Map<string, SignalRow>; opened: number }> {
  const { running, finished } = detecting;
  const rows = new Map<string, SignalRow>();
  let opened = 0;
  for (let next = 0; next < running.length; ) {
    await running[next];
    // Only new, reopened and changed signals are written: one still open as it was keeps its row (its kind's
    // seen_at says it was seen now), so a refresh after a small write touches only what it changed.
    const changed: SignalRow[] = [];
    // The loop's condition has just checked that finished[next] is there.
    for (; next < running.length && finished[next] !== undefined; next++)
      for (const [fingerprint, row] of finished[next]!) {
        rows.set(fingerprint, row);
        const open = openBefore.get(fingerprint);
        if (open === undefined) opened++;
        if (open === undefined || !sameAsOpen(row, open)) changed.push(row);
      }
    await upsertSignals(tx, workspace, at, changed);
  }
  return { rows, opened };
}

/** Whether a found signal says what its open row already says. */
function sameAsOpen(row: SignalRow, open: OpenSignal): boolean {
  const [, , severity, , , team, title, evidence] = row;
  return open[1] === severity && open[2] === team && open[3] === title && open[4] === evidence;
}

/** Writes new, reopened and changed signals, one statement per batch; a reopened one starts over, unacknowledged. */
async function upsertSignals(tx: Transaction, workspace: string, at: number, changed: readonly SignalRow[]): Promise<void> {
  for (let start = 0; start < changed.length; start += WRITE_BATCH) {
    await tx.execute({
      sql: `INSERT INTO signals (workspace, fingerprint, kind, severity, subject_type, subject_id, team_id, title, evidence, status, first_seen_at, last_seen_at, resolved_at)
          SELECT ?, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]'),
            json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'), json_extract(j.value, '$[6]'), json_extract(j.value, '$[7]'), 'open', ?, ?, NULL
          FROM json_each(?) j WHERE true ORDER BY j.key
          ON CONFLICT (workspace, fingerprint) DO UPDATE SET severity = excluded.severity, team_id = excluded.team_id, title = excluded.title,
            evidence = excluded.evidence, last_seen_at = excluded.last_seen_at, resolved_at = NULL, status = 'open',
            first_seen_at = CASE WHEN signals.status = 'resolved' THEN excluded.first_seen_at ELSE signals.first_seen_at END,
            acked_by = CASE WHEN signals.status = 'resolved' THEN NULL ELSE signals.acked_by END,
            acked_at = CASE WHEN signals.status = 'resolved' THEN NULL ELSE signals.acked_at END,
            snoozed_until = CASE WHEN signals.status = 'resolved' THEN NULL ELSE signals.snoozed_until END,
            owner = CASE WHEN signals.status = 'resolved' THEN NULL ELSE signals.owner END`,
      args: [workspace, at, at, JSON.stringify(changed.slice(start, start + WRITE_BATCH))],
    });
  }
}

/**
 * Resolves what a detector that ran did not find this time: it no longer holds (by set, not by time: two refreshes at
 * the same injected instant must still resolve). Last seen: by the previous refresh of its kind.
 */
async function resolveSignals(tx: Transaction, workspace: string, at: number, gone: readonly string[]): Promise<number> {
  let resolved = 0;
  for (let start = 0; start < gone.length; start += WRITE_BATCH) {
    const { rowsAffected } = await tx.execute({
      sql: `UPDATE signals SET status = 'resolved', resolved_at = ?,
            last_seen_at = COALESCE((SELECT r.seen_at FROM signal_detector_runs r WHERE r.workspace = signals.workspace AND r.kind = signals.kind), last_seen_at)
          WHERE workspace = ? AND status = 'open' AND fingerprint IN (SELECT value FROM json_each(?))`,
      args: [at, workspace, JSON.stringify(gone.slice(start, start + WRITE_BATCH))],
    });
    resolved += rowsAffected;
  }
  return resolved;
}

/**
 * What a skipped detector found last time still holds: its open signals, counted into `byKind`. Returns how many
 * they are.
 */
async function countKeptSignals(
  tx: Transaction,
  workspace: string,
  skipped: readonly string[],
  byKind: Record<string, number>,
): Promise<number> {
  if (skipped.length === 0) return 0;
  const kept = await tx.execute({
    sql: `SELECT kind, count(*) AS n FROM signals WHERE workspace = ? AND status = 'open' AND kind IN (SELECT value FROM json_each(?)) GROUP BY kind`,
    args: [workspace, JSON.stringify(skipped)],
  });
  let open = 0;
  for (const row of kindCount.all(kept.rows)) {
    byKind[row.kind] = row.n;
    open += row.n;
  }
  return open;
}

/**
 * Every detector's run (inputs empty when it declares none: it always runs again) and when its open signals were
 * seen: now, whether it ran or was skipped.
 */
async function recordDetectorRuns(tx: Transaction, workspace: string, at: number, plan: RefreshPlan): Promise<void> {
  if (plan.ran.length > 0)
    await tx.execute({
      sql: `INSERT INTO signal_detector_runs (workspace, kind, inputs, ran_at, seen_at)
          SELECT ?, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), ?, ? FROM json_each(?) j WHERE true
          ON CONFLICT (workspace, kind) DO UPDATE SET inputs = excluded.inputs, ran_at = excluded.ran_at, seen_at = excluded.seen_at`,
      args: [workspace, at, at, JSON.stringify(plan.ran.map((r) => [r.detector.kind, r.inputs ?? '']))],
    });
  if (plan.skipped.length > 0)
    await tx.execute({
      sql: 'UPDATE signal_detector_runs SET seen_at = ? WHERE workspace = ? AND kind IN (SELECT value FROM json_each(?))',
      args: [at, workspace, JSON.stringify(plan.skipped)],
    });
}
