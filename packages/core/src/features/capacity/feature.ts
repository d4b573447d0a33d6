import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import type { SignalSettings } from '../../spec/signal-detector.js';
import { type CapacityApi, planCapacity } from './capacity-api.js';

/**
 * Capacity: available days, expected throughput and a verdict per sprint; it owns no table. Built per reader: who
 * may see whose absences follows the wellbeing rule.
 */
export const capacityFeature = defineFeature({
  name: 'capacity',
  perReader: true,
  api: (context: FeatureContext<{ signalSettings?: SignalSettings }>): CapacityApi => {
    // The team's days follow the workspace's clock, as its working hours do.
    const timeZone = context.options.signalSettings?.workingHours?.timeZone ?? 'UTC';
    const deps = { store: context.store, workspace: context.workspace, clock: context.clock, reading: context.reading, timeZone };
    return { plan: (query) => planCapacity(deps, query) };
  },
});
