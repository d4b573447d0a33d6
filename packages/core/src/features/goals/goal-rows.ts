import { compact } from '../../kernel/store/row-mapping.js';
import { opt } from '../../records/store/records.js';
import type { Goal, GoalLink, KeyResult } from './goal-model.js';
import type { GoalInsert, GoalRow } from './schema.js';

/** Maps a goal to its `goals` row. */
export const goalToRow = (workspace: string, goal: Goal, now: number): GoalInsert => ({
  workspace,
  id: goal.id,
  title: goal.title,
  teamId: goal.team,
  parent: goal.parent,
  period: goal.period,
  ownerId: goal.owner,
  keyResults: JSON.stringify(goal.keyResults),
  links: JSON.stringify(goal.links),
  updatedAt: now,
});

/** Maps a `goals` row. */
export const goalFromRow = (row: GoalRow): Goal =>
  compact({
    id: row.id,
    title: row.title,
    team: opt(row.teamId),
    parent: opt(row.parent),
    period: row.period,
    owner: opt(row.ownerId),
    keyResults: JSON.parse(row.keyResults) as KeyResult[],
    links: JSON.parse(row.links) as GoalLink[],
  }) as Goal;
