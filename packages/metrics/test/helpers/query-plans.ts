import type { Store } from '@teamstate/core';
import { vi } from 'vitest';

/** Tables that grow with the organisation and its history. */
export const LARGE = new Set([
  'work_items',
  'work_item_assignees',
  'reviews',
  'transitions',
  'deployments',
  'incidents',
  'reports',
  'sprint_committed_items',
]);
/** Tables with one row per team, person or repository: a query may read them whole, never once per row. */
export const SMALL = new Set(['teams', 'people', 'memberships', 'repositories', 'sprints']);

/** One row of `EXPLAIN QUERY PLAN`. */
export interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

/**
 * The problems of one statement's plan, in words (empty when it is fine): a full scan or a walk of the workspace's
 * rows of a large table (unless `allowed`, a deliberate walk, is part of the line, or the walk is of one of the `partial`
 * indexes, which hold only the rows of their WHERE: the open PRs, not all of them), and a subquery per row that walks
 * any table.
 */
export function planProblems(text: string, plan: readonly PlanRow[], allowed?: string, partial: ReadonlySet<string> = new Set()): string[] {
  // Table of each alias (`FROM work_items w`, `JOIN reviews AS rv`), and each table by its own name.
  const tables = new Map<string, string>();
  for (const [, table, alias] of text.matchAll(/\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    if (!table || !(LARGE.has(table) || SMALL.has(table))) continue;
    tables.set(table, table);
    if (alias && !/^(?:WHERE|ON|JOIN|CROSS|LEFT|INNER|GROUP|ORDER|UNION|LIMIT|INDEXED)$/i.test(alias)) tables.set(alias, table);
  }
  const byId = new Map(plan.map((row) => [row.id, row]));
  const correlated = (row: PlanRow): boolean => {
    for (let at = byId.get(row.parent); at; at = byId.get(at.parent)) if (at.detail.startsWith('CORRELATED')) return true;
    return false;
  };
  const found: string[] = [];
  for (const row of plan) {
    const match = /^(SCAN|SEARCH) (\w+)(.*)$/.exec(row.detail);
    const table = match ? tables.get(match[2]!) : undefined;
    if (!match || !table) continue;
    const [, how, , rest] = match;
    const index = / INDEX (\w+) /.exec(rest!)?.[1];
    const walksWorkspace = how === 'SCAN' || (/\(workspace=\?\)$/.test(rest!) && !(index && partial.has(index)));
    if (!walksWorkspace) continue;
    if (correlated(row)) found.push(`a subquery per row walks ${table}: ${row.detail}`);
    else if (LARGE.has(table) && !(allowed && rest!.includes(allowed)))
      found.push(`walks every ${table} row of the workspace: ${row.detail}`);
  }
  return found;
}

/** The plan of a statement as {@link planProblems} reads it. */
export async function planOf(store: Pick<Store, 'execute'>, text: string, args: unknown): Promise<PlanRow[]> {
  const { rows } = await store.execute(`EXPLAIN QUERY PLAN ${text}`, args as never);
  return rows.map((row) => ({ id: Number(row.id), parent: Number(row.parent), detail: String(row.detail) }));
}

/** The names of the store's partial indexes (`CREATE INDEX … WHERE …`): each holds only the rows of its condition. */
export async function partialIndexes(store: Pick<Store, 'execute'>): Promise<Set<string>> {
  const { rows } = await store.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL");
  return new Set(rows.filter((row) => /\)\s+WHERE\s/i.test(String(row.sql))).map((row) => String(row.name)));
}

/**
 * Every statement `fn` runs on `store`: those on its connection, then those read aside (alone or in batches). The data
 * version is hidden meanwhile, so compute() keeps no results and each call runs its statements.
 */
export async function statementsOf(
  store: Pick<Store, 'dataVersion' | 'execute' | 'readAside' | 'readAsideBatch'>,
  fn: () => Promise<unknown>,
): Promise<Parameters<Store['execute']>[]> {
  const version = vi.spyOn(store, 'dataVersion').mockResolvedValue(undefined);
  const execute = vi.spyOn(store, 'execute');
  const aside = vi.spyOn(store, 'readAside');
  const batches = vi.spyOn(store, 'readAsideBatch');
  try {
    await fn();
    const batched = batches.mock.calls.flatMap(([statements]) => statements.map(({ sql, args }): [string, typeof args] => [sql, args]));
    return [...execute.mock.calls, ...aside.mock.calls, ...batched];
  } finally {
    version.mockRestore();
    execute.mockRestore();
    aside.mockRestore();
    batches.mockRestore();
  }
}
