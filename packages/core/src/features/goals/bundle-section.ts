import { toRow } from '../../kernel/store/table-spec.js';
import { upsertRows } from '../../kernel/store/upsert.js';
import type { BundleSection } from '../../records/feature.js';
import { goalSchema } from './goal-model.js';
import { goalFromRow, goalToRow } from './goal-rows.js';
import { goalsSpec } from './table-specs.js';

/**
 * The bundle's `goals`: one row a goal (a stored goal with the same id is replaced). A person's export carries none
 * (a goal is the team's, not a person's).
 */
export const goalsSection: BundleSection<'goals', typeof goalSchema> = {
  list: 'goals',
  element: goalSchema,
  tables: [goalsSpec.name],
  references: (goal) => [
    { kind: 'team', id: goal.team, path: 'team' },
    { kind: 'person', id: goal.owner, path: 'owner' },
  ],
  write: (tx, workspace, items, now) =>
    upsertRows(
      tx,
      goalsSpec,
      items.map((goal) => toRow(goalsSpec, goalToRow(workspace, goal, now))),
    ),
  async read(execute, workspace, person) {
    if (person !== undefined) return [];
    const { rows } = await execute(`SELECT ${goalsSpec.select()} FROM goals WHERE workspace = ?1 ORDER BY id`, [workspace]);
    return goalsSpec.rows.all(rows).map(goalFromRow);
  },
};
