import type { FeatureDefinition } from '../../records/feature.js';

/**
 * Signals are derived: when a person is erased, those about them or naming them go, and the next refresh finds what
 * still holds.
 */
export const signalsFeature: FeatureDefinition = {
  name: 'signals',
  person: {
    async erase(tx, { workspace, person, name }) {
      const { rowsAffected } = await tx.execute({
        sql: `DELETE FROM signals WHERE workspace = ? AND ((subject_type = 'person' AND subject_id = ?) OR instr(evidence, ?) > 0 OR instr(title, ?) > 0)`,
        args: [workspace, person, JSON.stringify(person), name ?? person],
      });
      return { signals: rowsAffected };
    },
  },
};
