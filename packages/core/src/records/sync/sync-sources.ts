import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { sql } from '../../kernel/store/sql.js';
import { createStoreReader } from '../../kernel/store/store-reader.js';

/**
 * The sync lease of one connector (`ts.syncLease(connector, …)`): at most one process syncs a connector at a time. The
 * holder renews it while it syncs and releases it after; a holder that dies stops renewing, and once the lease expired
 * any other process takes it over.
 */
export interface SyncLease {
  /** True when this holder has the lease now. */
  readonly acquired: boolean;
  /** Who holds it, when someone else does. */
  readonly heldBy?: string;
  /** When the current lease lapses (ISO), when someone holds it. */
  readonly expiresAt?: string;
  /** Extends the lease by its time to live; false when it was lost (expired and taken by someone else). */
  renew(): Promise<boolean>;
  /** Gives the lease up at once (no-op when not held). */
  release(): Promise<void>;
}

/** How fresh one source's data is (`ts.freshness()`, `teamstate status`). */
export interface SourceFreshness {
  /** The connector id (`github`, `jira`, …). */
  source: string;
  /** When its last sync ended (ISO), whatever the outcome; null when it never synced. */
  lastSync: string | null;
  /** Whether that sync succeeded; null when it never synced. */
  lastSyncOk: boolean | null;
  /** When it last delivered a webhook (ISO); null when it never did. */
  lastWebhook: string | null;
  /** Seconds since the newest data of this source (its last successful sync or its last webhook); null when none. */
  lagSeconds: number | null;
}

/** `ts.freshness()`: one entry per source, by id. */
export interface FreshnessReport {
  sources: SourceFreshness[];
}

const leaseRows = columns({ lease_holder: nullable(text), lease_expires_at: nullable(integer) });
const sourceRows = columns({
  connector: text,
  last_sync_at: nullable(integer),
  last_sync_ok: nullable(integer),
  last_duration_ms: nullable(integer),
});
const cursorRows = columns({ connector: text, updated_at: integer });
const webhookRows = columns({ provider: text, received_at: integer });

/**
 * Takes the sync lease of `connector` for `holder` when it is free, expired or already theirs (one conditional upsert, so
 * two processes racing for it cannot both win), for `ttlMs` from `now()`.
 */
export async function acquireSyncLease(
  store: Store,
  workspace: string,
  connector: string,
  options: { holder: string; ttlMs: number; now: () => number },
): Promise<SyncLease> {
  const { holder, ttlMs, now } = options;
  if (!holder) throw new TypeError('syncLease: holder must be a non-empty string');
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) throw new TypeError('syncLease: ttlMs must be a positive number of milliseconds');
  const take = async (): Promise<boolean> => {
    const at = now();
    const result = await store.execute(
      `INSERT INTO sync_sources (workspace, connector, lease_holder, lease_expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (workspace, connector) DO UPDATE SET lease_holder = excluded.lease_holder, lease_expires_at = excluded.lease_expires_at
       WHERE sync_sources.lease_holder IS NULL OR sync_sources.lease_holder = excluded.lease_holder OR sync_sources.lease_expires_at <= ?`,
      [workspace, connector, holder, at + ttlMs, at],
    );
    return result.rowsAffected > 0;
  };
  const acquired = await take();
  let current: { lease_holder: string | null; lease_expires_at: number | null } | undefined;
  if (!acquired) {
    const rows = await store.execute('SELECT lease_holder, lease_expires_at FROM sync_sources WHERE workspace = ? AND connector = ?', [
      workspace,
      connector,
    ]);
    current = leaseRows.first(rows.rows);
  }
  let held = acquired;
  return {
    acquired,
    ...(current?.lease_holder ? { heldBy: current.lease_holder } : {}),
    ...(current?.lease_expires_at != null ? { expiresAt: new Date(current.lease_expires_at).toISOString() } : {}),
    async renew() {
      if (!held) return false;
      // Renewing is taking it again: it fails only when another holder took it over after it expired.
      held = await take();
      return held;
    },
    async release() {
      if (!held) return;
      held = false;
      await store.execute(
        'UPDATE sync_sources SET lease_holder = NULL, lease_expires_at = NULL WHERE workspace = ? AND connector = ? AND lease_holder = ?',
        [workspace, connector, holder],
      );
    },
  };
}

/** Records how a connector's sync ended (by `ts.sync()`, whoever runs it), for freshness and the sync duration gauge. */
export async function recordSyncOutcome(
  store: Store,
  workspace: string,
  connector: string,
  outcome: { at: number; ok: boolean; durationMs: number; error?: string },
): Promise<void> {
  await store.execute(
    `INSERT INTO sync_sources (workspace, connector, last_sync_at, last_sync_ok, last_error, last_duration_ms) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (workspace, connector) DO UPDATE SET last_sync_at = excluded.last_sync_at, last_sync_ok = excluded.last_sync_ok,
       last_error = excluded.last_error, last_duration_ms = excluded.last_duration_ms`,
    [workspace, connector, outcome.at, outcome.ok ? 1 : 0, outcome.error ?? null, Math.max(0, Math.round(outcome.durationMs))],
  );
}

/** The duration of each connector's last sync, in seconds (for `teamstate_sync_duration_seconds`). */
export async function lastSyncDurations(store: Store, workspace: string): Promise<{ source: string; seconds: number }[]> {
  const db = createStoreReader(store, workspace);
  const rows = await db.all(
    sourceRows,
    sql`SELECT connector, last_sync_at, last_sync_ok, last_duration_ms FROM sync_sources WHERE workspace = ${workspace} ORDER BY connector`,
  );
  return rows.flatMap((r) => (r.last_duration_ms === null ? [] : [{ source: r.connector, seconds: r.last_duration_ms / 1000 }]));
}

/** Webhook deliveries received and not done yet (queued or retrying), for `teamstate_webhook_backlog`. */
export async function webhookBacklog(store: Store, workspace: string): Promise<number> {
  const rows = await store.execute(
    "SELECT count(*) AS n FROM webhook_deliveries WHERE workspace = ? AND status IN ('queued', 'retrying')",
    [workspace],
  );
  return columns({ n: integer }).first(rows.rows)?.n ?? 0;
}

/**
 * Freshness of every configured connector and every one that ever synced or delivered a webhook: the last sync (and
 * whether it succeeded), the last webhook, and the lag from the newest of its successful sync and webhook to `now`.
 * `lastSuccessKey` is the `sync_cursors` key stamped at each successful sync (databases written before sync outcomes
 * were recorded have only that).
 */
export async function computeFreshness(
  store: Store,
  workspace: string,
  now: Date,
  configured: readonly string[],
  lastSuccessKey: string,
): Promise<FreshnessReport> {
  const db = createStoreReader(store, workspace);
  const w = workspace;
  const [sources, successes, webhooks] = await Promise.all([
    db.all(sourceRows, sql`SELECT connector, last_sync_at, last_sync_ok, last_duration_ms FROM sync_sources WHERE workspace = ${w}`),
    db.all(cursorRows, sql`SELECT connector, updated_at FROM sync_cursors WHERE workspace = ${w} AND key = ${lastSuccessKey}`),
    db.all(
      webhookRows,
      sql`SELECT provider, max(received_at) AS received_at FROM webhook_deliveries WHERE workspace = ${w} GROUP BY provider`,
    ),
  ]);
  const bySource = new Map(sources.map((r) => [r.connector, r]));
  const success = new Map(successes.map((r) => [r.connector, r.updated_at]));
  const webhook = new Map(webhooks.map((r) => [r.provider, r.received_at]));
  // Sources: configured connectors and those with sync data (webhook providers are connectors too).
  const ids = new Set([...configured, ...sources.filter((r) => r.last_sync_at !== null).map((r) => r.connector), ...success.keys()]);
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
  return {
    sources: [...ids].sort().map((source): SourceFreshness => {
      const row = bySource.get(source);
      const lastSyncAt = row?.last_sync_at ?? success.get(source) ?? null;
      const lastOk = row?.last_sync_at != null ? row.last_sync_ok === 1 : success.has(source) ? true : null;
      const lastWebhook = webhook.get(source) ?? null;
      const newest = Math.max(success.get(source) ?? -Infinity, lastWebhook ?? -Infinity);
      return {
        source,
        lastSync: iso(lastSyncAt),
        lastSyncOk: lastOk,
        lastWebhook: iso(lastWebhook),
        lagSeconds: Number.isFinite(newest) ? Math.max(0, Math.round((now.getTime() - newest) / 1000)) : null,
      };
    }),
  };
}
