import { primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the forecasts feature owns (scoped by `workspace`).

/** Absences (config or bundle `absences`): a person away from `from_day` to `to_day`, both inclusive. */
export const absences = sqliteTable(
  'absences',
  {
    workspace: text('workspace').notNull(),
    personId: text('person_id').notNull(),
    fromDay: text('from_day').notNull(),
    toDay: text('to_day').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.personId, t.fromDay] })],
);

/** An `absences` row as read. */
export type AbsenceRow = typeof absences.$inferSelect;
/** An `absences` row as written. */
export type AbsenceInsert = typeof absences.$inferInsert;
