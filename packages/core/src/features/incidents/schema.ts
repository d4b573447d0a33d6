import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the incidents feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * Who is on call (the bundle's `oncalls`, filled by on-call tools such as PagerDuty): one row per shift of a person at
 * a level of an escalation policy for a service. Key columns hold '' (schedule, service) and 0 (start) for "none", so
 * the key is never NULL; `end_at` NULL is a shift without end. Read by the incident brief.
 */
export const oncalls = sqliteTable(
  'oncalls',
  {
    workspace: text('workspace').notNull(),
    source: text('source').notNull(),
    escalationPolicy: text('escalation_policy').notNull(),
    escalationPolicyName: text('escalation_policy_name'),
    level: integer('level').notNull(),
    schedule: text('schedule').notNull(),
    scheduleName: text('schedule_name'),
    service: text('service').notNull(),
    teamId: text('team_id'),
    personId: text('person_id').notNull(),
    startAt: integer('start_at').notNull(),
    endAt: integer('end_at'),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.source, t.escalationPolicy, t.level, t.schedule, t.service, t.personId, t.startAt] }),
    // The brief: the shifts of an incident's service, or of its team, that began before the incident.
    index('oncalls_service_idx').on(t.workspace, t.service, t.startAt),
    index('oncalls_team_idx').on(t.workspace, t.teamId, t.startAt),
    // A person's export and erasure.
    index('oncalls_person_idx').on(t.workspace, t.personId),
  ],
);

/** An `oncalls` row as read. */
export type OncallRow = typeof oncalls.$inferSelect;
/** An `oncalls` row as written. */
export type OncallInsert = typeof oncalls.$inferInsert;
