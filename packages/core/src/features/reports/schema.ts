import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// The tables the reports feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * Daily reports (docs/daily-reports.md): one per person and local day. The full-text index `reports_fts` (FTS5,
 * hand-written in migration 0010, its rowid `doc_id`) is kept in step with this table by triggers, in the same
 * transaction as every write.
 */
export const reports = sqliteTable(
  'reports',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    /** The row of the report in `reports_fts` (stable, unlike SQLite's implicit rowid, which VACUUM may renumber). */
    docId: integer('doc_id').notNull(),
    personId: text('person_id').notNull(),
    /** The person's local day, `YYYY-MM-DD`. */
    day: text('day').notNull(),
    /** Markdown, at most 20,000 characters. */
    text: text('text').notNull(),
    blockers: text('blockers'),
    /** mcp | cli | slack | api | import. */
    source: text('source').$type<'mcp' | 'cli' | 'slack' | 'api' | 'import'>().notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
    uniqueIndex('reports_person_day_idx').on(t.workspace, t.personId, t.day),
    uniqueIndex('reports_doc_idx').on(t.docId),
    // Lists of a team or the whole workspace, newest day first.
    index('reports_day_idx').on(t.workspace, t.day),
    // Signals (person.blocked_streak): the days someone reported a blocker, from the index alone.
    index('reports_blocked_day_idx').on(t.workspace, t.day, t.personId).where(sql`trim(COALESCE(blockers, '')) <> ''`),
  ],
);

/** The earlier texts of a report whose day was submitted again (`seq` 1 is the first text). */
export const reportRevisions = sqliteTable(
  'report_revisions',
  {
    workspace: text('workspace').notNull(),
    reportId: text('report_id').notNull(),
    seq: integer('seq').notNull(),
    text: text('text').notNull(),
    blockers: text('blockers'),
    source: text('source').notNull(),
    /** When this text was written (the report's `updated_at` then). */
    createdAt: integer('created_at').notNull(),
    /** When a newer text replaced it. */
    replacedAt: integer('replaced_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.reportId, t.seq] })],
);

/**
 * Daily report reminders sent (`ts.reports.reminders`): one row per person and local day, claimed before the
 * DM is proposed, so a person is never reminded twice for a day, by a restarted or a second `teamstate serve`.
 */
export const reportReminders = sqliteTable(
  'report_reminders',
  {
    workspace: text('workspace').notNull(),
    personId: text('person_id').notNull(),
    /** The person's local day the reminder is for, `YYYY-MM-DD`. */
    day: text('day').notNull(),
    /** When it was claimed (epoch ms, the injected clock). */
    sentAt: integer('sent_at').notNull(),
    /** The approval of the DM (`slack.dm.send`), once proposed. */
    approvalId: text('approval_id'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.personId, t.day] })],
);

/** A `reports` row as read. */
export type ReportRow = typeof reports.$inferSelect;
/** A `report_revisions` row as read. */
export type ReportRevisionRow = typeof reportRevisions.$inferSelect;

// Tables this feature keeps that drizzle does not declare: the reports' full-text index (migration 0010, by triggers).
// owned-tables: reports_fts
