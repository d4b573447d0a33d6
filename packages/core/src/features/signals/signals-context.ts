import { unknownId } from '../../kernel/errors.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import { sql } from '../../kernel/store/sql.js';
import { createStoreReader, type StoreReader } from '../../kernel/store/store-reader.js';
import type { Reading, ReadingRules } from '../../records/identity/viewer.js';
import { DEFAULT_WORKING_HOURS, type WorkingHours } from '../../services/working-hours/index.js';
import type { SignalDetector, SignalSettings } from '../../spec/signal-detector.js';
import { validateDetectors } from '../../spec/validate-specs.js';

/** What `ts.signals` is built from, but the policy (read as its reading rules). */
export interface SignalsSource {
  store: Store;
  workspace: string;
  clock: () => Date;
  /** The write path's clock: audit entries of acks and snoozes are stamped with it. */
  writeClock?: () => Date;
  detectors: readonly SignalDetector[];
  settings?: SignalSettings;
  /** Who reads: person-level wellbeing signals only of the people the viewer may read. */
  reading?: Reading;
}

/** What the signals read through other features, handed in by `createSignalsApi`. */
export interface SignalsServices {
  /** The policy's `privacy.wellbeing` and approvers: who sees wellbeing signals. */
  rules: ReadingRules;
  /** The people who opted out of wellbeing signals (or were erased). */
  optedOutOfWellbeing(): Promise<Set<string>>;
  /** A snooze's `until`: an ISO timestamp or a day, as milliseconds; `undefined` when it is neither. */
  parseUntil(value: string): number | undefined;
}

/** What every `ts.signals` function reads, worked out once when the API is built. */
export interface SignalsContext extends SignalsServices {
  store: Store;
  workspace: string;
  clock: () => Date;
  /** The write path's clock: audit entries of acks and snoozes are stamped with it. */
  writeClock: () => Date;
  detectors: readonly SignalDetector[];
  settings?: SignalSettings;
  /** The facade's viewer, when it has one. */
  reading?: Reading;
  /** The kinds of the detectors whose signals follow `privacy.wellbeing`. */
  wellbeingKinds: string[];
  /** Every registered detector's kind. */
  kinds: string[];
  workingHours: WorkingHours;
  /** Read-only access for the API's own reads. */
  db: StoreReader;
  /** Read-only access for the detectors: on a local file their statements go to connections of their own. */
  detectorDb: StoreReader;
}

const teamId = columns({ id: text });

/** The shared part of `ts.signals`; refuses detectors that do not meet their contract. */
export function createSignalsContext(deps: SignalsSource, services: SignalsServices): SignalsContext {
  const { store, workspace, detectors } = deps;
  // Read-only access, no write(), no raw client. Detectors read side by side: on a local file their statements go to
  // connections of their own, one per core.
  const db = createStoreReader(store, workspace);
  const detectorDb = createStoreReader({ execute: (text, args) => store.readAside(text, args) }, workspace);
  validateDetectors(detectors);
  return {
    store,
    workspace,
    clock: deps.clock,
    writeClock: deps.writeClock ?? deps.clock,
    detectors,
    settings: deps.settings,
    reading: deps.reading,
    ...services,
    wellbeingKinds: detectors.filter((detector) => detector.wellbeing).map((detector) => detector.kind),
    kinds: detectors.map((detector) => detector.kind),
    workingHours: { ...DEFAULT_WORKING_HOURS, ...deps.settings?.workingHours },
    db,
    detectorDb,
  };
}

/** A detector's settings for a team: its defaults, then the workspace's thresholds, then the team's. */
export const settingsFor = (ctx: SignalsContext, detector: SignalDetector) => (team?: string) => ({
  ...detector.defaults,
  ...ctx.settings?.thresholds?.[detector.kind],
  ...(team ? ctx.settings?.teams?.[team]?.[detector.kind] : undefined),
});

/** Refuses a team nobody has: an unknown team is a mistake to report, never an empty answer that reads as all clear. */
export async function assertKnownTeam(ctx: SignalsContext, team: string): Promise<void> {
  const teams = (await ctx.db.all(teamId, sql`SELECT id FROM teams WHERE workspace = ${ctx.workspace} ORDER BY id`)).map((t) => t.id);
  if (!teams.includes(team)) throw unknownId('team', team, teams);
}
