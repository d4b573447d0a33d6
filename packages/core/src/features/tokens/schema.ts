import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the tokens feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/** Per-person API tokens (MCP over HTTP, CLI decisions): only the sha256 of a token is stored. */
export const tokens = sqliteTable(
  'tokens',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    personId: text('person_id').notNull(),
    /** JSON array of scopes: read, propose, write, decide. */
    scopes: text('scopes').notNull(),
    /** sha256 (hex) of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('tokens_hash_idx').on(t.tokenHash)],
);
