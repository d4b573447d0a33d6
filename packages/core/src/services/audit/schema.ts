import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the audit feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

export const auditEvents = sqliteTable(
  'audit_events',
  {
    workspace: text('workspace').notNull(),
    seq: integer('seq').notNull(),
    at: integer('at').notNull(),
    type: text('type').notNull(),
    approvalId: text('approval_id'),
    actor: text('actor').notNull(),
    data: text('data').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.seq] }), index('audit_events_approval_idx').on(t.workspace, t.approvalId)],
);
