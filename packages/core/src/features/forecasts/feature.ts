import { tableSection } from '../../records/bundle/table-section.js';
import { defineFeature, type FeatureContext } from '../../services/feature-kit/index.js';
import type { Absence } from './absence-model.js';
import { absenceSchema } from './absence-model.js';
import { storeDeclaredAbsences } from './declared-absences.js';
import { createForecastApi } from './forecast-api.js';
import { migrations } from './migrations/index.js';
import * as tables from './schema.js';
import { absencesSpec } from './table-specs.js';

/** The bundle's `absences`: one row per person and first day. */
export const absencesSection = tableSection({
  list: 'absences',
  element: absenceSchema,
  spec: absencesSpec,
  orderBy: 'person_id, from_day',
  references: (absence) => [{ kind: 'person', id: absence.person, path: 'person' }],
  toRow: (workspace, absence) => ({ workspace, personId: absence.person, fromDay: absence.from, toDay: absence.to }),
  fromRow: (row) => ({ person: row.personId, from: row.fromDay, to: row.toDay }),
});

/** Forecasts: the bundle's `absences`; an erased person's absences go with them. */
export const forecastFeature = defineFeature({
  name: 'forecast',
  migrations,
  tables,
  api: (context: FeatureContext<{ absences?: readonly Absence[] }>) =>
    createForecastApi({ store: context.store, workspace: context.workspace, clock: context.clock }),
  hooks: {
    // Absences declared in configuration are stored as the database opens; forecasts count them out.
    async onOpen(context) {
      const { absences } = context.options;
      if (absences?.length) await storeDeclaredAbsences(context.store, context.workspace, absences);
    },
    person: {
      async erase(tx, { workspace, person }) {
        const { rowsAffected } = await tx.execute({
          sql: 'DELETE FROM absences WHERE workspace = ? AND person_id = ?',
          args: [workspace, person],
        });
        return { absences: rowsAffected };
      },
    },
  },
  bundle: { lists: [absencesSection] },
});
