// The cost of standup_digest, found with the query planner: what a team's members did is sought by member (their
// reviews, their assignments' transitions, their merges in the window), never by walking the whole organisation's
// window or every blocked item. At 10,000 engineers the organisation's one-day windows took 50-650 ms per statement.
import type { TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { standupDigest } from '../src/index.js';
import { at, issue, open, pullRequest, transition } from './fixtures.js';
import { planOf, planProblems } from './helpers/query-plans.js';

let ts: TeamState;
beforeAll(async () => {
  ts = await open({
    workItems: [
      pullRequest(1, { createdAt: at(9), mergedAt: at(10, 2), reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: at(10, 1) }] }),
      issue(1, {
        createdAt: at(1),
        state: 'Blocked',
        flagged: true,
        assignees: ['ana'],
        transitions: [transition(at(10, 3), 'In Progress', 'Blocked', 'in_progress', 'in_progress')],
      }),
    ],
  });
});
afterAll(() => ts.close());

/** Every statement standupDigest runs, with its plan. */
async function statements() {
  const execute = vi.spyOn(ts.store, 'execute');
  await standupDigest(ts, { team: 'payments', since: at(10) });
  const calls = execute.mock.calls.filter(([sql]) => typeof sql === 'string');
  execute.mockRestore();
  return Promise.all(
    calls.map(async ([sql, args]) => {
      const plan = await planOf(ts.store, sql as string, args);
      return { sql: sql as string, plan, text: plan.map((row) => row.detail).join('\n') };
    }),
  );
}

describe('standup_digest query plans', () => {
  it('seeks each member’s reviews, assignments and merges instead of the organisation’s window', async () => {
    const all = await statements();
    const of = (pattern: RegExp) => {
      const found = all.filter(({ sql }) => pattern.test(sql));
      expect(found, String(pattern)).toHaveLength(1);
      return found[0]!.text;
    };
    // Reviews by the members in the window: one range of the reviewer index per member.
    expect(of(/FROM reviews v/)).toContain(
      'SEARCH v USING INDEX reviews_reviewer_idx (workspace=? AND reviewer_id=? AND submitted_at>? AND submitted_at<?)',
    );
    // Moves: the members' assignments, then each item's few transitions by the primary key, kept in the window.
    const moved = of(/FROM work_item_assignees a\s+CROSS JOIN transitions t/);
    expect(moved).toContain('SEARCH a USING COVERING INDEX work_item_assignees_person_idx (workspace=? AND person_id=?)');
    expect(moved).toContain('SEARCH t USING PRIMARY KEY (workspace=? AND work_item_id=?)');
    expect(moved).not.toContain('transitions_at_idx');
    // Merges: the window's range of the narrow merged-PR-by-author index, with the author in it.
    expect(of(/merged_at >= \?/)).toContain('USING INDEX work_items_pr_merged_author_idx (workspace=? AND merged_at>? AND merged_at<?)');
    // Blocked: the members' assignments, never every blocked or flagged item of the workspace.
    const blocked = of(/flagged = 1/);
    expect(blocked).toContain('SEARCH a USING COVERING INDEX work_item_assignees_person_idx (workspace=? AND person_id=?)');
    expect(blocked).not.toMatch(/work_items_lower_state_idx|work_items_flagged_idx/);
    for (const { sql, plan } of all) expect(planProblems(sql, plan), sql).toEqual([]);
  });
});
