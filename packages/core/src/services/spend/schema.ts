import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The table the spend service owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/**
 * The spend ledger: one row per paid call teamstate made itself (an embedding request to a priced embedder, an action
 * whose connector declares a cost), with its month (`YYYY-MM`, UTC) so a month's total is one indexed sum.
 */
export const spend = sqliteTable(
  'spend',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    /** The month of `at`, `YYYY-MM` in UTC. */
    month: text('month').notNull(),
    at: integer('at').notNull(),
    /** `embedding` or `action`. */
    kind: text('kind').notNull(),
    /** What was paid for: the embedder's id, or the action type. */
    source: text('source').notNull(),
    /** Tokens of an embedding call (the API's usage.total_tokens); null for an action. */
    units: integer('units'),
    usd: real('usd').notNull(),
    /** The approval an action's cost belongs to. */
    approvalId: text('approval_id'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('spend_month_idx').on(t.workspace, t.month)],
);
