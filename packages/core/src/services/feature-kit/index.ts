// The feature kit: how a feature enters core. A feature is one folder under features/ and one definition made with
// `defineFeature`; core derives the facade (`ts.<name>`), the options it reads, the bundle's lists and the hooks it
// runs from the list of definitions (features/index.ts), so no other file of core names the feature.
import type { Logger } from '../../kernel/logger.js';
import type { Approval } from '../../kernel/model/derived.js';
import type { Store } from '../../kernel/store/open-store.js';
import type { Telemetry } from '../../kernel/telemetry/telemetry.js';
import type { BundleSection, FeatureDefinition, RecordHooks } from '../../records/feature.js';
import type { Reading } from '../../records/identity/viewer.js';
import type { Readers } from '../../records/readers.js';
import type { ActionType } from '../../spec/action-type.js';
import type { Connector } from '../../spec/connector.js';
import type { ResolvedMetricSettings } from '../../spec/metric-calculator.js';
import type { Actions, Approvals, Policy, PolicyDocument, ProposeAll } from '../approvals/index.js';
import type { Metrics } from '../metrics/index.js';

/**
 * What a feature's `api` and hooks are given: the store and clocks, the shared records' readers, the services, who is
 * reading, and the options teamstate was created with. `O` is the part of the options the feature reads and `T` the
 * part of the facade it calls (another feature's api), both declared by the feature itself; core checks at compile
 * time that its options and facade have them.
 */
export interface FeatureContext<O = unknown, T = unknown> {
  readonly store: Store;
  readonly workspace: string;
  /** The facade's clock: "now" for reads (an injected clock, `--now`). */
  readonly clock: () => Date;
  /** The write path's clock (the approvals' own when one was given). */
  readonly writeClock: () => Date;
  readonly log: Logger;
  readonly telemetry: Telemetry;
  readonly connectors: readonly Connector[];
  readonly readers: Readers;
  /** The options `createTeamState()` was given: the feature reads its own part. */
  readonly options: O;
  /** The compiled policy (`policy.document`: as written). */
  readonly policy: Policy;
  /** Proposes actions through the policy; every step lands on the audit ledger. */
  readonly actions: Actions;
  readonly approvals: Approvals;
  /** Proposes many actions in one transaction (a nudges pass). */
  readonly proposeAll: ProposeAll;
  /** The registered metrics. */
  readonly metrics: Metrics;
  /** The delivery settings every metric uses (production environments, rework labels). */
  readonly metricSettings: ResolvedMetricSettings;
  /** Who reads, under the reading rule: the database's owner, or a person under `ts.as(person)`. */
  readonly reading: Reading;
  /** The reading of someone else than the reader (whether a nudge's recipient may see a wellbeing signal). */
  readingOf(who: { person?: string; scopes?: readonly string[] }): Reading;
  /** The facade this api is part of (the reader's, under `ts.as`): call it when a method runs, never while building. */
  readonly facade: () => T;
}

/** The hooks of a feature: those records run ({@link RecordHooks}) and those the composition runs. */
export interface FeatureHooks<A = unknown, O = never, T = never> extends RecordHooks {
  /** Checks the feature's options (and the policy's parts it reads) before the database is opened; throws naming the option and the fix. */
  checkOptions?(options: O, policy: PolicyDocument): void;
  /** Runs as the database opens, once every api is built (what the options declare is stored). */
  onOpen?(context: FeatureContext<O, T>, api: A): Promise<void>;
  /** Action types the feature proposes through the policy (`risk.create`): part of the action catalogue. */
  actionTypes?(store: () => Store, options: O, policy: PolicyDocument): readonly ActionType[];
  /** What a reader may see of approvals that carry the feature's data (a risk's evidence, a nudge's signal). */
  approvalsFor?(context: FeatureContext<O, T>, approvals: Approval[]): Promise<Approval[]>;
  /** Stops what the api started (gauges, timers) when the facade closes. */
  close?(api: A): void;
}

/** A feature: its records-facing definition (bundle lists, hooks) and what it adds to the facade and the services. */
export interface Feature<
  N extends string = string,
  L extends BundleSection = BundleSection,
  A = unknown,
  O = never,
  T = never,
  Tb extends object = object,
> extends FeatureDefinition<N, L> {
  /** The tables it owns: its `schema.ts` (`import * as tables from './schema.js'`), exported as `tables` by `@teamstate/core/store`. */
  readonly tables?: Tb;
  /** Builds `ts.<name>`. */
  api?(context: FeatureContext<O, T>): A;
  /**
   * The api reads people's words or person-level facts: it is built again for each reader (`ts.as(person)`) with
   * that reader's `reading`.
   */
  readonly perReader?: boolean;
  /** What core runs of the feature: records' hooks (ingest, a person's erasure, retention, cleared records) and these. */
  readonly hooks?: FeatureHooks<A, O, T>;
}

/**
 * Defines a feature, the only way it enters core.
 * @example export const buildsFeature = defineFeature({ name: 'builds', bundle: { lists: [buildsSection] } })
 */
export function defineFeature<
  const N extends string,
  L extends BundleSection = never,
  A = undefined,
  O = never,
  T = never,
  Tb extends object = object,
>(feature: Feature<N, L, A, O, T, Tb>): Feature<N, L, A, O, T, Tb> {
  return feature;
}

// Types core derives from a union of features `F`. Each is combined per feature (a union would collapse into
// `unknown` as soon as one feature reads no options).
type ApiOf<F> = F extends Feature<string, BundleSection, infer A, infer _O, infer _T> ? A : never;
type OptionsOf<F> = F extends Feature<string, BundleSection, unknown, infer O, infer _T> ? ([O] extends [never] ? unknown : O) : never;
type NeedsOf<F> = F extends Feature<string, BundleSection, unknown, infer _O, infer T> ? ([T] extends [never] ? unknown : T) : never;
type TablesOf<F> = F extends { readonly tables?: infer Tb } ? (Tb extends object ? Tb : unknown) : unknown;
type PartOf<F, Part extends 'options' | 'needs' | 'tables'> = Part extends 'options'
  ? OptionsOf<F>
  : Part extends 'needs'
    ? NeedsOf<F>
    : TablesOf<F>;
type AllOf<F, Part extends 'options' | 'needs' | 'tables'> = (F extends unknown ? (part: PartOf<F, Part>) => void : never) extends (
  part: infer I,
) => void
  ? I
  : never;

/** The facade's part the features `F` add: `ts.<name>` for each feature with an api. */
export type FeatureApis<F extends Feature> = {
  readonly [D in F as ApiOf<D> extends undefined ? never : D['name']]: ApiOf<D>;
};

/** The options the features `F` read, together. */
export type FeatureOptions<F> = AllOf<F, 'options'>;

/** What the features `F` call of the facade, together. */
export type FeatureNeeds<F> = AllOf<F, 'needs'>;

/** The tables the features `F` own, together (by their export names in each `schema.ts`). */
export type FeatureTables<F> = AllOf<F, 'tables'>;
