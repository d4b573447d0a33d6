import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import { costNearDetector } from '../../services/spend/index.js';
import type { SignalDetector, SignalSettings } from '../../spec/signal-detector.js';
import { migrations } from './migrations/index.js';
import { resolvedSignalsRetention } from './retention-part.js';
import * as tables from './schema.js';
import { createSignalsApi } from './signals-api.js';

const costDetectors = (capUsd: number | undefined) => (capUsd === undefined ? [] : [costNearDetector(capUsd)]);

/**
 * Signals are derived: retention archives resolved ones, and clearing the records clears them. When a person is
 * erased, those about them or naming them go, and the next refresh finds what still holds.
 */
export const signalsFeature = defineFeature({
  name: 'signals',
  migrations,
  tables,
  perReader: true,
  api: (context: FeatureContext<{ signals?: readonly SignalDetector[]; signalSettings?: SignalSettings }>) =>
    createSignalsApi({
      store: context.store,
      workspace: context.workspace,
      clock: context.clock,
      writeClock: context.writeClock,
      // limits.cost_near comes with the policy's cost cap.
      detectors: [...(context.options.signals ?? []), ...costDetectors(context.policy.limits.max_monthly_cost_usd)],
      settings: context.options.signalSettings,
      policy: context.policy.document,
      reading: context.reading,
    }),
  hooks: {
    retention: [resolvedSignalsRetention],
    async onRecordsCleared(tx, workspace) {
      await tx.execute({ sql: 'DELETE FROM signals WHERE workspace = ?', args: [workspace] });
    },
    person: {
      async erase(tx, { workspace, person, name }) {
        const { rowsAffected } = await tx.execute({
          sql: `DELETE FROM signals WHERE workspace = ? AND ((subject_type = 'person' AND subject_id = ?) OR instr(evidence, ?) > 0 OR instr(title, ?) > 0)`,
          args: [workspace, person, JSON.stringify(person), name ?? person],
        });
        // Acknowledgements and ownership they held on signals about others are forgotten (the signal stays).
        await tx.execute({
          sql: 'UPDATE signals SET acked_by = NULL, acked_at = NULL WHERE workspace = ? AND acked_by = ?',
          args: [workspace, person],
        });
        await tx.execute({ sql: 'UPDATE signals SET owner = NULL WHERE workspace = ? AND owner = ?', args: [workspace, person] });
        return { signals: rowsAffected };
      },
    },
  },
});
