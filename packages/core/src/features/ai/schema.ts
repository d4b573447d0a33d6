import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the ai feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * Daily usage of AI coding tools (docs/ai-impact.md#copilot-usage): one row per day, tool and subject, where the subject is a
 * person (`person:<id>`), a team (`team:<id>`) or the whole organisation (`org`). Filled by the GitHub connector from
 * the Copilot usage-metrics reports, or by a bundle's `aiUsage`.
 */
export const aiUsage = sqliteTable(
  'ai_usage',
  {
    workspace: text('workspace').notNull(),
    day: text('day').notNull(),
    tool: text('tool').notNull(),
    /** `person:<id>`, `team:<id>` or `org`: the key that makes a later report of the same day replace the earlier. */
    subject: text('subject').notNull(),
    personId: text('person_id'),
    teamId: text('team_id'),
    activeUsers: integer('active_users').notNull(),
    interactions: integer('interactions').notNull(),
    codeGenerations: integer('code_generations').notNull(),
    acceptances: integer('acceptances').notNull(),
    linesSuggested: integer('lines_suggested').notNull(),
    linesAccepted: integer('lines_accepted').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.day, t.tool, t.subject] }),
    index('ai_usage_day_idx').on(t.workspace, t.day),
    index('ai_usage_person_idx').on(t.workspace, t.personId),
  ],
);

/** A `aiUsage` row as read. */
export type AiUsageRow = typeof aiUsage.$inferSelect;
/** A `aiUsage` row as written. */
export type AiUsageInsert = typeof aiUsage.$inferInsert;
