import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState, type SignalContext, type TeamState } from '@teamstate/core';
import { createStoreReader } from '@teamstate/core/store';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtinSignals } from '../src/index.js';

// The query planner decides what a refresh costs on a 10,000-person organisation. Every query of every built-in
// detector must be served by an index: no full scan of a table that grows with the organisation, no walk of all its
// rows in the workspace, and a subquery that runs per row (correlated) only as a seek by that row's key. The plans
// are the same on this small workspace as on a large one: no table has planner statistics (no ANALYZE).

/** Tables that grow with the organisation and its history. */
const LARGE = new Set([
  'work_items',
  'work_item_assignees',
  'reviews',
  'transitions',
  'deployments',
  'incidents',
  'reports',
  'sprint_committed_items',
]);
/** Tables with one row per team, person or repository: a detector may read them whole, never once per row. */
const SMALL = new Set(['teams', 'people', 'memberships', 'repositories', 'sprints']);
/** The one deliberate walk: the latest deployment per repository and environment, in group order, from a covering index. */
const WALKS: Record<string, string> = { 'deploy.failed': 'USING COVERING INDEX deployments_latest_idx (workspace=?)' };

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

/** The problems of one statement's plan, in words (empty when it is fine). */
function problems(kind: string, text: string, plan: PlanRow[]): string[] {
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
    const walksWorkspace = how === 'SCAN' || /\(workspace=\?\)$/.test(rest!);
    if (!walksWorkspace) continue;
    if (correlated(row)) found.push(`a subquery per row walks ${table}: ${row.detail}`);
    else if (LARGE.has(table) && !(WALKS[kind] && rest!.includes(WALKS[kind]!)))
      found.push(`walks every ${table} row of the workspace: ${row.detail}`);
  }
  return found;
}

describe('detector query plans', () => {
  let ts: TeamState;
  beforeAll(async () => {
    const now = new Date('2026-11-21T10:00:00Z');
    ts = await createTeamState({ database: ':memory:', clock: () => now });
    await ts.import(demoBundle({ now }));
  });
  afterAll(() => ts.close());

  for (const detector of builtinSignals) {
    it(`${detector.kind}: every query served by an index, no subquery per row that walks a table`, async () => {
      const execute = vi.spyOn(ts.store, 'execute');
      const ctx: SignalContext = {
        workspace: ts.workspace,
        now: ts.now(),
        settings: () => ({ ...detector.defaults }),
        workingHours: { start: 9, end: 17, days: [1, 2, 3, 4, 5], timeZone: 'UTC' },
      };
      await detector.detect(createStoreReader(ts.store, ts.workspace), ctx);
      const calls = [...execute.mock.calls];
      execute.mockRestore();
      expect(calls.length).toBeGreaterThan(0);
      for (const [text, args] of calls) {
        const { rows } = await ts.store.execute(`EXPLAIN QUERY PLAN ${text}`, args);
        const plan = rows.map((row) => ({ id: Number(row.id), parent: Number(row.parent), detail: String(row.detail) }));
        expect(problems(detector.kind, text, plan), `${text}\n${plan.map((r) => r.detail).join('\n')}`).toEqual([]);
      }
    });
  }

  it('tells a walk of the workspace and a per-row walk from an index seek (the check itself)', () => {
    const rows = (...details: string[]) => details.map((detail, i) => ({ id: i + 1, parent: i, detail }));
    expect(problems('x', 'SELECT * FROM work_items w', rows('SCAN w'))).toEqual(['walks every work_items row of the workspace: SCAN w']);
    expect(problems('x', 'SELECT * FROM reviews', rows('SEARCH reviews USING INDEX reviews_reviewer_idx (workspace=?)'))).toHaveLength(1);
    expect(
      problems(
        'x',
        'SELECT * FROM reviews v',
        rows('SEARCH v USING COVERING INDEX reviews_submitted_idx (workspace=? AND submitted_at>?)'),
      ),
    ).toEqual([]);
    expect(
      problems('x', 'SELECT (SELECT min(m.team_id) FROM memberships m) FROM people p', [
        { id: 1, parent: 0, detail: 'SEARCH p USING INDEX sqlite_autoindex_people_1 (workspace=?)' },
        { id: 2, parent: 0, detail: 'CORRELATED SCALAR SUBQUERY 1' },
        { id: 3, parent: 2, detail: 'SEARCH m USING COVERING INDEX sqlite_autoindex_memberships_1 (workspace=?)' },
      ]),
    ).toEqual(['a subquery per row walks memberships: SEARCH m USING COVERING INDEX sqlite_autoindex_memberships_1 (workspace=?)']);
  });
});
