import { describe, expect, it } from 'vitest';
import { createTeamState, type TeamState } from '../src/index.js';
import { FIRST_IN_PROGRESS_AT, REFRESH_DERIVED, REFRESH_FIRST_IN_PROGRESS } from '../src/records/store/derived-columns.js';

// Every write of work items recomputes their derived columns for a few hundred ids per statement: each statement must
// seek those items (and their reviews or transitions) by key, never walk the workspace. On a large workspace a walk
// per statement turns an import into hours (the planner has no statistics and prefers walking a covering index).

/** The walks in a statement's plan: a table scanned, or an index walked over the whole workspace. */
async function walks(ts: TeamState, sql: string): Promise<string[]> {
  const plan = (await ts.store.execute(`EXPLAIN QUERY PLAN ${sql}`)).rows.map((row) => String(row.detail));
  return plan.filter((detail) => /^SCAN (work_items|transitions|reviews)\b/.test(detail) || /INDEX \S+ \(workspace=\?\)$/.test(detail));
}

describe('derived-column refresh plans', () => {
  const items = "workspace = 'default' AND id IN ('a', 'b', 'c')";

  it('seek the given items by key', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    expect(await walks(ts, REFRESH_DERIVED(items))).toEqual([]);
    expect(await walks(ts, REFRESH_FIRST_IN_PROGRESS(items))).toEqual([]);
    await ts.close();
  });

  it('tells the walk that a single WHERE over the derived column gets (the check itself)', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const naive = `UPDATE work_items SET first_in_progress_at = ${FIRST_IN_PROGRESS_AT} WHERE ${items} AND first_in_progress_at IS NOT ${FIRST_IN_PROGRESS_AT}`;
    expect(await walks(ts, naive)).toHaveLength(1);
    await ts.close();
  });
});
