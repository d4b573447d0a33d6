import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the signals feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

export const signals = sqliteTable(
  'signals',
  {
    workspace: text('workspace').notNull(),
    fingerprint: text('fingerprint').notNull(),
    kind: text('kind').notNull(),
    severity: text('severity').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    teamId: text('team_id'),
    title: text('title').notNull(),
    evidence: text('evidence').notNull(),
    status: text('status').notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    /**
     * When last seen: for a resolved signal, the last refresh that found it; for an open one, the refresh that last
     * changed its row (the refresh of its kind's `signal_detector_runs.seen_at` has seen it since: what `list()` shows).
     */
    lastSeenAt: integer('last_seen_at').notNull(),
    resolvedAt: integer('resolved_at'),
    /** Who acknowledged the signal (a person id; `ts.signals.ack`), cleared when a resolved signal opens again. */
    ackedBy: text('acked_by'),
    ackedAt: integer('acked_at'),
    /** Nudges wait until then (`ts.signals.snooze`), cleared when a resolved signal opens again. */
    snoozedUntil: integer('snoozed_until'),
    /** The person who owns acting on it: whoever acknowledged it, unless someone else was named. */
    owner: text('owner'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.fingerprint] }), index('signals_status_idx').on(t.workspace, t.status, t.kind)],
);

/**
 * A change counter per workspace and table, bumped by triggers (hand-written in migration 0021) on every insert,
 * update and delete of the tables signal detectors read, in the transaction of the write: an incremental
 * `ts.signals.refresh()` compares them with those of a detector's last run.
 */
export const changeCounters = sqliteTable(
  'change_counters',
  {
    workspace: text('workspace').notNull(),
    tableName: text('table_name').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.tableName] })],
);

/**
 * The inputs of each detector's last run (`ts.signals.refresh()`): the change counters of the tables it reads, its
 * settings, the working hours, the now of a time-driven detector. Equal inputs, same signals: the run is skipped.
 */
export const signalDetectorRuns = sqliteTable(
  'signal_detector_runs',
  {
    workspace: text('workspace').notNull(),
    kind: text('kind').notNull(),
    /** The inputs as canonical JSON (empty for a detector that declares no incremental inputs: it always runs). */
    inputs: text('inputs').notNull(),
    ranAt: integer('ran_at').notNull(),
    /**
     * The now of the last refresh that ran or skipped the detector: when its open signals were last seen. A refresh
     * writes only the signals rows that change, so an open signal's own `last_seen_at` is when its content last changed
     * and `ts.signals.list()` reads this instead (NULL before migration 0028: the row's own then).
     */
    seenAt: integer('seen_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.kind] })],
);

/** A `signals` row as read. */
export type SignalRow = typeof signals.$inferSelect;
