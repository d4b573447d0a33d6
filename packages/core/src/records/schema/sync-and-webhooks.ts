import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// How records arrive: the connectors' sync cursors and leases, and the queue of webhook deliveries.

export const syncCursors = sqliteTable(
  'sync_cursors',
  {
    workspace: text('workspace').notNull(),
    connector: text('connector').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.connector, t.key] })],
);

/**
 * One row per connector that ever synced or was scheduled: the sync lease (`serve` syncs a connector in one process at a
 * time: the holder renews it while it syncs, another process takes it over once it expired) and how the last sync ended.
 */
export const syncSources = sqliteTable(
  'sync_sources',
  {
    workspace: text('workspace').notNull(),
    connector: text('connector').notNull(),
    /** Who holds the lease (a process id chosen by the scheduler); NULL when free. */
    leaseHolder: text('lease_holder'),
    /** When the lease lapses unless renewed (epoch ms); a lapsed lease may be taken by anyone. */
    leaseExpiresAt: integer('lease_expires_at'),
    /** When the last sync of the connector ended (epoch ms), whatever its outcome. */
    lastSyncAt: integer('last_sync_at'),
    /** 1 when the last sync succeeded, 0 when it failed. */
    lastSyncOk: integer('last_sync_ok'),
    /** Why the last sync failed (redacted: never a secret). */
    lastError: text('last_error'),
    /** How long the last sync took, in milliseconds. */
    lastDurationMs: integer('last_duration_ms'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.connector] })],
);

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    workspace: text('workspace').notNull(),
    provider: text('provider').notNull(),
    deliveryId: text('delivery_id').notNull(),
    event: text('event').notNull(),
    receivedAt: integer('received_at').notNull(),
    /** `queued`, `retrying`, `failed` (gave up: replay with `webhooks retry`), `processed`, `ignored`. */
    status: text('status').$type<'queued' | 'retrying' | 'failed' | 'processed' | 'ignored'>().notNull(),
    /** The delivery's headers as JSON (lower-case names; credentials such as `authorization` left out); NULL on rows stored before the queue. */
    headers: text('headers'),
    /** The raw body as received (UTF-8); NULL on rows stored before the queue. */
    body: text('body'),
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due (also the lease of an attempt in progress); NULL once done or given up. */
    nextAttemptAt: integer('next_attempt_at'),
    /** Why the last attempt failed or was incomplete (never a secret). */
    lastError: text('last_error'),
    /** When the delivery was last attempted. */
    attemptedAt: integer('attempted_at'),
  },
  (t) => [
    primaryKey({ columns: [t.workspace, t.provider, t.deliveryId] }),
    index('webhook_deliveries_due_idx').on(t.workspace, t.status, t.nextAttemptAt),
  ],
);
