// No trigger keeps a person's activity on write any more: person_activity is gone (its readers read work_items,
// reviews, transitions and work_item_assignees), so a written item or review costs no activity row in any import
// or sync, and nothing in the schema names the table.
import { createTeamState, type TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let ts: TeamState;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:' });
});
afterAll(() => ts.close());

describe('person activity on write', () => {
  it('is kept by no trigger, table or index', async () => {
    const { rows } = await ts.store.execute(
      "SELECT type, name FROM sqlite_master WHERE name LIKE 'person_activity%' OR tbl_name = 'person_activity' OR sql LIKE '%person_activity%'",
    );
    expect(rows.map((row) => `${String(row.type)} ${String(row.name)}`)).toEqual([]);
  });
});
