import type { z } from 'zod';
import { TeamStateError, type ValidationIssue } from '../kernel/errors.js';
import type { AiAssessment, AiDetectionInput } from '../kernel/model/ai.js';
import type { RecordsBundle } from '../kernel/model/bundle.js';
import type { WorkItem } from '../kernel/model/work-item.js';
import type { InValue, ResultSet, Transaction } from '../kernel/store/driver.js';
import type { MigrationPart } from '../kernel/store/migrate.js';
import type { LinksReplaced } from '../spec/records.js';
import type { RecordKind } from './store/existing-ids.js';

// A feature (features/<name>/) owns its tables. Where records or another feature must act on them (records arrive, a
// bundle is written or read, a person is exported or erased, retention runs), the feature registers a hook in its
// definition, and the caller runs the hooks of every feature in the list instead of reaching into their tables.

/** A bundle document: the shared records' lists and the lists `S` (the features' sections) add beside them. */
export type BundleDocument<S extends BundleSection = never> = RecordsBundle & { [L in S as L['list']]: ListItem<L['element']>[] };

/** The shared records of a bundle with the features' lists beside them, `lists[i]` being `sections[i]`'s elements. */
export function withLists<S extends BundleSection>(
  records: RecordsBundle,
  sections: readonly S[],
  lists: readonly unknown[][],
): BundleDocument<S> {
  // The lists are what each section read or kept, so each holds its section's elements.
  return { ...records, ...Object.fromEntries(sections.map((section, i) => [section.list, lists[i] ?? []])) } as BundleDocument<S>;
}

/** One element of a bundle list, as its schema validates it. */
export type ListItem<S extends z.ZodType> = z.output<S>;

/** A record another one names, for the bundle's reference check (`path` is relative to the element). */
export interface BundleReference {
  kind: RecordKind;
  id: string | undefined;
  path: string;
}

/** Runs one statement: a transaction's, the store's or a reader's. */
export type ExecuteStatement = (sql: string, args: InValue[]) => Promise<Pick<ResultSet, 'rows'>>;

/** What a bundle section's checks are given besides the elements. */
export interface SectionCheck {
  tx: Transaction;
  workspace: string;
  /** Each element's JSON path (`reports[3]`). */
  at: readonly string[];
  /** Each element's index in its list. */
  indexes: readonly number[];
  /** Remembers keys across the chunks of one ingest: returns, for each key met before, the index it was first met at. */
  claim(key: string, values: readonly string[], indexes: readonly number[]): Promise<Map<number, number>>;
}

/** A bundle list a feature owns: its name, the schema of one element, and how its elements are checked, written and read back. */
export interface BundleSection<L extends string = string, S extends z.ZodType = z.ZodType> {
  /** Its name in the bundle (`reports`). */
  readonly list: L;
  /** One element, as the bundle format documents it and an ingest validates it. */
  readonly element: S;
  /** The tables the list is written to, in the order they are filled. */
  readonly tables: readonly string[];
  /** The records an element names (people, teams, work items, repositories), checked like the shared records'. */
  references(item: ListItem<S>): BundleReference[];
  /** Checks within the bundle beyond the element's schema (one report per person and day), before references. */
  checkWithin?(items: readonly ListItem<S>[], context: SectionCheck): Promise<ValidationIssue[]>;
  /** Checks against the store (a report's id against its stored day), after references. */
  checkStored?(items: readonly ListItem<S>[], context: SectionCheck): Promise<ValidationIssue[]>;
  /** Writes valid elements in the ingest transaction; returns the rows changed. */
  write(tx: Transaction, workspace: string, items: readonly ListItem<S>[], now: number): Promise<number>;
  /** Reads the list back for an export: the whole workspace's, or one person's (`ts.people.export`). */
  read(execute: ExecuteStatement, workspace: string, person?: string): Promise<ListItem<S>[]>;
}

/** What records run as records arrive (bundle import, sync, webhooks), before they are written. */
export interface IngestHooks {
  /** Assesses a pull request's AI evidence from what a connector saw upstream (`ctx.detectAi`). */
  detectAi(input: AiDetectionInput): AiAssessment;
  /** Settles a validated chunk of work items against the store before it is written (their `ai`, kept paths). */
  workItems(tx: Transaction, workspace: string, items: readonly WorkItem[]): Promise<WorkItem[]>;
}

/** A person being erased: what a feature's {@link PersonHooks.erase} is given. */
export interface PersonErasure {
  workspace: string;
  /** The person's id, still in `people` while the hooks run. */
  person: string;
  /** Their name before the erasure (signals may name them), when they had one. */
  name?: string;
  /** The id their activity is kept under from now on. */
  pseudonym: string;
  /** Every string that named them: their id, email, and their accounts' logins and ids. */
  identifiers: readonly string[];
  now: number;
}

/** What a feature does with a person's data. */
export interface PersonHooks {
  /**
   * Removes what the feature holds about the person inside the erase transaction; returns rows removed by name, which
   * `ts.people.erase()` reports (names the result does not list are counted on the audit entry only).
   */
  erase(tx: Transaction, erasure: PersonErasure): Promise<Record<string, number>>;
}

/** An archived row's key and version, to check that exactly the archived rows are deleted. */
export interface ArchivedKey {
  /** The count it belongs to (`reports`, `reportRevisions`). */
  count: string;
  a: string;
  b: number;
}

/** Rows a restore wrote back and left out (already there), by count name. */
export interface RestoredCounts {
  restored: Record<string, number>;
  skipped: Record<string, number>;
}

/**
 * One kind of expired row that retention archives, deletes and can restore, registered by the folder that owns its
 * table: each statement on that table stays in its folder.
 */
export interface RetentionPart {
  /** Its name in the manifest (`reports`, `webhookDeliveries`, `resolvedSignals`). */
  readonly name: string;
  /** The archive's data file (`reports.jsonl.gz`). */
  readonly file: string;
  /** The line field the manifest's time range is over (`day`, `receivedAt`, `resolvedAt`). */
  readonly timeField: string;
  /** Its counts: its own name first, then the rows its lines carry (`reportRevisions`). */
  readonly counts: readonly string[];
  /** What one archived line holds, checked before a restore writes anything. */
  readonly lineSchema: z.ZodType;
  /** The cutoff for rows older than `beforeMs`: as its queries take it and as the manifest shows it. */
  cutoff(beforeMs: number): { value: string | number; shown: string };
  /** How many rows of each count expired. */
  count(execute: ExecuteStatement, workspace: string, cutoff: string | number): Promise<Record<string, number>>;
  /** The expired rows as archive lines, page by page, each with its time and the keys of the rows it holds. */
  expired(
    execute: ExecuteStatement,
    workspace: string,
    cutoff: string | number,
  ): AsyncIterable<{ line: object; at: string; keys: ArchivedKey[] }>;
  /** Deletes the expired rows in the retention transaction; returns the keys deleted. */
  delete(tx: Transaction, workspace: string, cutoff: string | number): Promise<ArchivedKey[]>;
  /** Writes one checked line back, unless its rows are there already; returns rows restored and skipped by count. */
  restore(tx: Transaction, workspace: string, line: unknown): Promise<RestoredCounts>;
}

/** The hooks of a feature that records run, and the services that run every feature's (privacy, retention). */
export interface RecordHooks {
  /** Runs as records arrive (one feature provides it: AI detection). */
  readonly onIngest?: IngestHooks;
  /** Export and erasure of a person's data. */
  readonly person?: PersonHooks;
  /** What retention archives and deletes of the feature's tables. */
  readonly retention?: readonly RetentionPart[];
  /** Runs when a workspace's shared records are cleared (`clearRecords`): data derived from them goes too. */
  readonly onRecordsCleared?: (tx: Transaction, workspace: string) => Promise<void>;
  /**
   * Runs in a sync batch's transaction before its records are written, when the connector re-read `items` in full:
   * their links of `kinds` on `sides` go, so those the source no longer reports do not stay.
   */
  readonly onLinksReplaced?: (tx: Transaction, workspace: string, replaced: LinksReplaced) => Promise<void>;
}

/**
 * A feature as records see it: its name, its bundle lists and the hooks records run (`defineFeature` in
 * services/feature-kit adds what it gives the facade).
 */
export interface FeatureDefinition<N extends string = string, L extends BundleSection = BundleSection> {
  /** Its name (`reports`, `ai`). */
  readonly name: N;
  /** The bundle lists the feature owns (their names and element schemas become part of `teamstate.bundle/v1`). */
  readonly bundle?: { readonly lists: readonly L[] };
  /** Its part of each migration, from its own `migrations/` folder (the generated `migrations/index.ts`). */
  readonly migrations?: readonly MigrationPart[];
  /** Tables with a workspace's records besides those of its bundle lists (part of `RECORD_TABLES`). */
  readonly recordTables?: readonly string[];
  /** What records (and the privacy and retention services) run of the feature. */
  readonly hooks?: RecordHooks;
}

/** The bundle lists of the features `F` (a union of definitions). */
export type ListsOf<F> = F extends FeatureDefinition<string, infer L> ? L : never;

/** The ingest hooks of a list of features: the one that registers `onIngest`, or none (records pass as they are). */
export function ingestHooks(features: readonly FeatureDefinition[]): IngestHooks {
  const hooks = features.flatMap((feature) => (feature.hooks?.onIngest ? [feature.hooks.onIngest] : []));
  if (hooks.length > 1)
    throw new TeamStateError(
      'invalid_config',
      `features: ${features.flatMap((f) => (f.hooks?.onIngest ? [f.name] : [])).join(', ')} each register onIngest; keep one`,
    );
  return (
    hooks[0] ?? { detectAi: () => ({ assisted: null, tools: [], evidence: [] }), workItems: async (_tx, _workspace, items) => [...items] }
  );
}

/** The bundle lists of a list of features, in feature order. */
export const bundleSections = <F extends FeatureDefinition>(features: readonly F[]): ListsOf<F>[] =>
  features.flatMap((feature) => (feature.bundle?.lists ?? []) as readonly ListsOf<F>[]);
