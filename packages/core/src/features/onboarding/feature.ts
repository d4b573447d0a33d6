import { defineFeature } from '../../records/feature.js';

/** Onboarding: the messages proposed for a new hire go when they are erased. */
export const onboardingFeature = defineFeature({
  name: 'onboarding',
  person: {
    async erase(tx, { workspace, person }) {
      await tx.execute({
        sql: 'DELETE FROM onboarding_messages WHERE workspace = ?1 AND (person_id = ?2 OR recipient_id = ?2)',
        args: [workspace, person],
      });
      return {};
    },
  },
});
