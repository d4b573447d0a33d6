import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the privacy feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * Per-person opt-outs (docs/cli-governance.md#people): a row means the person does not want `kind` (`reminders`, `surveys`, `leaderboard`,
 * `wellbeing` signals). `source` says who set it: `config` (`people[].optOut`, replaced as the config changes) or
 * `person` (`teamstate people opt-out`, `ts.people.optOut`).
 */
export const personOptOuts = sqliteTable(
  'person_opt_outs',
  {
    workspace: text('workspace').notNull(),
    personId: text('person_id').notNull(),
    kind: text('kind').$type<'reminders' | 'surveys' | 'wellbeing'>().notNull(),
    source: text('source').$type<'config' | 'person'>().notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.personId, t.kind, t.source] })],
);
