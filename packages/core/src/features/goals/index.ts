// The goals feature's door: the facade's `ts.goals` and its definition.
export { goalsFeature } from './feature.js';
export {
  type AllocationShare,
  type ComputeMetric,
  type CountedWork,
  createGoalsApi,
  type GoalProgress,
  type GoalRowRef,
  type GoalsApi,
  type GoalsProgress,
  type GoalsProgressQuery,
  type KeyResultProgress,
  quarterOf,
} from './goals-api.js';
