// The allocation feature's public face: exactly the names @teamstate/core exports from it.

export type { Allocation, AllocationPart, AllocationPeriod, AllocationQuery, AllocationType } from './allocation-api.js';
export type { AllocationApi, AllocationOptions } from './feature.js';
export { type WorkTypeRule, workTypeRuleSchema } from './work-types.js';
