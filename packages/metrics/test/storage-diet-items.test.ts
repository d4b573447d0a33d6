// The indexes of work_items, reviews, work_item_assignees and transitions cost more than the rows themselves (about 140 of the large
// demo's 468 MB): each one kept must be one a read needs. Found with the query planner (EXPLAIN QUERY PLAN, not
// timing): the hot reads (every metric for the organisation, a team, a repository and a person; every detector;
// ts.aiImpact()) are planned on the demo workspace, and every index of those tables is either in one of their plans,
// named by a trigger, or listed below with the reader outside that workload that needs it. The plans are the same on this small workspace
// as on a large one: no table has planner statistics (no ANALYZE).
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState, type SignalContext, type TeamState } from '@teamstate/core';
import { createStoreReader } from '@teamstate/core/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinMetrics, builtinSignals } from '../src/index.js';
import { partialIndexes, planOf, planProblems, statementsOf } from './helpers/query-plans.js';

const TABLES = ['work_items', 'reviews', 'work_item_assignees', 'transitions'];

/** Indexes read by the store's other readers (not metrics or detectors), each with what needs it. */
const OTHER_READERS: Record<string, string> = {
  work_items_key_idx: 'an item by its key: goals, dependencies, allocation, workItems.get',
  work_items_labels_idx: 'goals progress: the items of a label link (INDEXED BY)',
  work_items_parent_idx: 'goals progress: the children of an epic link (INDEXED BY)',
  work_items_done_idx: 'goals progress: the items done in a window (INDEXED BY)',
  work_items_kind_state_created_idx: 'workItems.list by kind and state, newest first',
  work_items_created_idx: 'workItems.list newest first, the pull requests opened in a window (digests)',
  work_items_author_idx: "workItems.list({ person }) and a person's first contribution",
  work_items_pr_merged_author_idx: 'the standup digest: pull requests merged in a window by its people (INDEXED BY)',
  work_items_flagged_idx: 'the flagged items of the standup digest',
  work_item_assignees_person_idx: "workItems.list({ person }): a person's assigned items",
  reviews_submitted_idx: 'the reviews submitted in a window: review counts by reviewer, who reviews a team’s work, activity by repository',
  reviews_reviewer_idx: "the standup digest's reviews by person (INDEXED BY), account merges, time_to_tenth_pr",
};

/** What only flow_efficiency's statement over the organisation says: its pass over the in-progress spans. */
const FLOW_EFFICIENCY_PASS = 'spans AS (SELECT t.work_item_id AS item';

const ALL_TIME = { from: '2000-01-01T00:00:00Z', to: '2026-11-21T00:00:00Z' };
const NINETY_DAYS = { from: '2026-08-23T00:00:00Z', to: '2026-11-21T00:00:00Z' };

let ts: TeamState;
/** The statements of the hot reads (the organisation, a team, every detector), then those of a repository and a person. */
let hot: Awaited<ReturnType<typeof statementsOf>> = [];
let scoped: Awaited<ReturnType<typeof statementsOf>> = [];

beforeAll(async () => {
  const now = new Date('2026-11-21T10:00:00Z');
  ts = await createTeamState({ database: ':memory:', clock: () => now, metrics: builtinMetrics });
  const bundle = demoBundle({ now });
  await ts.import(bundle);
  const team = bundle.teams[0]!.id;
  const repository = bundle.repositories[0]!.id;
  const person = bundle.people[0]!.id;
  const ids = builtinMetrics.map((m) => m.id);
  const ctx = (defaults: object | undefined): SignalContext => ({
    workspace: ts.workspace,
    now: ts.now(),
    settings: () => ({ ...defaults }),
    workingHours: { start: 9, end: 17, days: [1, 2, 3, 4, 5], timeZone: 'UTC' },
  });
  hot = await statementsOf(ts.store, async () => {
    for (const id of ids) await ts.metrics.compute([id], ALL_TIME);
    for (const id of ids) await ts.metrics.compute([id], { ...NINETY_DAYS, team });
    for (const detector of builtinSignals) await detector.detect(createStoreReader(ts.store, ts.workspace), ctx(detector.defaults));
    // Each merged pull request's reviews, by the primary key's index.
    await ts.aiImpact(NINETY_DAYS);
  });
  scoped = await statementsOf(ts.store, async () => {
    for (const id of ids) await ts.metrics.compute([id], { ...NINETY_DAYS, repository });
    for (const id of ids) await ts.metrics.compute([id], { ...NINETY_DAYS, person });
  });
});
afterAll(() => ts.close());

/** The secondary indexes of the tables, with their SQL. */
async function indexes(): Promise<Map<string, string>> {
  const { rows } = await ts.store.execute(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${TABLES.map(() => '?').join(', ')})`,
    TABLES,
  );
  return new Map(rows.map((row) => [String(row.name), String(row.sql)]));
}

describe('storage diet: work_items, reviews, work_item_assignees, transitions', () => {
  it('keeps no index that neither a hot read, a trigger nor a listed reader needs', async () => {
    const used = new Set<string>();
    for (const [text, args] of [...hot, ...scoped])
      for (const row of await planOf(ts.store, text, args)) for (const [, name] of row.detail.matchAll(/ INDEX (\w+)/g)) used.add(name!);
    const triggers = (await ts.store.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")).rows.map((row) => String(row.sql));
    const unneeded = [...(await indexes()).keys()].filter(
      (name) => !used.has(name) && !(name in OTHER_READERS) && !triggers.some((sql) => sql.includes(name)),
    );
    expect(unneeded).toEqual([]);
  });

  it('keeps no full index that leads with the primary key past the workspace: an item’s few rows are sought by the key', async () => {
    const leading: string[] = [];
    for (const table of TABLES) {
      const key = (await ts.store.execute(`SELECT name FROM pragma_table_info('${table}') WHERE pk > 0 ORDER BY pk`)).rows.map((r) =>
        String(r.name),
      );
      const { rows } = await ts.store.execute(`SELECT l.name FROM pragma_index_list('${table}') l WHERE l.origin = 'c' AND l.partial = 0`);
      for (const { name } of rows) {
        const columns = (await ts.store.execute(`SELECT name FROM pragma_index_info('${String(name)}') ORDER BY seqno`)).rows.map((r) =>
          String(r.name),
        );
        if (columns.length > 2 && columns[0] === key[0] && columns[1] === key[1]) leading.push(String(name));
      }
    }
    expect(leading).toEqual([]);
  });

  it('lists only indexes that exist, and none a hot read already uses', async () => {
    const existing = await indexes();
    for (const name of Object.keys(OTHER_READERS)) expect(existing.has(name), name).toBe(true);
  });

  it('keeps in the resolved and flagged indexes only the rows their readers ask for, and the readers still use them', async () => {
    const partial = await partialIndexes(ts.store);
    expect([...partial].filter((name) => ['work_items_resolved_idx', 'work_items_flagged_idx'].includes(name)).sort()).toEqual([
      'work_items_flagged_idx',
      'work_items_resolved_idx',
    ]);
    const details: string[] = [];
    for (const [text, args] of hot) for (const row of await planOf(ts.store, text, args)) details.push(row.detail);
    // A range of resolution times implies resolved_at IS NOT NULL, and item.blocked asks for flagged = 1.
    expect(details.some((d) => /INDEX work_items_resolved_idx \(workspace=\? AND resolved_at>\? AND resolved_at<\?\)/.test(d))).toBe(true);
    expect(details.some((d) => / INDEX work_items_flagged_idx \(workspace=\? AND flagged=\?\)/.test(d))).toBe(true);
  });

  it('keeps in the merged, repository, sprint and in-progress indexes only the rows their readers ask for, and the readers still use them', async () => {
    const sql = await indexes();
    expect(sql.get('work_items_kind_merged_idx')).toMatch(/ WHERE merged_at IS NOT NULL$/);
    expect(sql.get('work_items_repository_merged_idx')).toMatch(/ WHERE repository_id IS NOT NULL$/);
    expect(sql.get('work_items_sprint_idx')).toMatch(/ WHERE sprint_id IS NOT NULL$/);
    expect(sql.get('work_items_team_in_progress_idx')).toMatch(/ WHERE first_in_progress_at IS NOT NULL$/);
    const details: string[] = [];
    for (const [text, args] of hot) for (const row of await planOf(ts.store, text, args)) details.push(row.detail);
    // A range of merge times implies merged_at IS NOT NULL, one sprint sprint_id IS NOT NULL, and a team's candidates
    // moved into progress by `to` first_in_progress_at IS NOT NULL.
    expect(
      details.some((d) => / INDEX work_items_kind_merged_idx \(workspace=\? AND kind=\? AND merged_at>\? AND merged_at<\?\)/.test(d)),
    ).toBe(true);
    const repository: string[] = [];
    for (const [text, args] of scoped) for (const row of await planOf(ts.store, text, args)) repository.push(row.detail);
    expect(repository.some((d) => / INDEX work_items_repository_merged_idx \(workspace=\? AND repository_id=\?/.test(d))).toBe(true);
    // The sprint metrics and goals name the sprint index with INDEXED BY, joined on a sprint's id (as the sprint-totals
    // triggers seek it): a plan, where an index that cannot serve it would be an error.
    const sprint = await planOf(
      ts.store,
      'SELECT w.id, w.story_points FROM sprints s CROSS JOIN work_items w INDEXED BY work_items_sprint_idx ON w.workspace = s.workspace AND w.sprint_id = s.id WHERE s.workspace = ?',
      [ts.workspace],
    );
    expect(sprint.map((row) => row.detail)).toContain('SEARCH w USING COVERING INDEX work_items_sprint_idx (workspace=? AND sprint_id=?)');
    expect(details.some((d) => / INDEX work_items_team_in_progress_idx \(workspace=\? AND team_id=\?/.test(d))).toBe(true);
  });

  it('keeps in the status-category and blocked-status indexes only the items their readers ask for, and the readers still use them', async () => {
    const sql = await indexes();
    expect(sql.get('work_items_status_category_idx')).toMatch(/ WHERE status_category IS NOT NULL$/);
    expect(sql.get('work_items_lower_state_idx')).toMatch(/ WHERE status_category IN \('todo', 'in_progress'\)$/);
    const details: string[] = [];
    for (const [text, args] of hot) for (const row of await planOf(ts.store, text, args)) details.push(row.detail);
    // One category implies status_category IS NOT NULL (item.aging); item.blocked names the blocked index's condition.
    expect(details).toContain(
      'SEARCH w USING INDEX work_items_status_category_idx (workspace=? AND status_category=? AND team_id=? AND first_in_progress_at<?)',
    );
    expect(details.some((d) => /SEARCH work_items USING INDEX work_items_lower_state_idx \(workspace=\? AND <expr>=\?\)/.test(d))).toBe(
      true,
    );
    // The pull requests (no category) and the done issues are in neither: the demo has both.
    const count = async (q: string) => Number((await ts.store.execute(q, [ts.workspace])).rows[0]!.n);
    expect(
      await count("SELECT count(*) AS n FROM work_items WHERE workspace = ? AND (kind = 'pull_request' OR status_category = 'done')"),
    ).toBeGreaterThan(0);
    expect(
      await count(
        'SELECT count(*) AS n FROM work_items INDEXED BY work_items_status_category_idx WHERE workspace = ? AND status_category IS NOT NULL',
      ),
    ).toBe(await count('SELECT count(*) AS n FROM work_items WHERE workspace = ? AND status_category IS NOT NULL'));
  });

  it('serves every hot read of the three tables with an index, never a walk of the workspace', async () => {
    const partial = await partialIndexes(ts.store);
    const walks: string[] = [];
    for (const [text, args] of hot) {
      if (!TABLES.some((table) => new RegExp(`\\b(FROM|JOIN) ${table}\\b`).test(text))) continue;
      const plan = await planOf(ts.store, text, args);
      // flow_efficiency over the organisation reads the in-progress spans of most issues of the workspace: one pass in
      // the order of the transitions' primary key (their table), grouped by item with no sort, is its plan.
      const allowed = text.includes(FLOW_EFFICIENCY_PASS) ? 'USING PRIMARY KEY (workspace=?)' : undefined;
      const problems = planProblems(text, plan, allowed, partial).filter((p) => TABLES.some((table) => p.includes(` ${table} `)));
      if (problems.length > 0) walks.push(`${text}\n  ${problems.join('\n  ')}`);
    }
    expect(walks).toEqual([]);
  });

  it('over the organisation, flow_efficiency reads the window’s issues from the covering resolved index', async () => {
    const sql = hot.map(([text]) => text).find((text) => text.includes(FLOW_EFFICIENCY_PASS));
    expect(sql).toBeDefined();
    const detail = (await planOf(ts.store, sql!, [])).map((row) => row.detail).join('\n');
    expect(detail).toMatch(/SEARCH w USING COVERING INDEX work_items_resolved_idx \(workspace=\? AND resolved_at>\? AND resolved_at<\?\)/);
  });
});
