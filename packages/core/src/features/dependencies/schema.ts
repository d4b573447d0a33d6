import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The table the dependencies feature owns (scoped by `workspace`).

/**
 * Links between work items (bundle `workItemLinks`, Jira issue links, Linear relations, GitHub dependencies and
 * sub-issues): `from` blocks `to` (`blocks`), is related to it (`relates`), or is its parent (`parent`).
 */
export const workItemLinks = sqliteTable(
  'work_item_links',
  {
    workspace: text('workspace').notNull(),
    fromId: text('from_id').notNull(),
    toId: text('to_id').notNull(),
    kind: text('kind').$type<'blocks' | 'relates' | 'parent'>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.fromId, t.toId, t.kind] }),
    // What blocks an item: its links by their `to` end.
    index('work_item_links_to_idx').on(t.workspace, t.toId, t.kind, t.fromId),
  ],
);

/** A `work_item_links` row as read. */
export type WorkItemLinkRow = typeof workItemLinks.$inferSelect;
