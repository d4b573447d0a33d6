import { ValidationError } from '../../kernel/errors.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { toRow } from '../../kernel/store/table-spec.js';
import { upsertRows } from '../../kernel/store/upsert.js';
import { checkKnown, invalid, unknownId } from '../../records/arguments.js';
import { type Goal, type GoalInput, goalSchema } from './goal-model.js';
import { goalFromRow, goalToRow } from './goal-rows.js';
import { goalsSpec } from './table-specs.js';

/** What the stored goals are read and written through. */
export interface GoalRecordsDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
}

/** A statement runner for {@link checkKnown}. */
export function executeOn(deps: GoalRecordsDeps): (sql: string, args: InValue[]) => Promise<{ rows: readonly object[] }> {
  return (sql, args) => deps.store.execute(sql, args);
}

/** Goals, by id; only a team's or a period's when given. */
export async function listGoals(deps: GoalRecordsDeps, query: { team?: string; period?: string } = {}): Promise<Goal[]> {
  const { rows } = await deps.store.execute(
    `SELECT ${goalsSpec.select()} FROM goals WHERE workspace = ?1 AND (?2 IS NULL OR team_id = ?2) AND (?3 IS NULL OR period = ?3) ORDER BY id`,
    [deps.workspace, query.team ?? null, query.period ?? null],
  );
  return goalsSpec.rows.all(rows).map(goalFromRow);
}

/** One goal, or `undefined`. */
export async function getGoal(deps: GoalRecordsDeps, id: string): Promise<Goal | undefined> {
  const { rows } = await deps.store.execute(`SELECT ${goalsSpec.select()} FROM goals WHERE workspace = ? AND id = ?`, [deps.workspace, id]);
  const row = goalsSpec.rows.first(rows);
  return row ? goalFromRow(row) : undefined;
}

/**
 * Adds a goal, or replaces the stored goal with its id. Refused, naming the field, when it is not a goal or names an
 * unknown team, owner or parent goal; the store is left unchanged.
 */
export async function addGoal(deps: GoalRecordsDeps, input: GoalInput): Promise<Goal> {
  const parsed = goalSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('invalid_argument', 'goal', describeZodIssues(goalSchema, parsed.error.issues));
  const goal = parsed.data;
  await checkGoalReferences(deps, goal);
  const ids = new Set<string>();
  for (const [i, kr] of goal.keyResults.entries()) {
    if (ids.has(kr.id)) throw invalid(`keyResults[${i}].id: "${kr.id}" is used twice; give each key result its own id`);
    ids.add(kr.id);
  }
  await deps.store.write(async (tx) => {
    await upsertRows(tx, goalsSpec, [toRow(goalsSpec, goalToRow(deps.workspace, goal, deps.clock().getTime()))]);
  });
  return goal;
}

/** Refuses a goal naming a team, owner or parent goal nobody has. */
async function checkGoalReferences(deps: GoalRecordsDeps, goal: Goal): Promise<void> {
  const execute = executeOn(deps);
  await checkKnown(execute, deps.workspace, 'team', goal.team);
  if (goal.owner !== undefined) {
    try {
      await checkKnown(execute, deps.workspace, 'person', goal.owner);
    } catch {
      throw invalid(`owner: unknown person ${JSON.stringify(goal.owner)}; name a person id (teamstate people list)`);
    }
  }
  if (goal.parent !== undefined && goal.parent !== goal.id && !(await getGoal(deps, goal.parent)))
    throw unknownId(
      'parent',
      goal.parent,
      (await listGoals(deps)).map((g) => g.id),
      { what: 'goal' },
    );
}
