import type { Store } from '../../kernel/store/open-store.js';
import { type Reading, readingRules } from '../../records/identity/viewer.js';
import type { PolicyDocument } from '../../services/approvals/index.js';
import { parseWindowBound } from '../../services/metrics/index.js';
import { optedOut } from '../../services/privacy/index.js';
import type { SignalDetector, SignalSettings } from '../../spec/signal-detector.js';
import {
  countWellbeing,
  type DetectorInfo,
  getSignal,
  listDetectors,
  listSignals,
  type SignalQuery,
  type StoredSignal,
  type WellbeingCount,
} from './read-signals.js';
import { type RefreshOptions, type RefreshResult, refreshSignals } from './refresh-signals.js';
import { createSignalsContext } from './signals-context.js';
import { ackSignal, type SignalAck, type SignalSnooze, type SignalUnack, snoozeSignal, unackSignal } from './triage-signals.js';

export type { SignalQuery, StoredSignal, WellbeingCount } from './read-signals.js';
export type { RefreshOptions, RefreshResult } from './refresh-signals.js';
export type { SignalAck, SignalSnooze, SignalUnack } from './triage-signals.js';

/** `ts.signals`. */
export interface Signals {
  /** The registered detectors: kind, title, description, default thresholds. */
  detectors(): DetectorInfo[];
  /**
   * Runs the detectors at the clock's now and stores the result in one transaction: new signals open, those still
   * holding are updated (first seen kept), those no longer holding are resolved. Incremental by default: a detector
   * that declares `incremental` and none of whose inputs (the tables it reads, its settings, the working hours, the
   * now of a time-driven one) changed since its last run is not run again; its open signals stay as they are (seen
   * again now). The result is the same as a full refresh's; `{ full: true }` runs every detector, `{ maxAgeMs }`
   * lets a time-driven one's last run stand for that long.
   */
  refresh(options?: RefreshOptions): Promise<RefreshResult>;
  /** Stored signals, most severe and oldest first. */
  list(query?: SignalQuery): Promise<StoredSignal[]>;
  /**
   * One stored signal by its id (its fingerprint, as `list()` shows it), or `undefined`: also when it is a
   * person-level wellbeing signal the viewer may not read (the same rule as `list()`; `viewer` as there).
   */
  get(id: string, options?: { viewer?: string | null }): Promise<StoredSignal | undefined>;
  /**
   * Acknowledges an open signal as `by` (a person id), who becomes its owner unless `owner` names someone else:
   * working agreements send no more nudges about it (docs/hub.md#working-agreements-and-nudges). Acknowledging it
   * again records the latest. A signal that resolves and opens again starts unacknowledged.
   * @example await ts.signals.ack('pr.awaiting_review:work_item:github:acme/api#7', { by: 'ana' })
   */
  ack(id: string, input: SignalAck): Promise<StoredSignal>;
  /**
   * Snoozes an open signal: no nudges about it until `until` (or for `for`: `2d`, `4h`), then they start again
   * where they were. `by` becomes its owner when it has none.
   * @example await ts.signals.snooze('pr.awaiting_review:work_item:github:acme/api#7', { by: 'ana', for: '2d' })
   */
  snooze(id: string, input: SignalSnooze): Promise<StoredSignal>;
  /**
   * Takes back an acknowledgement and a snooze: working agreements nudge about the signal again (the owner stays).
   * Ack, snooze and unack are allowed to the signal's addressees, the members of its team and its leads; a person's
   * wellbeing signal only to whoever may read it, and to anyone else it is "not found" like a wrong id. Each is an
   * audit ledger entry (`signal.ack`, `signal.snooze`, `signal.unack`).
   * @example await ts.signals.unack('pr.awaiting_review:work_item:github:acme/api#7', { by: 'ana' })
   */
  unack(id: string, input: SignalUnack): Promise<StoredSignal>;
  /**
   * Open wellbeing signals counted per team and kind, without names: what anyone may see, whoever they are
   * (docs/signals.md#wellbeing-signals). Optionally of one team.
   * @example const counts = await ts.signals.wellbeing({ team: 'payments' }) // [{ team: 'payments', kind: 'person.after_hours', count: 2 }]
   */
  wellbeing(query?: { team?: string }): Promise<WellbeingCount[]>;
}

/** Builds `ts.signals`: refresh (detect, upsert, resolve what no longer holds) and list. */
export function createSignalsApi(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  /** The write path's clock (audit entries). */
  writeClock?: () => Date;
  detectors: readonly SignalDetector[];
  settings?: SignalSettings;
  /** The policy document: `privacy.wellbeing` and the approvers decide who sees wellbeing signals. */
  policy?: PolicyDocument;
  /** Who reads: person-level wellbeing signals only of the people the viewer may read. */
  reading?: Reading;
}): Signals {
  const ctx = createSignalsContext(deps, {
    rules: readingRules(deps.policy ?? {}),
    optedOutOfWellbeing: () => optedOut(deps.store, deps.workspace, 'wellbeing'),
    parseUntil: parseWindowBound,
  });
  return {
    detectors: () => listDetectors(ctx),
    refresh: (options) => refreshSignals(ctx, options),
    list: (query) => listSignals(ctx, query),
    get: (id, options) => getSignal(ctx, id, options),
    ack: (id, input) => ackSignal(ctx, id, input),
    snooze: (id, input) => snoozeSignal(ctx, id, input),
    unack: (id, input) => unackSignal(ctx, id, input),
    wellbeing: (query) => countWellbeing(ctx, query),
  };
}
