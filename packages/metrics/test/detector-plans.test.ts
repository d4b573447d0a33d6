import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState, type SignalContext, type TeamState } from '@teamstate/core';
import { createStoreReader } from '@teamstate/core/store';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtinSignals, standupDigest } from '../src/index.js';
import { partialIndexes, planOf, planProblems } from './helpers/query-plans.js';

// The query planner decides what a refresh costs on a 10,000-person organisation. Every query of every built-in
// detector must be served by an index: no full scan of a table that grows with the organisation, no walk of all its
// rows in the workspace, and a subquery that runs per row (correlated) only as a seek by that row's key. The plans
// are the same on this small workspace as on a large one: no table has planner statistics (no ANALYZE).

/** The one deliberate walk: the latest deployment per repository and environment, in group order, from a covering index. */
const WALKS: Record<string, string> = { 'deploy.failed': 'USING COVERING INDEX deployments_latest_idx (workspace=?)' };

/**
 * The covering indexes the heaviest detectors must read (issue 23: the first refresh of a 10,000-person organisation):
 * they walk many rows of a window, so each row must come from an index, never from the item's row (title, body).
 */
const COVERED: Record<string, string[]> = {
  // Its window first: the pull requests merged in it and the reviews submitted in it, each one range of an index.
  'person.after_hours': ['work_items_pr_merged_author_idx', 'reviews_submitted_idx'],
  // Its window's reviews: one range of the reviews by time (each review's item then by key).
  'review.load_imbalance': ['reviews_submitted_idx'],
  'item.aging': ['work_items_team_resolved_idx'],
  // What is open now, from partial indexes that hold only it (thousands of rows of millions), never an item's row.
  'pr.awaiting_review': ['work_items_open_pr_idx'],
  'pr.stale': ['work_items_open_pr_idx'],
  'pr.large': ['work_items_open_pr_idx'],
  'pr.changes_requested_idle': ['work_items_open_pr_idx'],
  'wip.over_limit': ['work_items_in_progress_idx', 'work_items_open_pr_idx'],
  'person.overloaded': ['work_items_in_progress_idx', 'work_items_open_pr_idx'],
};

/**
 * Per-row reads a query must make once: a subquery's column that the outer query names twice (in its WHERE and in an
 * aggregate) is, once the planner flattens the subquery into it, a second run of that subquery per row (person.after_hours
 * read every person's window twice: 127 against 84 ms at 10,000 engineers).
 */
const ONCE: Record<string, string[]> = { 'person.after_hours': ['reviews_submitted_idx'] };

/** Tables a detector must not read at all: what it needs is stored with the rows it reads (derived on write). */
const NOT_READ: Record<string, string[]> = {
  'item.aging': ['transitions'],
  // An open PR's reviews from those the store keeps of open PRs alone (open_pr_reviews, migration 0043): at 10,000
  // engineers, each of the 11,000 open PRs' look-ups into every review of 1.5 million PRs was a page of its own, about
  // 10,000 pages per detector and 16,500 for person.overloaded, against about 650 and 7,000 now.
  'pr.awaiting_review': ['reviews'],
  'pr.stale': ['reviews'],
  'pr.changes_requested_idle': ['reviews'],
  'person.overloaded': ['reviews'],
};

/** A walk of every person of the workspace (whichever index the planner picks for it). */
const EVERY_PERSON = /^(SCAN p\b|SEARCH p USING (COVERING )?INDEX \w+ \(workspace=\?\)$)/;

/**
 * Plan steps a detector must not take. The work in progress of everyone (items in progress, open PRs, pending reviews)
 * is counted per person as it comes, not first put into a set of every (person, key) row to drop repeats (a UNION):
 * repeats are dropped from the rows handed over. Nor is it sorted per person in SQL to keep those above a limit (a list
 * of them, grouped: 53,000 rows sorted at 10,000 engineers, a third of person.overloaded's query): counted as handed
 * over. People are read by key, only those a detector reports on.
 */
const AVOIDS: Record<string, RegExp[]> = {
  'person.overloaded': [/UNION USING TEMP B-TREE/, /LIST SUBQUERY/, EVERY_PERSON],
  'wip.over_limit': [/UNION USING TEMP B-TREE/],
  // Its members' names and time zones come with the memberships, by key: not a second read of every person.
  'person.no_reports': [EVERY_PERSON],
};

/** Narrow (partial) indexes a detector must use: a few rows of the organisation instead of a walk of most of them. */
const USES: Record<string, string[]> = {
  'item.overdue': ['work_items_open_due_idx'],
  // A team's items in progress started before a bound: a range of the status index, not every item in progress.
  'item.aging': ['work_items_status_category_idx (workspace=? AND status_category=? AND team_id=? AND first_in_progress_at<?)'],
  // Only the people who may be over their limit are read, each by key.
  'person.overloaded': ['sqlite_autoindex_people_1 (workspace=? AND id=?)'],
};

describe('detector query plans', () => {
  let ts: TeamState;
  let partial: Set<string>;
  beforeAll(async () => {
    const now = new Date('2026-11-21T10:00:00Z');
    ts = await createTeamState({ database: ':memory:', clock: () => now });
    await ts.import(demoBundle({ now }));
    partial = await partialIndexes(ts.store);
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
      const details: string[] = [];
      for (const [text, args] of calls) {
        const plan = await planOf(ts.store, text, args);
        expect(planProblems(text, plan, WALKS[detector.kind], partial), `${text}\n${plan.map((r) => r.detail).join('\n')}`).toEqual([]);
        for (const index of ONCE[detector.kind] ?? [])
          expect(
            plan.filter((r) => r.detail.includes(` INDEX ${index} `)).length,
            `${index} in\n${plan.map((r) => r.detail).join('\n')}`,
          ).toBeLessThanOrEqual(1);
        details.push(...plan.map((r) => r.detail));
      }
      for (const index of COVERED[detector.kind] ?? [])
        expect(
          details.some((detail) => detail.includes(`USING COVERING INDEX ${index} `)),
          `${index} in\n${details.join('\n')}`,
        ).toBe(true);
      for (const index of USES[detector.kind] ?? [])
        expect(
          details.some((detail) => detail.includes(` INDEX ${index}`)),
          `${index} in\n${details.join('\n')}`,
        ).toBe(true);
      for (const step of AVOIDS[detector.kind] ?? []) expect(details.filter((detail) => step.test(detail))).toEqual([]);
      for (const table of NOT_READ[detector.kind] ?? [])
        expect(calls.filter(([text]) => new RegExp(`\\b(FROM|JOIN) ${table}\\b`).test(text)).map(([text]) => text)).toEqual([]);
    });
  }

  it('standup digest (standup_digest): every query served by an index', async () => {
    const [team] = await ts.teams.list();
    const execute = vi.spyOn(ts.store, 'execute');
    const digest = await standupDigest(ts, { team: team!.id });
    const calls = [...execute.mock.calls];
    execute.mockRestore();
    expect(digest.people.length).toBeGreaterThan(0);
    const reads = calls.filter(([text]) => /\bFROM (work_items|work_item_assignees|reviews|transitions)\b/.test(text));
    expect(reads.length).toBeGreaterThanOrEqual(5);
    for (const [text, args] of calls) {
      const plan = await planOf(ts.store, text, args);
      expect(planProblems(text, plan, undefined, partial), `${text}\n${plan.map((r) => r.detail).join('\n')}`).toEqual([]);
    }
  });

  it('tells a walk of the workspace and a per-row walk from an index seek (the check itself)', () => {
    const rows = (...details: string[]) => details.map((detail, i) => ({ id: i + 1, parent: i, detail }));
    expect(planProblems('SELECT * FROM work_items w', rows('SCAN w'))).toEqual(['walks every work_items row of the workspace: SCAN w']);
    expect(planProblems('SELECT * FROM deployments', rows('SEARCH deployments USING COVERING INDEX d_idx (workspace=?)'), 'd_idx')).toEqual(
      [],
    );
    expect(planProblems('SELECT * FROM reviews', rows('SEARCH reviews USING INDEX reviews_reviewer_idx (workspace=?)'))).toHaveLength(1);
    // A partial index holds only its rows (the open PRs): walking it is not a walk of the workspace.
    const open = 'SEARCH w USING COVERING INDEX work_items_open_pr_idx (workspace=?)';
    expect(planProblems('SELECT * FROM work_items w', rows(open), undefined, new Set(['work_items_open_pr_idx']))).toEqual([]);
    expect(planProblems('SELECT * FROM work_items w', rows(open))).toHaveLength(1);
    expect(
      planProblems('SELECT * FROM reviews v', rows('SEARCH v USING COVERING INDEX reviews_submitted_idx (workspace=? AND submitted_at>?)')),
    ).toEqual([]);
    expect(
      planProblems('SELECT (SELECT min(m.team_id) FROM memberships m) FROM people p', [
        { id: 1, parent: 0, detail: 'SEARCH p USING INDEX sqlite_autoindex_people_1 (workspace=?)' },
        { id: 2, parent: 0, detail: 'CORRELATED SCALAR SUBQUERY 1' },
        { id: 3, parent: 2, detail: 'SEARCH m USING COVERING INDEX sqlite_autoindex_memberships_1 (workspace=?)' },
      ]),
    ).toEqual(['a subquery per row walks memberships: SEARCH m USING COVERING INDEX sqlite_autoindex_memberships_1 (workspace=?)']);
  });
});
