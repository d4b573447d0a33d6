import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The table the risks feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * The risk register (docs/hub.md#risk-register): one row per risk, written only by the `risk.create|update|close`
 * actions (through the policy) and by bundle imports.
 */
export const risks = sqliteTable(
  'risks',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    teamId: text('team_id').notNull(),
    title: text('title').notNull(),
    severity: text('severity').$type<'low' | 'medium' | 'high' | 'critical'>().notNull(),
    likelihood: text('likelihood').$type<'low' | 'medium' | 'high'>().notNull(),
    ownerId: text('owner_id'),
    mitigation: text('mitigation'),
    status: text('status').$type<'open' | 'mitigating' | 'accepted' | 'closed'>().notNull(),
    /** The day (`YYYY-MM-DD`) to look at it again. */
    reviewBy: text('review_by'),
    /** `manual`, `signal:<fingerprint>` or `incident:<id>`. */
    source: text('source').notNull(),
    /** JSON array of evidence. */
    evidence: text('evidence').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.id] }),
    index('risks_team_status_idx').on(t.workspace, t.teamId, t.status),
    index('risks_owner_idx').on(t.workspace, t.ownerId),
  ],
);

/** A `risks` row as read. */
export type RiskRow = typeof risks.$inferSelect;
/** A `risks` row as written. */
export type RiskInsert = typeof risks.$inferInsert;
