import type { Transaction } from '@libsql/client';
import { z } from 'zod';
import { assessPullRequests } from '../ai/assess-pull-requests.js';
import { type AiDetector, builtinAiDetector } from '../ai/detect-ai.js';
import { ValidationError, type ValidationIssue } from '../errors.js';
import { bundleSchema } from '../model/bundle.js';
import type { BundleReport } from '../model/report.js';
import type { WorkItem } from '../model/work-item.js';
import { describeZodIssues } from '../model/zod-issues.js';
import { withoutErased } from '../people/erasures.js';
import { existingIds, type RecordKind as RefKind, TABLE_OF_KIND, txExecute } from '../store/existing-ids.js';
import { assertBundleObject } from './validate-bundle.js';
import { type BundleLists, type RecordCounts, writeBundle } from './write-bundle.js';

type ListName = keyof RecordCounts;

const LISTS: readonly ListName[] = [
  'teams',
  'people',
  'repositories',
  'sprints',
  'workItems',
  'deployments',
  'incidents',
  'reports',
  'aiUsage',
  'surveyResponses',
  'aiFeedback',
];
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

// The top level is checked first with the lists left unparsed; elements are parsed chunk by chunk.
const shellSchema = z.strictObject({
  format: bundleSchema.shape.format,
  ...Object.fromEntries(LISTS.map((list) => [list, z.array(z.unknown(), { error: 'expected an array' }).optional()])),
});
const elementSchema = Object.fromEntries(LISTS.map((list) => [list, bundleSchema.shape[list].unwrap().element])) as unknown as Record<
  ListName,
  z.ZodType
>;

/** Elements validated and written per step: bounds memory for bundles of any size. */
const CHUNK = 1_000;
/** Stop collecting problems after this many (the message shows the first 20). */
const MAX_ISSUES = 1_000;

interface Reference {
  kind: RefKind;
  id: string;
  path: string;
}

// biome-ignore lint/suspicious/noExplicitAny: elements are validated before this runs; the switch narrows by list
function referencesOf(list: ListName, item: any, at: string): Reference[] {
  const refs: Reference[] = [];
  const ref = (kind: RefKind, id: string | undefined, path: string) => id !== undefined && refs.push({ kind, id, path: `${at}.${path}` });
  switch (list) {
    case 'teams':
      item.members?.forEach((person: string, j: number) => ref('person', person, `members[${j}]`));
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
      break;
    case 'reports':
      ref('person', item.person, 'person');
      break;
    case 'aiUsage':
      ref('person', item.person, 'person');
      ref('team', item.team, 'team');
      break;
    case 'surveyResponses':
      ref('work item', item.pullRequest, 'pullRequest');
      ref('person', item.person, 'person');
      break;
    case 'aiFeedback':
      ref('person', item.person, 'person');
      ref('repository', item.repository, 'repository');
      break;
  }
  return refs;
}

/** How an ingest treats what it writes. */
export interface IngestOptions {
  /** Settles each pull request's `ai` (built-in lists when left out; `createTeamState({ ai })` extends them). */
  ai?: AiDetector;
}

/** What an ingest wrote. */
export interface IngestResult {
  records: RecordCounts;
  changes: number;
}

/**
 * Validates a bundle (or a connector's batch) and writes it inside the open transaction, in chunks so
 * memory stays bounded: shape first, then ids (duplicates), then each chunk's schema and references
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
  const shell = shellSchema.safeParse(input, { reportInput: true });
  if (!shell.success) throw new ValidationError('invalid_bundle', 'The bundle', describeZodIssues(bundleSchema, shell.error.issues));
  const lists = Object.fromEntries(LISTS.map((list) => [list, (input[list] as unknown[] | undefined) ?? []])) as Record<
    ListName,
    unknown[]
  >;

  const issues: ValidationIssue[] = [];
  const known = Object.fromEntries(Object.keys(TABLE_OF_KIND).map((kind) => [kind, new Set<string>()])) as Record<RefKind, Set<string>>;
  for (const list of LISTS) {
    const first = new Map<string, number>();
    lists[list].forEach((item, index) => {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') return;
      const earlier = first.get(id);
      if (earlier !== undefined)
        issues.push({ path: `${list}[${index}].id`, message: `duplicate id "${id}" (first used at ${list}[${earlier}])` });
      else first.set(id, index);
      const kind = KIND_OF_LIST[list];
      if (kind) known[kind].add(id);
    });
  }

  const stored = Object.fromEntries(Object.keys(TABLE_OF_KIND).map((kind) => [kind, new Map<string, boolean>()])) as Record<
    RefKind,
    Map<string, boolean>
  >;
  const records = Object.fromEntries(LISTS.map((list) => [list, lists[list].length])) as RecordCounts;
  let changes = 0;
  // A person reports once per day: the first report of each (person, day) in the bundle, by index.
  const reportDays = new Map<string, number>();
  for (const list of LISTS) {
    const items = lists[list];
    for (let start = 0; start < items.length && issues.length < MAX_ISSUES; start += CHUNK) {
      const valid: unknown[] = [];
      const validAt: string[] = [];
      const refs: Reference[] = [];
      items.slice(start, start + CHUNK).forEach((raw, i) => {
        const at = `${list}[${start + i}]`;
        const parsed = elementSchema[list].safeParse(raw, { reportInput: true });
        if (!parsed.success) {
          const nested = describeZodIssues(elementSchema[list], parsed.error.issues);
          issues.push(
            ...nested.map((issue) => ({
              path: issue.path ? `${at}${issue.path.startsWith('[') ? '' : '.'}${issue.path}` : at,
              message: issue.message,
            })),
          );
          return;
        }
        if (list === 'reports') {
          const { person, day } = parsed.data as BundleReport;
          const first = reportDays.get(`${person}\u0000${day}`);
          if (first !== undefined) {
            issues.push({
              path: at,
              message: `second report of ${person} for ${day} (first at reports[${first}]); one report per person and day: merge them`,
            });
            return;
          }
          reportDays.set(`${person}\u0000${day}`, start + i);
        }
        valid.push(parsed.data);
        validAt.push(at);
        refs.push(...referencesOf(list, parsed.data, at).filter((r) => !known[r.kind].has(r.id)));
      });
      await resolveInStore(tx, workspace, refs, stored);
      for (const r of refs) {
        if (!stored[r.kind].get(r.id)) {
          issues.push({
            path: r.path,
            message: `${r.kind} "${r.id}" is not defined in the bundle or the store (add it to the bundle's ${LIST_OF[r.kind]})`,
          });
        }
      }
      if (list === 'reports') issues.push(...(await reportIdConflicts(tx, workspace, valid as BundleReport[], validAt)));
      if (issues.length > 0) continue;
      const records =
        list === 'workItems' ? await assessPullRequests(tx, workspace, valid as WorkItem[], options.ai ?? builtinAiDetector()) : valid;
      changes += await writeBundle(tx, workspace, { [list]: records } as BundleLists, now);
    }
  }
  if (issues.length > 0) throw new ValidationError('invalid_bundle', 'The bundle', issues);
  return { records, changes };
}

// Looks up, once per id, whether references the bundle does not define exist in this workspace.
async function resolveInStore(
  tx: Transaction,
  workspace: string,
  refs: readonly Reference[],
  stored: Record<RefKind, Map<string, boolean>>,
): Promise<void> {
  for (const kind of Object.keys(TABLE_OF_KIND) as RefKind[]) {
    const wanted = [...new Set(refs.filter((r) => r.kind === kind && !stored[kind].has(r.id)).map((r) => r.id))];
    const found = await existingIds(txExecute(tx), kind, workspace, wanted);
    for (const id of wanted) stored[kind].set(id, found.has(id));
  }
}

// A report is its person's day: a bundle may name it by id, but never give a stored day another id, nor a stored
// id another day (that would silently move or duplicate a report).
async function reportIdConflicts(
  tx: Transaction,
  workspace: string,
  reports: readonly BundleReport[],
  paths: readonly string[],
): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  for (const [index, report] of reports.entries()) {
    if (report.id === undefined) continue;
    const { rows } = await tx.execute({
      sql: 'SELECT id, person_id, day FROM reports WHERE workspace = ? AND (id = ? OR (person_id = ? AND day = ?))',
      args: [workspace, report.id, report.person, report.day],
    });
    for (const row of rows) {
      const [id, person, day] = [String(row.id), String(row.person_id), String(row.day)];
      if (id === report.id && (person !== report.person || day !== report.day))
        issues.push({
          path: `${paths[index]}.id`,
          message: `"${id}" is ${person}'s report for ${day}; give this one another id, or none`,
        });
      else if (id !== report.id)
        issues.push({
          path: `${paths[index]}.id`,
          message: `${person}'s report for ${day} is stored as "${id}"; use that id, or none`,
        });
    }
  }
  return issues;
}
