import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Client, createClient, type InArgs, type ResultSet, type Transaction } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { TeamStateError } from '../errors.js';
import { redactSecrets } from '../text/redact-secrets.js';
import { applyMigrations } from './migrate.js';
import { Mutex } from './mutex.js';
import * as schema from './schema.js';

/** The default embedded database, relative to the working directory. */
export const DEFAULT_DATABASE = 'file:.teamstate/teamstate.db';

/** How long a local connection waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;
/** Page cache of a connection while it writes, in KiB. */
const WRITE_CACHE_KIB = 32 * 1024;

// One write lock per local file for every store of this process. The local driver waits for SQLite's
// file lock synchronously, so two stores of one process writing the same file at once would block the
// event loop (and the transaction holding the lock) until the busy timeout; queueing them here avoids it.
const fileWriteLocks = new Map<string, Mutex>();

/** Options for {@link openStore}. */
export interface OpenStoreOptions {
  /** `file:` URL or plain path, `:memory:`, or a `libsql://`, `http(s)://`, `ws(s)://` URL. */
  database?: string;
  /** Auth token for a remote libSQL server (sqld, Turso). */
  authToken?: string;
  /** Clock for bookkeeping timestamps. */
  now?: () => number;
}

/** The embedded database: a libSQL client with the schema migrated, plus a drizzle handle. */
export interface Store {
  /** The resolved database URL (no credentials). */
  readonly url: string;
  /** The raw client. Prefer {@link Store.execute} and {@link Store.write}, which serialize access correctly. */
  readonly client: Client;
  /** drizzle over the same client, for typed queries in extensions. */
  readonly db: LibSQLDatabase<typeof schema>;
  /** Runs one statement (reads may run concurrently on local files). */
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  /** Runs `fn` in one write transaction (`BEGIN IMMEDIATE` on local files); commits when it returns, rolls back when it throws. */
  write<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Closes the client. */
  close(): void;
}

/** Turns the user's `database` setting into a libSQL URL. */
export function resolveDatabaseUrl(database: string | undefined): { url: string; localPath?: string } {
  const value = (database ?? DEFAULT_DATABASE).trim();
  if (value === '')
    throw new TeamStateError('invalid_config', 'database: must not be empty (use a file path, ":memory:" or a libsql:// URL)');
  if (value === ':memory:' || value === 'file::memory:') return { url: ':memory:' };
  if (/^(libsql|https?|wss?):\/\//i.test(value)) return { url: value };
  if (/^file:/i.test(value)) {
    const path = value
      .slice('file:'.length)
      .replace(/^\/\/(?=\/)/, '')
      .split('?')[0]!;
    return { url: value, localPath: resolve(path) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new TeamStateError(
      'invalid_config',
      `database: unsupported URL scheme in "${value.split('://')[0]}://…" (use a file path, file:, :memory:, libsql://, http(s):// or ws(s)://)`,
    );
  }
  return { url: `file:${value}`, localPath: resolve(value) };
}

/**
 * Opens (creating if needed) the teamstate database and applies pending migrations.
 * Local files get WAL journaling and a busy timeout so several processes can share them.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const { url, localPath } = resolveDatabaseUrl(options.database);
  if (localPath) {
    mkdirSync(dirname(localPath), { recursive: true });
    // Created for its owner only (0600): it holds people's data, approvals and the ledger. SQLite gives the
    // -wal and -shm files the database file's permissions.
    if (!existsSync(localPath)) closeSync(openSync(localPath, 'a', 0o600));
  }
  const client = createClient({ url, authToken: options.authToken, timeout: BUSY_TIMEOUT_MS, intMode: 'number' });
  const isMemory = url === ':memory:';
  const isRemote = !isMemory && localPath === undefined;
  try {
    if (localPath) await client.execute('PRAGMA journal_mode = WAL');
    await applyMigrations(client, (options.now ?? Date.now)());
  } catch (error) {
    client.close();
    // The driver's message may repeat the URL with its credentials, or the token: redacted like the URL itself.
    const message = redactSecrets((error as Error).message, [options.authToken]);
    throw new TeamStateError('store_error', `could not open database ${redactUrl(url)}: ${message}`, {
      cause: error,
    });
  }
  // An in-memory database has a single connection, so everything is serialized; on files
  // only writes are, because SQLite allows one writer and the busy timeout covers other processes.
  const writes = (localPath && fileWriteLocks.get(localPath)) || new Mutex();
  if (localPath) fileWriteLocks.set(localPath, writes);
  const execute = (sql: string, args?: InArgs) =>
    isMemory ? writes.run(() => client.execute({ sql, args: args ?? [] })) : client.execute({ sql, args: args ?? [] });
  return {
    url: redactUrl(url),
    client,
    db: drizzle(client, { schema }),
    execute,
    write: async (fn) => {
      try {
        return await writes.run(async () => {
          const tx = await client.transaction('write');
          try {
            // Bulk writes touch many index pages; SQLite's default 2 MB cache makes them spill and re-read.
            if (!isRemote) await tx.execute(`PRAGMA cache_size = -${WRITE_CACHE_KIB}`);
            const result = await fn(tx);
            await tx.commit();
            return result;
          } finally {
            tx.close();
          }
        });
      } finally {
        // The local driver gives each transaction its own connection and frees connections and statements
        // only when the event loop turns: an app looping over writes without ever yielding would grow
        // without bound (about 250 KB a write), so every write yields once before it returns.
        if (!isRemote) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
    close: () => client.close(),
  };
}

/** Strips credentials and query strings (auth tokens) from a database URL for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@').replace(/\?.*$/, '');
}
