// The person_activity triggers (migrations 0039 and 0069) on work_items and reviews run once per written row, in every
// import and sync: each of their statements must seek the written row's item (its reviews, activity rows), never walk a
// table or the workspace (found with the query planner, not
// timing; `pnpm bench scale` measures the import and a sync into the 10,000-engineer organisation).
import { createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triggerPlans, triggerStatements } from './helpers/trigger-statements.js';

let ts: TeamState;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:' });
});
afterAll(() => ts.close());

const statements = () => triggerStatements(ts, 'person_activity_%', ['work_items', 'reviews', 'transitions', 'work_item_assignees']);

describe('the person_activity triggers', () => {
  it('are the six on items and reviews (none on transitions or assignees: moves are not kept), each with its statements', async () => {
    const all = await statements();
    expect([...new Set(all.map((s) => s.trigger))].sort()).toEqual([
      'person_activity_item_delete',
      'person_activity_item_insert',
      'person_activity_item_update',
      'person_activity_review_delete',
      'person_activity_review_insert',
      'person_activity_review_update',
    ]);
    // An update deletes the old rows and adds the new ones: its WHEN, a DELETE and an INSERT.
    expect(all.filter((s) => s.trigger === 'person_activity_item_update').map((s) => s.sql.split(/\s/)[0])).toEqual([
      'SELECT',
      'DELETE',
      'INSERT',
    ]);
  });

  it('seek the written row’s item: no scan, no automatic index, no walk of the workspace', async () => {
    const plans = await triggerPlans(ts, 'person_activity_%', ['work_items', 'reviews', 'transitions', 'work_item_assignees']);
    const bad = plans.filter(({ step }) => /^SCAN (?!CONSTANT)|AUTOMATIC|\(workspace=\?\)$/.test(step));
    expect(bad).toEqual([]);
    expect(plans.filter(({ step }) => step.startsWith('SEARCH')).length).toBeGreaterThanOrEqual(8);
  });
});
