import type { Transaction } from '@libsql/client';
import { ValidationError, type ValidationIssue } from '../errors.js';
import { BUNDLE_FORMAT, type Bundle, bundleSchema } from '../model/bundle.js';
import { describeZodIssues } from '../model/zod-issues.js';

/**
 * Checks a bundle's shape (every problem with its JSON path) without touching a store.
 * @throws ValidationError with code `invalid_bundle`
 */
export function parseBundle(input: unknown): Bundle {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError('invalid_bundle', 'The bundle', [
      {
        path: '',
        message: `expected a JSON object with "format": "${BUNDLE_FORMAT}", got ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}`,
      },
    ]);
  }
  const parsed = bundleSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new ValidationError('invalid_bundle', 'The bundle', describeZodIssues(bundleSchema, parsed.error.issues));
  return parsed.data;
}

type RefKind = 'team' | 'person' | 'repository' | 'work item' | 'sprint' | 'deployment';
const tableOf: Record<RefKind, string> = {
  team: 'teams',
  person: 'people',
  repository: 'repositories',
  'work item': 'work_items',
  sprint: 'sprints',
  deployment: 'deployments',
};

interface Reference {
  kind: RefKind;
  id: string;
  path: string;
}

/**
 * Checks what the schema cannot: ids unique within each list, and every reference resolving within
 * the bundle or the workspace (read inside `tx`, so the check and the write see the same store).
 * @throws ValidationError with code `invalid_bundle`
 */
export async function checkBundleReferences(tx: Transaction, workspace: string, bundle: Bundle): Promise<void> {
  const issues: ValidationIssue[] = [];
  const known: Record<RefKind, Set<string>> = {
    team: new Set(),
    person: new Set(),
    repository: new Set(),
    'work item': new Set(),
    sprint: new Set(),
    deployment: new Set(),
  };
  const collect = (kind: RefKind | undefined, list: keyof Bundle, items: readonly { id: string }[]) => {
    const first = new Map<string, number>();
    items.forEach((item, index) => {
      const earlier = first.get(item.id);
      if (earlier !== undefined)
        issues.push({ path: `${list}[${index}].id`, message: `duplicate id "${item.id}" (first used at ${list}[${earlier}])` });
      else first.set(item.id, index);
      if (kind) known[kind].add(item.id);
    });
  };
  collect('team', 'teams', bundle.teams);
  collect('person', 'people', bundle.people);
  collect('repository', 'repositories', bundle.repositories);
  collect('work item', 'workItems', bundle.workItems);
  collect('sprint', 'sprints', bundle.sprints);
  collect('deployment', 'deployments', bundle.deployments);
  collect(undefined, 'incidents', bundle.incidents);

  const refs: Reference[] = [];
  const ref = (kind: RefKind, id: string | undefined, path: string) => {
    if (id !== undefined && !known[kind].has(id)) refs.push({ kind, id, path });
  };
  bundle.people.forEach((p, i) => p.teams?.forEach((team, j) => ref('team', team, `people[${i}].teams[${j}]`)));
  bundle.repositories.forEach((r, i) => ref('team', r.team, `repositories[${i}].team`));
  bundle.workItems.forEach((item, i) => {
    const at = `workItems[${i}]`;
    ref('team', item.team, `${at}.team`);
    ref('repository', item.repository, `${at}.repository`);
    ref('person', item.author, `${at}.author`);
    ref('sprint', item.sprint, `${at}.sprint`);
    item.assignees?.forEach((person, j) => ref('person', person, `${at}.assignees[${j}]`));
    item.reviews?.forEach((review, j) => ref('person', review.reviewer, `${at}.reviews[${j}].reviewer`));
  });
  bundle.sprints.forEach((s, i) => {
    ref('team', s.team, `sprints[${i}].team`);
    s.committedItems?.forEach((item, j) => ref('work item', item, `sprints[${i}].committedItems[${j}]`));
  });
  bundle.deployments.forEach((d, i) => {
    ref('repository', d.repository, `deployments[${i}].repository`);
    d.pullRequests?.forEach((item, j) => ref('work item', item, `deployments[${i}].pullRequests[${j}]`));
  });
  bundle.incidents.forEach((incident, i) => {
    ref('repository', incident.repository, `incidents[${i}].repository`);
    ref('deployment', incident.deployment, `incidents[${i}].deployment`);
  });

  // Whatever the bundle does not define must already be in this workspace.
  const stored = await existingIds(tx, workspace, refs);
  for (const r of refs) {
    if (!stored[r.kind].has(r.id)) {
      issues.push({
        path: r.path,
        message: `${r.kind} "${r.id}" is not defined in the bundle or the store (add it to the bundle's ${listName(r.kind)})`,
      });
    }
  }
  if (issues.length > 0) throw new ValidationError('invalid_bundle', 'The bundle', issues);
}

function listName(kind: RefKind): string {
  return {
    team: 'teams',
    person: 'people',
    repository: 'repositories',
    'work item': 'workItems',
    sprint: 'sprints',
    deployment: 'deployments',
  }[kind];
}

async function existingIds(tx: Transaction, workspace: string, refs: readonly Reference[]): Promise<Record<RefKind, Set<string>>> {
  const result = {} as Record<RefKind, Set<string>>;
  for (const kind of Object.keys(tableOf) as RefKind[]) {
    result[kind] = new Set();
    const wanted = [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id))];
    for (let start = 0; start < wanted.length; start += 500) {
      const chunk = wanted.slice(start, start + 500);
      const rows = await tx.execute({
        sql: `SELECT id FROM ${tableOf[kind]} WHERE workspace = ? AND id IN (${chunk.map(() => '?').join(',')})`,
        args: [workspace, ...chunk],
      });
      for (const row of rows.rows) result[kind].add(String(row.id));
    }
  }
  return result;
}
