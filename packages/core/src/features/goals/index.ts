// The goals feature's public face: exactly the names @teamstate/core exports from it.

export * from './goal-model.js';
export type {
  AllocationShare,
  CountedWork,
  GoalProgress,
  GoalRowRef,
  GoalsApi,
  GoalsProgress,
  GoalsProgressQuery,
  KeyResultProgress,
} from './goals-api.js';
