import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the goals feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * Goals (docs/plans.md#goals): from config, the bundle's `goals` or `teamstate goals add`. Key results and links are
 * JSON arrays: a goal is read and written whole.
 */
export const goals = sqliteTable(
  'goals',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    title: text('title').notNull(),
    teamId: text('team_id'),
    parent: text('parent'),
    period: text('period').notNull(),
    ownerId: text('owner_id'),
    /** JSON array of `{ id, title, metric?, progress? }`. */
    keyResults: text('key_results').notNull(),
    /** JSON array of `{ kind, ref }`. */
    links: text('links').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] })],
);

/** A `goals` row as read. */
export type GoalRow = typeof goals.$inferSelect;
/** A `goals` row as written. */
export type GoalInsert = typeof goals.$inferInsert;
