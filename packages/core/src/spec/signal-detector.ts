import type { StoreReader } from './store-reader.js';

/** The working week durations such as "24 working hours" are counted in. */
export interface WorkingHours {
  /** Hour the day starts, 0–23 (default 9). */
  start: number;
  /** Hour the day ends, 1–24 (default 17). */
  end: number;
  /** Working days, 0 = Sunday … 6 = Saturday (default Monday to Friday). */
  days: readonly number[];
  /** IANA time zone the hours are in (default `UTC`). */
  timeZone: string;
}

/** Severity of a signal, least severe first. */
export type SignalSeverity = 'info' | 'warning' | 'critical';

/** What a signal is about. */
export interface SignalSubject {
  type: 'work_item' | 'person' | 'team' | 'sprint' | 'deployment' | 'incident' | 'repository' | 'risk' | 'policy' | 'workspace';
  id: string;
}

/** One fact a detector found. The fingerprint is `kind:subject.type:subject.id[:key]`, stable across runs. */
export interface DetectedSignal {
  /** Tells apart several signals of one kind about one subject. */
  key?: string;
  severity: SignalSeverity;
  subject: SignalSubject;
  team?: string;
  /** One sentence a manager would write: "acme/api#42 has waited 3 days for review". */
  title: string;
  /** The facts and numbers behind it. */
  evidence: Record<string, unknown>;
}

/** What a detector gets: the workspace, the injected now, and its thresholds for a team. */
export interface SignalContext {
  readonly workspace: string;
  readonly now: Date;
  /** The detector's settings for a team: its defaults, overridden by `signals.thresholds`, then by the team's. */
  settings(team?: string): Readonly<Record<string, number | string | readonly string[]>>;
  /** The working week, for durations that count working time. */
  readonly workingHours: WorkingHours;
}

/**
 * A signal detector: a plain object that finds facts worth surfacing in the store (SQL in the store,
 * small candidate sets in JavaScript). Register with `createTeamState({ signals: [...builtinSignals, mine] })`.
 *
 * @example
 * const longIncidents: SignalDetector = {
 *   specificationVersion: 'v1', kind: 'incident.long', title: 'Long incident', description: 'Open for more than `hours` hours.',
 *   defaults: { hours: 8 },
 *   async detect(db, ctx) { … return [{ severity: 'critical', subject: { type: 'incident', id }, title, evidence }] },
 * }
 */
export interface SignalDetector {
  /** The contract version; a calculator or detector that leaves it out is taken as `'v1'`. */
  readonly specificationVersion?: 'v1';
  /** Dotted kind, e.g. `pr.awaiting_review`. */
  readonly kind: string;
  readonly title: string;
  /** The exact condition, with its thresholds. */
  readonly description: string;
  /**
   * A wellbeing signal about one person (`subject.type` `person`): a prompt for a conversation, never a score. Its
   * signals are dropped for people who opted out of `wellbeing`, and `ts.signals.list({ viewer })` shows them per the
   * policy's `privacy.wellbeing`; everyone else gets counts per team and kind (`ts.signals.wellbeing()`).
   */
  readonly wellbeing?: boolean;
  /** Default thresholds, overridable per workspace and per team. */
  readonly defaults?: Readonly<Record<string, number | string | readonly string[]>>;
  /**
   * Optional: what the result depends on, so that a refresh can skip the detector when none of it changed (its result
   * must then be a function of those inputs alone). Leave it out and the detector runs on every refresh.
   */
  readonly incremental?: SignalIncremental;
  /** Finds the signals over read-only access to the store (queries with the `sql` tag; no writes). */
  detect(db: StoreReader, ctx: SignalContext): Promise<DetectedSignal[]>;
}

/** A table of the store whose changes a detector's result depends on (each has a change counter). */
export type SignalSource =
  | 'teams'
  | 'people'
  | 'memberships'
  | 'repositories'
  | 'work_items'
  | 'work_item_assignees'
  | 'reviews'
  | 'transitions'
  | 'sprints'
  | 'sprint_committed_items'
  | 'deployments'
  | 'incidents'
  | 'reports'
  | 'risks'
  | 'builds';

/**
 * What a detector's result depends on, so that an incremental `ts.signals.refresh()` runs it only when one of those
 * inputs changed since its last run, and otherwise keeps its open signals as they are. A detector without it runs on
 * every refresh (as a full refresh does for every detector).
 */
export interface SignalIncremental {
  /** Every table `detect` reads. A table left out that changes would leave its signals stale: list them all. */
  readonly reads: readonly SignalSource[];
  /**
   * `data`: the result depends only on the rows of `reads`, the settings and the working hours (e.g. a PR's size).
   * `time`: also on `now` (ages, waits, due dates, windows such as "the last 14 days", titles that say "3 days ago"):
   * it runs again whenever the refresh's now differs from its last run's.
   */
  readonly drivenBy: 'data' | 'time';
}

/** Signal thresholds: `thresholds[kind]` for everyone, `teams[team][kind]` for one team. */
export interface SignalSettings {
  thresholds?: Record<string, Record<string, number | string | readonly string[]>>;
  teams?: Record<string, Record<string, Record<string, number | string | readonly string[]>>>;
  workingHours?: Partial<WorkingHours>;
}
