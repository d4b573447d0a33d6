// The capacity feature's public face: exactly the names @teamstate/core exports from it.

export type { CapacityApi, CapacityPlan, CapacityQuery } from './capacity-api.js';
export { type Query as CapacityQueryRunner, type SprintFacts, sprintsStarted, sprintWindow } from './capacity-facts.js';
export type { Throughput, Verdict } from './capacity-model.js';
export { type PlanFigures, type PlanInput, planFigures } from './capacity-plan.js';
