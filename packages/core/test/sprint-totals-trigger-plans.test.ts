// The sprint_totals triggers on work_items and transitions (migrations 0030, 0035) run once per written row: each of
// their statements must seek the written item's rows, never walk a table, the workspace's committed items or its
// sprints (found with the query planner, not timing; `pnpm bench scale` measures a sync into the 10,000-engineer
// organisation). Before 0035, one written Jira issue walked every committed item and every sprint of the workspace.
import { createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triggerStatements as statementsOf, triggerPlans } from './helpers/trigger-statements.js';

let ts: TeamState;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:' });
});
afterAll(() => ts.close());

const triggerStatements = () => statementsOf(ts, 'sprint_totals_%', ['work_items', 'transitions']);

describe('the sprint_totals triggers', () => {
  it('are the nine on items and transitions', async () => {
    expect(new Set((await triggerStatements()).map((s) => s.trigger)).size).toBe(9);
  });

  it('seek the written item, its committed sprints and those sprints: no scan, no automatic index, no walk of the workspace', async () => {
    const plans = await triggerPlans(ts, 'sprint_totals_%', ['work_items', 'transitions']);
    const bad = plans.filter(({ step }) => /^SCAN (?!CONSTANT|m$)|AUTOMATIC|\(workspace=\?\)$/.test(step));
    expect(bad).toEqual([]);
    // The item's committed sprints come from the item index.
    expect(plans.filter(({ step }) => step.includes('sprint_committed_items_item_idx')).length).toBeGreaterThanOrEqual(9);
  });
});
