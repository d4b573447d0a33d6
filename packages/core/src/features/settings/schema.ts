import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the settings feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/** Workspace settings kept with the data (e.g. `approvals.localTrust` for the demo workspace). */
export const workspaceSettings = sqliteTable(
  'workspace_settings',
  {
    workspace: text('workspace').notNull(),
    key: text('key').notNull(),
    /** JSON value. */
    value: text('value').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.key] })],
);
