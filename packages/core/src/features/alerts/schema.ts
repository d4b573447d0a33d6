import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the alerts feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * Personal alerts sent: one row per event and recipient (`review:<pr>:<ready>` a requested review that waited,
 * `ci:<pr>:<sha>` a failed CI run, `digest:<team>:<day>` a team digest), written before the message is proposed, so
 * an event is alerted once across restarts of `serve` and between processes.
 */
export const alertsSent = sqliteTable(
  'alerts_sent',
  {
    workspace: text('workspace').notNull(),
    event: text('event').notNull(),
    recipient: text('recipient').notNull(),
    kind: text('kind').notNull(),
    sentAt: integer('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.event, t.recipient] })],
);

/** People who turned their alerts off (`teamstate alerts off --person <id>`). */
export const alertsMuted = sqliteTable(
  'alerts_muted',
  {
    workspace: text('workspace').notNull(),
    personId: text('person_id').notNull(),
    mutedAt: integer('muted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.personId] })],
);
