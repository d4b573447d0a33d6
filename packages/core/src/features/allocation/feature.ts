import { TeamStateError } from '../../kernel/errors.js';
import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import type { SignalSettings } from '../../spec/signal-detector.js';
import { type Allocation, type AllocationQuery, allocation } from './allocation-api.js';
import { compileRules, type WorkTypeRule, workTypeRuleSchema } from './work-types.js';

/** The options allocation reads: config `workTypes`, tried before the built-in rules. */
export interface AllocationOptions {
  workTypes?: readonly WorkTypeRule[];
}

/** `ts.allocation(query)`: where a team's effort went by work type (docs/allocation.md). */
export type AllocationApi = (query?: AllocationQuery) => Promise<Allocation>;

/** Checks `workTypes`: one message naming the rule's field and the fix. */
function checkWorkTypes(workTypes: unknown): void {
  if (workTypes === undefined) return;
  if (!Array.isArray(workTypes)) throw new TeamStateError('invalid_config', 'workTypes: expected a list of { type, when }');
  workTypes.forEach((rule, i) => {
    const parsed = workTypeRuleSchema.safeParse(rule);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = issue.path.map(String).join('.');
      throw new TeamStateError('invalid_config', `workTypes[${i}]${path ? `.${path}` : ''}: ${issue.message}`);
    }
  });
  compileRules(workTypes as WorkTypeRule[]);
}

/** Allocation: effort per work type, from people's activity; it owns no table. */
export const allocationFeature = defineFeature({
  name: 'allocation',
  api: (context: FeatureContext<AllocationOptions & { signalSettings?: SignalSettings }>): AllocationApi => {
    const configured = context.options.workTypes ?? [];
    const rules = compileRules(configured);
    const types = [...new Set(configured.map((rule) => rule.type))];
    // A person without a time zone of their own keeps the workspace's, as their working hours do.
    const timeZone = context.options.signalSettings?.workingHours?.timeZone ?? 'UTC';
    const deps = { store: context.store, workspace: context.workspace, clock: context.clock, timeZone };
    return (query) => allocation(deps, rules, types, query);
  },
  hooks: { checkOptions: (options) => checkWorkTypes(options.workTypes) },
});
