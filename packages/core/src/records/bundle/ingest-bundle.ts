import { ValidationError, type ValidationIssue } from '../../kernel/errors.js';
import type { WorkItem } from '../../kernel/model/work-item.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import type { Transaction } from '../../kernel/store/driver.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import { type BundleSection, type FeatureDefinition, ingestHooks } from '../feature.js';
import { hasErasures, withoutErased } from '../identity/erasures.js';
import { DEFERRABLE_DERIVED, DEFERRABLE_INDEXES, dropDerivedTriggers, dropIndexes, emptyDeferrableTables } from '../store/bulk-indexes.js';
import { existingIds, type RecordKind as RefKind, TABLE_OF_KIND, txExecute } from '../store/existing-ids.js';
import { bundleShape, type ListName } from './bundle-shape.js';
import { assertBundleObject } from './validate-bundle.js';
import { type BundleLists, type RecordCounts, writeBundle } from './write-bundle.js';

const KIND_OF_LIST: Partial<Record<ListName, RefKind>> = {
  teams: 'team',
  people: 'person',
  repositories: 'repository',
  workItems: 'work item',
  sprints: 'sprint',
  deployments: 'deployment',
};
const LIST_OF: Record<RefKind, ListName> = {
  team: 'teams',
  person: 'people',
  repository: 'repositories',
  'work item': 'workItems',
  sprint: 'sprints',
  deployment: 'deployments',
};

/** Elements validated and written per step: bounds memory for bundles of any size. */
export const CHUNK = 1_000;
/** Stop collecting problems after this many (the message shows the first 20). */
const MAX_ISSUES = 1_000;

interface Reference {
  kind: RefKind;
  id: string;
  path: string;
}

function sectionReferences(section: BundleSection, item: unknown, at: string): Reference[] {
  return section
    .references(item as never)
    .flatMap((ref) => (ref.id === undefined ? [] : [{ kind: ref.kind, id: ref.id, path: `${at}.${ref.path}` }]));
}

// biome-ignore lint/suspicious/noExplicitAny: elements are validated before this runs; the switch narrows by list
function referencesOf(list: ListName, item: any, at: string): Reference[] {
  const refs: Reference[] = [];
  const ref = (kind: RefKind, id: string | undefined, path: string) => id !== undefined && refs.push({ kind, id, path: `${at}.${path}` });
  switch (list) {
    case 'teams':
      item.members?.forEach((person: string, j: number) => ref('person', person, `members[${j}]`));
      item.leads?.forEach((person: string, j: number) => ref('person', person, `leads[${j}]`));
      break;
    case 'people':
      item.teams?.forEach((team: string, j: number) => ref('team', team, `teams[${j}]`));
      break;
    case 'repositories':
      ref('team', item.team, 'team');
      break;
    case 'workItems':
      ref('team', item.team, 'team');
      ref('repository', item.repository, 'repository');
      ref('person', item.author, 'author');
      ref('sprint', item.sprint, 'sprint');
      item.assignees?.forEach((person: string, j: number) => ref('person', person, `assignees[${j}]`));
      item.reviews?.forEach((review: { reviewer: string }, j: number) => ref('person', review.reviewer, `reviews[${j}].reviewer`));
      item.requestedReviewers?.forEach((person: string, j: number) => ref('person', person, `requestedReviewers[${j}]`));
      break;
    case 'sprints':
      ref('team', item.team, 'team');
      item.committedItems?.forEach((id: string, j: number) => ref('work item', id, `committedItems[${j}]`));
      break;
    case 'deployments':
      ref('repository', item.repository, 'repository');
      item.pullRequests?.forEach((id: string, j: number) => ref('work item', id, `pullRequests[${j}]`));
      break;
    case 'incidents':
      ref('repository', item.repository, 'repository');
      ref('deployment', item.deployment, 'deployment');
      ref('team', item.team, 'team');
      break;
  }
  return refs;
}

/** How an ingest treats what it writes. */
export interface IngestOptions {
  /**
   * The features whose hooks run as records arrive: their bundle lists (a list no feature owns is refused) and
   * `onIngest` (each pull request's `ai` is settled before it is written).
   */
  features?: readonly FeatureDefinition[];
  /**
   * A large write into empty tables builds their read-side indexes after its rows (`DEFERRABLE_INDEXES`). Imports into
   * a local file ask for it: SQLite refuses to drop an index while the connection has an unfinished statement, which a
   * `:memory:` store's one connection may still hold.
   */
  deferIndexes?: boolean;
  /** Told the tables whose read-side indexes a deferring ingest builds after its rows (those empty at its first full chunk). */
  onBulkLoad?: (tables: readonly string[]) => void;
}

/** What an ingest wrote. */
export interface IngestResult {
  records: RecordCounts;
  changes: number;
}

/**
 * Validates a bundle (or a connector's batch) and writes it inside the open transaction, in chunks so
 * memory stays bounded: shape first, then each chunk's ids (duplicates), schema and references
 * (resolved within the bundle or the workspace). Every problem is collected with its JSON path; if
 * there is any, nothing is written past the first problem and the caller's transaction must roll back,
 * which throwing ensures. `now` stamps reports that carry no `createdAt`. People erased from the workspace are kept
 * out (see `withoutErased`). Every pull request's `ai` is settled before it is written (`assessPullRequests`).
 * @throws ValidationError with code `invalid_bundle`
 */
export async function ingestBundle(
  tx: Transaction,
  workspace: string,
  given: unknown,
  now: number,
  options: IngestOptions = {},
): Promise<IngestResult> {
  assertBundleObject(given);
  // An erased person's identity and reports never come back; their activity maps to their pseudonym.
  const input = await withoutErased(tx, workspace, given);
  const shape = bundleShape(options.features);
  const shell = shape.shell.safeParse(input, { reportInput: true });
  if (!shell.success) throw new ValidationError('invalid_bundle', 'The bundle', describeZodIssues(shape.schema, shell.error.issues));
  // In memory, every id is known up front: duplicates are named first, a reference to a later record resolves at once.
  const seen = memorySeenIds();
  const ingest = await startIngest(tx, workspace, now, { ...options, seen, erasures: 'given', prepared: true });
  for (const list of shape.lists) {
    const withId = ((input[list] as unknown[] | undefined) ?? []).flatMap((item, index) => {
      const id = (item as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? [[id, index] as const] : [];
    });
    const again = await seen.claim(
      list,
      withId.map(([id]) => id),
      withId.map(([, index]) => index),
    );
    for (const [id, index] of withId) {
      const earlier = again.get(index);
      if (earlier !== undefined)
        ingest.problem({ path: `${list}[${index}].id`, message: `duplicate id "${id}" (first used at ${list}[${earlier}])` });
    }
  }
  for (const list of shape.lists) {
    const items = (input[list] as unknown[] | undefined) ?? [];
    for (let start = 0; start < items.length && !ingest.full(); start += CHUNK)
      await ingest.add(list, items.slice(start, start + CHUNK), start);
  }
  return ingest.finish();
}

/** Where an ingest remembers the ids (and report days) it has met, to name a duplicate's first use. */
export interface SeenIds {
  /** Records `ids` (at `indexes` of `list`) and returns, for each one met before, its first index. */
  claim(list: string, ids: readonly string[], indexes: readonly number[]): Promise<Map<number, number>>;
  /** Which of `ids` were claimed in `list`. */
  known(list: string, ids: readonly string[]): Promise<Set<string>>;
}

/** Remembers ids in memory (for a bundle that is in memory anyway). */
export function memorySeenIds(): SeenIds {
  const seen = new Map<string, Map<string, number>>();
  return {
    async claim(list, ids, indexes) {
      const first = seen.get(list) ?? new Map<string, number>();
      seen.set(list, first);
      const duplicates = new Map<number, number>();
      ids.forEach((id, i) => {
        const earlier = first.get(id);
        if (earlier !== undefined) duplicates.set(indexes[i]!, earlier);
        else first.set(id, indexes[i]!);
      });
      return duplicates;
    },
    async known(list, ids) {
      const first = seen.get(list);
      return new Set(ids.filter((id) => first?.has(id)));
    },
  };
}

/** A duplicate's index in its chunk and the index of its first occurrence. */
const claimedRows = columns({ idx: integer, at: integer });
const knownRows = columns({ id: text });

/**
 * Remembers ids in a table of the transaction: memory stays flat however large the bundle (a streamed import of
 * millions of records). On a local database it is a temporary table of the connection, in a temporary file (no
 * WAL traffic, and no memory: the transaction has its own connection, so the setting ends with it); a libSQL
 * server, which refuses temporary tables, gets an ordinary table that `drop` removes before the commit (a rollback
 * removes it too), so no other connection ever sees it.
 */
export async function sqlSeenIds(tx: Transaction, temporary: boolean): Promise<SeenIds & { drop(): Promise<void> }> {
  const table = temporary ? 'temp.teamstate_import_ids' : 'teamstate_import_ids';
  // libSQL keeps temporary tables in memory by default; on disk, behind a small page cache, they stay out of the RSS.
  if (temporary) await tx.execute('PRAGMA temp_store = FILE');
  await tx.execute(
    `CREATE ${temporary ? 'TEMP ' : ''}TABLE IF NOT EXISTS teamstate_import_ids (list TEXT NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (list, id)) WITHOUT ROWID`,
  );
  await tx.execute(`DELETE FROM ${table}`);
  return {
    async claim(list, ids, indexes) {
      // Duplicates within the chunk first, then against earlier chunks.
      const duplicates = await memorySeenIds().claim(list, ids, indexes);
      const fresh = ids.map((id, i) => [id, indexes[i]!] as const).filter(([, index]) => !duplicates.has(index));
      const { rows } = await tx.execute({
        // CROSS JOIN keeps json_each outside: one primary-key lookup per id, not a scan of the table per id.
        sql: `SELECT s.at, j.value ->> '$[1]' AS idx FROM json_each(?2) j
              CROSS JOIN ${table} s ON s.list = ?1 AND s.id = j.value ->> '$[0]'`,
        args: [list, JSON.stringify(fresh)],
      });
      for (const row of claimedRows.all(rows)) duplicates.set(row.idx, row.at);
      await tx.execute({
        sql: `INSERT INTO ${table} (list, id, at) SELECT ?1, value ->> '$[0]', value ->> '$[1]' FROM json_each(?2) WHERE true
              ON CONFLICT DO NOTHING`,
        args: [list, JSON.stringify(fresh)],
      });
      return duplicates;
    },
    async known(list, ids) {
      const { rows } = await tx.execute({
        sql: `SELECT id FROM ${table} WHERE list = ? AND id IN (SELECT value FROM json_each(?))`,
        args: [list, JSON.stringify(ids)],
      });
      return new Set(knownRows.all(rows).map((row) => row.id));
    },
    async drop() {
      await tx.execute(`DROP TABLE IF EXISTS ${table}`);
    },
  };
}

/** An ingest in progress: chunks of a bundle's lists, in any order, then {@link BundleIngest.finish}. */
export interface BundleIngest {
  /** Validates and (while the bundle has no problem) writes `items`, the elements of `list` from index `first`. */
  add(list: ListName, items: readonly unknown[], first: number): Promise<void>;
  /** Whether enough problems are collected to stop reading. */
  full(): boolean;
  /** Records a problem found outside the lists (the document's shape). */
  problem(issue: ValidationIssue): void;
  /** Resolves the references left for later, and throws every problem found; otherwise returns what was written. */
  finish(): Promise<IngestResult>;
}

/** How {@link startIngest} remembers ids and treats erased people. */
export interface StartIngestOptions extends IngestOptions {
  seen: SeenIds;
  /** `given`: the caller already kept erased people out of the whole bundle; `chunks`: each chunk is checked. */
  erasures: 'given' | 'chunks';
  /** The caller claimed every id of the bundle in `seen` already (an in-memory bundle): references resolve at once. */
  prepared?: boolean;
}

/**
 * Starts an incremental ingest inside the open transaction. References that neither the chunk nor the store (which
 * holds the chunks already written) resolve are kept and resolved at `finish`, so a bundle may name records it
 * defines later (a missing one is named at its first place); ordering work items before sprints keeps that list short.
 */
export async function startIngest(tx: Transaction, workspace: string, now: number, options: StartIngestOptions): Promise<BundleIngest> {
  const issues: ValidationIssue[] = [];
  const shape = bundleShape(options.features);
  const records: RecordCounts = Object.fromEntries(shape.lists.map((list) => [list, 0]));
  // Ids known to exist (not work items: there are millions; those are looked up again when met).
  const present = Object.fromEntries(Object.keys(TABLE_OF_KIND).map((kind) => [kind, new Set<string>()])) as Record<RefKind, Set<string>>;
  // Waiting references, one per record they name (its first place, and how many more): memory grows with the
  // records a file names before defining them (a few thousand sprints), not with the references to them (millions).
  const later = new Map<string, { ref: Reference; more: number }>();
  const checkErasures = options.erasures === 'chunks' && (await hasErasures(tx, workspace));
  const { sections } = shape;
  const hooks = ingestHooks(options.features ?? []);
  // A large import into empty tables builds their read-side indexes after its rows: those of the tables empty at the
  // first full chunk are dropped then and created again at `finish` (a refused import rolls the drop back with the rest).
  let deferring = options.deferIndexes === true;
  const deferredIndexes: string[] = [];
  // Derived tables empty then are filled at `finish` instead of by their triggers row by row (see DEFERRABLE_DERIVED).
  const deferredDerived: string[] = [];
  let changes = 0;
  return {
    full: () => issues.length >= MAX_ISSUES,
    problem: (issue) => void issues.push(issue),
    async add(list, given, first) {
      const elementSchema = shape.element.get(list);
      if (!elementSchema) throw new Error(`no list ${list} in this bundle`);
      records[list] = (records[list] ?? 0) + given.length;
      if (deferring && given.length >= CHUNK) {
        deferring = false;
        const empty = await emptyDeferrableTables(tx);
        for (const table of empty) deferredIndexes.push(...(await dropIndexes(tx, table, DEFERRABLE_INDEXES[table] ?? [])));
        for (const table of empty) {
          const fill = DEFERRABLE_DERIVED[table];
          if (fill) deferredDerived.push(fill, ...(await dropDerivedTriggers(tx, table)));
        }
        if (empty.length > 0) options.onBulkLoad?.(empty);
      }
      const items = checkErasures ? (((await withoutErased(tx, workspace, { [list]: given }))[list] as unknown[]) ?? []) : given;
      const valid: unknown[] = [];
      const validAt: string[] = [];
      const validIndex: number[] = [];
      items.forEach((raw, i) => {
        const at = `${list}[${first + i}]`;
        const parsed = elementSchema.safeParse(raw, { reportInput: true });
        if (!parsed.success) {
          const nested = describeZodIssues(elementSchema, parsed.error.issues);
          issues.push(
            ...nested.map((issue) => ({
              path: issue.path ? `${at}${issue.path.startsWith('[') ? '' : '.'}${issue.path}` : at,
              message: issue.message,
            })),
          );
          return;
        }
        valid.push(parsed.data);
        validAt.push(at);
        validIndex.push(first + i);
      });
      // Ids met twice (invalid elements' ids too: other records may name them), and reports of one person and day.
      const withId = items.flatMap((item, i) => {
        const id = (item as { id?: unknown } | null)?.id;
        return typeof id === 'string' ? [[id, first + i] as const] : [];
      });
      if (!options.prepared) {
        const again = await options.seen.claim(
          list,
          withId.map(([id]) => id),
          withId.map(([, index]) => index),
        );
        for (const [id, index] of withId) {
          const earlier = again.get(index);
          if (earlier !== undefined)
            issues.push({ path: `${list}[${index}].id`, message: `duplicate id "${id}" (first used at ${list}[${earlier}])` });
        }
      }
      const section = sections.get(list);
      const check = { tx, workspace, at: validAt, indexes: validIndex, claim: options.seen.claim };
      if (section?.checkWithin) issues.push(...(await section.checkWithin(valid as never[], check)));
      // References: this chunk's own ids, then what is known present, then the store; the rest waits for finish.
      const kind = KIND_OF_LIST[list];
      const own = new Set(kind ? withId.map(([id]) => id) : []);
      const refs = valid.flatMap((item, i) =>
        (section ? sectionReferences(section, item, validAt[i]!) : referencesOf(list, item, validAt[i]!)).filter(
          (r) => !(r.kind === kind && own.has(r.id)) && !present[r.kind].has(r.id),
        ),
      );
      const missing = await unresolved(tx, workspace, refs, present);
      if (options.prepared) issues.push(...(await dangling(missing, options.seen)));
      else
        for (const ref of missing) {
          const key = `${ref.kind}\u0000${ref.id}`;
          const waiting = later.get(key);
          if (waiting) waiting.more++;
          else later.set(key, { ref, more: 0 });
        }
      if (section?.checkStored) issues.push(...(await section.checkStored(valid as never[], check)));
      if (issues.length > 0) return;
      const written = list === 'workItems' ? await hooks.workItems(tx, workspace, valid as WorkItem[]) : valid;
      changes += await writeBundle(tx, workspace, { [list]: written } as BundleLists, now, section ? [section] : []);
    },
    async finish() {
      if (issues.length < MAX_ISSUES) {
        const waiting = [...later.values()];
        const problems = await dangling(
          await unresolved(
            tx,
            workspace,
            waiting.map(({ ref }) => ref),
            present,
          ),
          options.seen,
        );
        const more = new Map(waiting.map(({ ref, more }) => [ref.path, more]));
        // In file order, as met.
        const order = new Map(waiting.map(({ ref }, i) => [ref.path, i]));
        problems.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
        for (const problem of problems) {
          const others = more.get(problem.path) ?? 0;
          issues.push(others === 0 ? problem : { ...problem, message: `${problem.message}; ${others} more references name it` });
        }
      }
      if (issues.length > 0) throw new ValidationError('invalid_bundle', 'The bundle', issues);
      for (const statement of [...deferredDerived.splice(0), ...deferredIndexes.splice(0)]) await tx.execute(statement);
      return { records, changes };
    },
  };
}

// The references the store does not resolve; those it does are remembered as present (but work items, which are many).
async function unresolved(
  tx: Transaction,
  workspace: string,
  refs: readonly Reference[],
  present: Record<RefKind, Set<string>>,
): Promise<Reference[]> {
  const missing: Reference[] = [];
  for (const kind of Object.keys(TABLE_OF_KIND) as RefKind[]) {
    const ofKind = refs.filter((r) => r.kind === kind && !present[kind].has(r.id));
    if (ofKind.length === 0) continue;
    const found = await existingIds(txExecute(tx), kind, workspace, [...new Set(ofKind.map((r) => r.id))]);
    if (kind !== 'work item') for (const id of found) present[kind].add(id);
    missing.push(...ofKind.filter((r) => !found.has(r.id)));
  }
  return missing;
}

// The references among those the store lacks that the bundle does not define either (a problem stopped the writing
// of a record the bundle does define), as problems.
async function dangling(missing: readonly Reference[], seen: SeenIds): Promise<ValidationIssue[]> {
  const inBundle = new Set<string>();
  for (const kind of new Set(missing.map((r) => r.kind)))
    for (const id of await seen.known(LIST_OF[kind], [...new Set(missing.filter((r) => r.kind === kind).map((r) => r.id))]))
      inBundle.add(`${kind}\u0000${id}`);
  return missing
    .filter((r) => !inBundle.has(`${r.kind}\u0000${r.id}`))
    .map((r) => ({
      path: r.path,
      message: `${r.kind} "${r.id}" is not defined in the bundle or the store (add it to the bundle's ${LIST_OF[r.kind]})`,
    }));
}
