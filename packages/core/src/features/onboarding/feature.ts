import { freeTextRedactor } from '../../kernel/text/redact-pii.js';
import { readingRules } from '../../records/identity/viewer.js';
import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { DEFAULT_WORKING_HOURS } from '../../services/working-hours/index.js';
import type { SignalSettings } from '../../spec/signal-detector.js';
import { migrations } from './migrations/index.js';
import { createOnboardingApi, type OnboardingDeps } from './onboarding-api.js';
import * as tables from './schema.js';

/** Onboarding: the messages proposed for a new hire go when they are erased. */
export const onboardingFeature = defineFeature({
  name: 'onboarding',
  migrations,
  tables,
  api: (context: FeatureContext<{ signalSettings?: SignalSettings }, { knowledge: Pick<OnboardingDeps, 'search' | 'whoKnows'> }>) =>
    createOnboardingApi({
      store: context.store,
      workspace: context.workspace,
      clock: context.clock,
      workingHours: { ...DEFAULT_WORKING_HOURS, ...context.options.signalSettings?.workingHours },
      approvers: readingRules(context.policy.document).approvers,
      search: (query, options) => context.facade().knowledge.search(query, options),
      whoKnows: (topic, options) => context.facade().knowledge.whoKnows(topic, options),
      propose: (proposal) => context.actions.propose(proposal),
      redact: freeTextRedactor(context.policy.piiRedaction),
    }),
  hooks: {
    person: {
      async erase(tx, { workspace, person }) {
        await tx.execute({
          sql: 'DELETE FROM onboarding_messages WHERE workspace = ?1 AND (person_id = ?2 OR recipient_id = ?2)',
          args: [workspace, person],
        });
        return {};
      },
    },
  },
});
