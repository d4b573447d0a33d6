import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import type { SignalSettings } from '../../spec/signal-detector.js';
import { migrations } from './migrations/index.js';
import { createPulse } from './pulse-api.js';
import { type PulseSettings, resolvePulseSettings } from './pulse-settings.js';
import * as tables from './schema.js';

/** Pulse surveys (docs/people-health.md#pulse-surveys): rounds, invitations and answers; a person's go when they are erased. */
export const pulseFeature = defineFeature({
  name: 'pulse',
  migrations,
  tables,
  // Shared comments are read by leads only: built again for each reader.
  perReader: true,
  api: (context: FeatureContext<{ pulse?: PulseSettings; signalSettings?: SignalSettings }>) =>
    createPulse({
      store: context.store,
      workspace: context.workspace,
      clock: context.writeClock,
      settings: context.options.pulse,
      timeZone: context.options.signalSettings?.workingHours?.timeZone,
      reading: context.reading,
    }),
  hooks: {
    checkOptions(options) {
      resolvePulseSettings(options.pulse);
    },
    person: {
      async erase(tx, { workspace, person }) {
        const run = async (sql: string) => (await tx.execute({ sql, args: [workspace, person] })).rowsAffected;
        const pulseAnswers = await run('DELETE FROM pulse_answers WHERE workspace = ? AND person_id = ?');
        await run('DELETE FROM pulse_invites WHERE workspace = ? AND person_id = ?');
        return { pulseAnswers };
      },
    },
  },
});
