import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { DEFAULT_WORKING_HOURS } from '../../services/working-hours/index.js';
import type { SignalSettings } from '../../spec/signal-detector.js';
import { createOncall, type OncallLoadReader } from './oncall-health.js';

/** On-call health (docs/oncall-health.md): load figures from the incidents feature's shifts and the incidents. */
export const oncallFeature = defineFeature({
  name: 'oncall',
  // Person-level figures: built again for each reader, under the wellbeing rule.
  perReader: true,
  api: (context: FeatureContext<{ signalSettings?: SignalSettings }, { incidents: OncallLoadReader }>) =>
    createOncall({
      store: context.store,
      workspace: context.workspace,
      clock: context.clock,
      workingHours: { ...DEFAULT_WORKING_HOURS, ...context.options.signalSettings?.workingHours },
      reading: context.reading,
      incidents: () => context.facade().incidents,
    }),
});
