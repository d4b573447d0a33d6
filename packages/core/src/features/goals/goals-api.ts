import type { Goal, GoalInput } from './goal-model.js';
import { type GoalsDeps, type GoalsProgress, type GoalsProgressQuery, goalsProgress } from './goal-progress.js';
import { addGoal, getGoal, listGoals } from './goal-records.js';

export type { GoalRowRef } from './goal-numbers.js';
export {
  type AllocationShare,
  type ComputeMetric,
  type CountedWork,
  type GoalProgress,
  type GoalsProgress,
  type GoalsProgressQuery,
  type KeyResultProgress,
  quarterOf,
} from './goal-progress.js';

/** `ts.goals`. */
export interface GoalsApi {
  /** Goals, by id; only a team's or a period's when given. */
  list(query?: { team?: string; period?: string }): Promise<Goal[]>;
  /** One goal, or `undefined`. */
  get(id: string): Promise<Goal | undefined>;
  /**
   * Adds a goal, or replaces the stored goal with its id. Refused, naming the field, when it is not a goal or names an
   * unknown team, owner or parent goal; the store is left unchanged.
   * @example await ts.goals.add({ id: 'faster-checkout', title: 'Faster checkout', team: 'payments', period: '2026-Q4', links: [{ kind: 'epic', ref: 'PAY-1' }] })
   */
  add(goal: GoalInput): Promise<Goal>;
  /**
   * Progress of one goal (by id), or of every goal of a team and period (`{ team, period }`; without `team`, the whole
   * workspace's): linked work done, in progress and left, key results against their targets, and the allocation of
   * merged pull requests and done points per goal plus `unlinked`. `explain: true` adds the rows behind every number. A
   * goal of a team counts its team's work only.
   * @example const progress = await ts.goals.progress({ team: 'payments', period: '2026-Q4' })
   * @example const explained = await ts.goals.progress('faster-checkout', { explain: true })
   */
  progress(query: string | GoalsProgressQuery, options?: { explain?: boolean }): Promise<GoalsProgress>;
}

/** Builds `ts.goals`. */
export function createGoalsApi(deps: GoalsDeps): GoalsApi {
  return {
    list: (query) => listGoals(deps, query),
    get: (id) => getGoal(deps, id),
    add: (goal) => addGoal(deps, goal),
    progress: (query, options) => goalsProgress(deps, query, options),
  };
}
