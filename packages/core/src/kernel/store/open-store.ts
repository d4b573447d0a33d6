import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Client, createClient, type InArgs, type ResultSet, type Transaction } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { TeamStateError } from '../errors.js';
import { redactSecrets } from '../text/redact-secrets.js';
import { dataVersionOf, filePathOf } from './local-driver.js';
import { applyMigrations, migrationStatus, prepareSharedSchema, type StoreMigrations } from './migrate.js';
import { Mutex } from './mutex.js';
import { readOnly } from './read-only-statement.js';
import { readsAside } from './read-pool.js';
import { checkReplicaPrimary, claimReplicaFile, type ReplicaFile } from './replica-file.js';
import { checkPrimary, cleanDelegatedError, type StoreKind, unauthorizedError, unreachableError } from './shared-database.js';
import { nextTurn, yieldingTransaction } from './yielding-transaction.js';

export type { StoreKind };

/** The default embedded database, relative to the working directory. */
export const DEFAULT_DATABASE = 'file:.teamstate/teamstate.db';

/** How long a local connection waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;
/** Page cache of a connection while it writes, in KiB. */
const WRITE_CACHE_KIB = 32 * 1024;
// Writes that do not wait for the disk (a sync's pages) come many and small, each dirtying the same index pages again:
// their connection copies the log into the database after 64 MB of it (16,384 pages) instead of SQLite's 4 MB.
const RELAXED_CHECKPOINT_PAGES = 16_384;

// One write lock per local file for every store of this process. The local driver waits for SQLite's
// file lock synchronously, so two stores of one process writing the same file at once would block the
// event loop (and the transaction holding the lock) until the busy timeout; queueing them here avoids it.
const fileWriteLocks = new Map<string, Mutex>();

/** Options for {@link openStore}. */
export interface OpenStoreOptions {
  /** `file:` URL or plain path, `:memory:`, or a `libsql://`, `http(s)://`, `ws(s)://` URL. */
  database?: string;
  /** Auth token for a remote libSQL server (sqld, Turso), or for the primary of an embedded replica. */
  authToken?: string;
  /**
   * Makes `database` (a local file) an embedded replica of this libSQL server (`libsql://…`, `http(s)://…`): reads
   * are answered from the local file, writes go to the server, and the file catches up with everyone's writes.
   */
  syncUrl?: string;
  /** With `syncUrl`: how often, in seconds, the replica pulls the primary's changes in the background (default: only when asked). */
  syncInterval?: number;
  /**
   * Apply pending migrations to a shared database (a libSQL server, directly or through a replica) that already holds a
   * teamstate schema. Without it such a database is refused until `teamstate migrate` has run; an empty one is set up,
   * and local files are always migrated on open.
   */
  migrate?: boolean;
  /** Clock for bookkeeping timestamps. */
  now?: () => number;
}

/** Options of {@link Store.write}. */
export interface WriteOptions {
  /**
   * When the commit returns. `full` (the default): once the disk has it (SQLite's `synchronous = FULL`). `normal`: on a
   * local file, once the write-ahead log has it (`synchronous = NORMAL`, on that transaction's connection only): a
   * crash of the process loses nothing, a power cut may lose the last such commits, and the commit does not wait for
   * the disk. For data that can be fetched again: a sync's pages with their cursors. A remote server keeps its own.
   */
  durability?: 'full' | 'normal';
}

/** The embedded database: a libSQL client with the schema migrated, plus a drizzle handle. */
export interface Store {
  /** The resolved database URL (no credentials); for an embedded replica, its local file. */
  readonly url: string;
  /** A local `file`, `memory`, a `remote` libSQL server, or an embedded `replica` of one. */
  readonly kind: StoreKind;
  /** The raw client. Prefer {@link Store.execute} and {@link Store.write}, which serialize access correctly. */
  readonly client: Client;
  /** drizzle over the same client, for typed queries in extensions. */
  readonly db: LibSQLDatabase;
  /** Runs one statement: reads may run concurrently on local files; a statement that writes waits for this process's write transactions. */
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  /**
   * Runs one read-only statement where many independent ones can run side by side: on a local file of 2 GiB or more,
   * on a pool of worker threads with read-only connections of their own (one per core, 2 to 4, started on first use),
   * so that a caller with many reads at once (every signal detector of a refresh) uses more than one core; elsewhere
   * (a smaller file, another kind of store, a one-core machine, a pool whose thread died) it is
   * {@link Store.execute}. It sees what was committed when it starts, never an open transaction's writes.
   */
  readAside(sql: string, args?: InArgs): Promise<{ rows: ResultSet['rows'] }>;
  /**
   * Runs read-only statements one after the other where {@link Store.readAside} runs one: on the pool, all on one
   * thread and sent in one message (a single round trip through the event loop); elsewhere on the store's own
   * connection, the event loop turning before each. One answer per statement, in order, each failing on its own.
   */
  readAsideBatch(statements: readonly { sql: string; args?: InArgs }[]): Promise<{ rows: ResultSet['rows'] }>[];
  /**
   * Starts {@link Store.readAside}'s threads now, where it has them, instead of on its first read: for a long-lived
   * process (a server) about to run many reads at once, such as a signals refresh. Each thread opens its connection and
   * reads the schema (about 250 ms of a core at 10,000 engineers); the promise resolves once every thread is ready (or
   * has ended), so a server can start taking requests after that and not while its threads start. Resolves at once
   * where reads aside run on the store's own connection.
   */
  warmReadAside(): Promise<void>;
  /**
   * An opaque token that changes whenever committed data may have changed: on a local file, any commit by any
   * connection, this process's or another's (SQLite's `data_version`, read on a connection of its own); in memory, any
   * row changed. `undefined` where it cannot be known (a libSQL server, an embedded replica): nothing may be cached
   * against it there. Equal tokens mean the data read the same; a new token does not promise it changed.
   */
  dataVersion(): Promise<string | undefined>;
  /** Runs `fn` in one write transaction (`BEGIN IMMEDIATE` on local files); commits when it returns, rolls back when it throws. */
  write<T>(fn: (tx: Transaction) => Promise<T>, options?: WriteOptions): Promise<T>;
  /**
   * Rebuilds a local file from its live rows (`VACUUM`: nothing deleted is left in free or reused pages), then copies
   * the write-ahead log into the file and empties it (`PRAGMA wal_checkpoint(TRUNCATE)`), so no earlier copy of a page
   * (one holding what was since deleted) is left in the log either. It waits up to the busy timeout
   * for other connections still reading an older snapshot, and blocks the event loop meanwhile (the local driver waits
   * synchronously). `emptied`: done (an in-memory database has no log); `in_use`: a reader kept it, and the log is
   * emptied when the last process using the file closes it; `not_local`: a libSQL server or an embedded replica, whose
   * storage the server keeps.
   */
  emptyLog(): Promise<'emptied' | 'in_use' | 'not_local'>;
  /**
   * Brings an embedded replica up to date with its primary now (other processes' writes); a no-op on every other kind
   * of store, which always reads the current data. Fails with `store_unavailable` while the primary cannot be reached.
   */
  sync(): Promise<void>;
  /**
   * Closes the client at once; resolves once the threads reading aside, if any, have ended too (none opens or reads the
   * file after that).
   */
  close(): Promise<void>;
}

/** Turns the user's `database` setting into a libSQL URL. */
export function resolveDatabaseUrl(database: string | undefined): { url: string; localPath?: string } {
  const value = (database ?? DEFAULT_DATABASE).trim();
  if (value === '')
    throw new TeamStateError('invalid_config', 'database: must not be empty (use a file path, ":memory:" or a libsql:// URL)');
  if (value === ':memory:' || value === 'file::memory:') return { url: ':memory:' };
  if (/^(libsql|https?|wss?):\/\//i.test(value)) return { url: value };
  if (/^file:/i.test(value)) {
    return { url: value, localPath: resolve(filePathOf(value)) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new TeamStateError(
      'invalid_config',
      `database: unsupported URL scheme in "${value.split('://')[0]}://…" (use a file path, file:, :memory:, libsql://, http(s):// or ws(s)://)`,
    );
  }
  return { url: `file:${value}`, localPath: resolve(value) };
}

/** A connected client, before the schema step. */
interface Connection {
  client: Client;
  url: string;
  localPath?: string;
  kind: StoreKind;
  /** How the server is named in messages: the URL without credentials (for a replica, its primary's). */
  server: string;
  secrets: (string | undefined)[];
  /** Closes the client and lets go of the embedded replica's file, if it holds one. */
  close(): void;
}

function checkReplicaOptions(options: OpenStoreOptions, url: string, localPath: string | undefined): void {
  const { syncUrl, syncInterval } = options;
  if (!localPath) {
    throw new TeamStateError(
      'invalid_config',
      `database.url: an embedded replica is a local file (e.g. file:.teamstate/replica.db), got ${url === ':memory:' ? ':memory:' : redactUrl(url)}`,
    );
  }
  if (!/^(libsql|https?|wss?):\/\/[^/]/i.test(syncUrl ?? '')) {
    throw new TeamStateError(
      'invalid_config',
      `database.syncUrl: expected the libSQL server's URL (libsql://…, https://… or http://…), got "${redactUrl(syncUrl ?? '')}"`,
    );
  }
  if (syncInterval !== undefined && !(Number.isFinite(syncInterval) && syncInterval > 0)) {
    throw new TeamStateError('invalid_config', `database.syncInterval: expected a positive number of seconds, got ${syncInterval}`);
  }
}

async function connect(options: OpenStoreOptions): Promise<Connection> {
  const resolved = resolveDatabaseUrl(options.database);
  const replica = options.syncUrl !== undefined;
  let claimed: ReplicaFile | undefined;
  if (replica) {
    checkReplicaOptions(options, resolved.url, resolved.localPath);
    // Before the replica starts: it cannot say whether the URL or the token is wrong, and it waits on some wrong URLs.
    await checkPrimary(options.syncUrl!, options.authToken, 'database.syncUrl');
    mkdirSync(dirname(resolved.localPath!), { recursive: true });
    claimed = claimReplicaFile(resolved.localPath!);
  }
  try {
    const remember = claimed ? checkReplicaPrimary(claimed.path, redactUrl(options.syncUrl!)) : undefined;
    const connection = await connectTo(options, claimed ? { url: `file:${claimed.path}`, localPath: claimed.path } : resolved, claimed);
    remember?.();
    return connection;
  } catch (error) {
    claimed?.release();
    throw error;
  }
}

async function connectTo(
  options: OpenStoreOptions,
  { url, localPath }: { url: string; localPath?: string },
  claimed: ReplicaFile | undefined,
): Promise<Connection> {
  const secrets = [options.authToken];
  const replica = claimed !== undefined;
  if (localPath) {
    mkdirSync(dirname(localPath), { recursive: true });
    // Created for its owner only (0600): it holds people's data, approvals and the ledger. SQLite gives the
    // -wal and -shm files the database file's permissions. A replica's file is created by libSQL with its own
    // bookkeeping (an empty file would not be a replica), and restricted once it exists.
    if (!replica && !existsSync(localPath)) closeSync(openSync(localPath, 'a', 0o600));
  }
  const kind: StoreKind = replica ? 'replica' : url === ':memory:' ? 'memory' : localPath ? 'file' : 'remote';
  const server = redactUrl(replica ? options.syncUrl! : url);
  let client: Client;
  try {
    client = createClient({
      url,
      authToken: options.authToken,
      timeout: BUSY_TIMEOUT_MS,
      intMode: 'number',
      ...(replica ? { syncUrl: options.syncUrl, syncInterval: options.syncInterval } : {}),
    });
  } catch (error) {
    throw openError(replicaFileError(error, localPath) ?? error, url, server, secrets, replica);
  }
  try {
    if (replica) {
      for (const suffix of REPLICA_FILES) if (existsSync(`${localPath}${suffix}`)) chmodSync(`${localPath}${suffix}`, 0o600);
      await client.sync();
    } else if (localPath) await client.execute('PRAGMA journal_mode = WAL');
  } catch (error) {
    client.close();
    throw openError(error, url, server, secrets, replica);
  }
  const close = () => {
    client.close();
    claimed?.release();
  };
  return { client, url, localPath, kind, server, secrets, close };
}

/** The files of an embedded replica: the database, SQLite's, and libSQL's replication bookkeeping. */
const REPLICA_FILES = ['', '-wal', '-shm', '-info', '-client_wal_index'];

// libSQL refuses to turn a file that is not one of its replicas into one, in words about its internals.
function replicaFileError(error: unknown, localPath: string | undefined): TeamStateError | undefined {
  if (!/wal_index|LogIncompatible|log id|mismatch/i.test(String((error as Error)?.message))) return undefined;
  return new TeamStateError(
    'invalid_config',
    `database.url: ${localPath} is not an embedded replica of this primary (an ordinary database file, or a replica of another server); give the replica a new file, or delete this one if it only ever was a replica`,
    { cause: error },
  );
}

// The driver's message may repeat the URL with its credentials, or the token: redacted like the URL itself.
function openError(error: unknown, url: string, server: string, secrets: (string | undefined)[], replica: boolean): TeamStateError {
  if (TeamStateError.isInstance(error)) return error;
  const known = unauthorizedError(error, server) ?? unreachableError(error, server, secrets, replica);
  const message = known?.message ?? redactSecrets((error as Error).message, secrets);
  return new TeamStateError(known?.code ?? 'store_error', `could not open database ${redactUrl(url)}: ${message}`, {
    cause: error,
  });
}

/**
 * Opens (creating if needed) the teamstate database and applies the pending ones of `migrations`.
 * Local files get WAL journaling and a busy timeout so several processes can share them. A shared database (a libSQL
 * server, directly or through an embedded replica) is set up when empty, used when up to date, and otherwise refused
 * until it is migrated explicitly (`migrate: true`, `teamstate migrate`).
 */
export async function openStore(options: OpenStoreOptions & StoreMigrations): Promise<Store> {
  const connection = await connect(options);
  const { client, url, kind, server, secrets } = connection;
  const now = (options.now ?? Date.now)();
  try {
    if (kind === 'remote' || kind === 'replica')
      await prepareSharedSchema(client, options.migrations, now, server, options.migrate === true);
    else await applyMigrations(client, options.migrations, now);
  } catch (error) {
    connection.close();
    throw openError(cleanDelegatedError(error), url, server, secrets, kind === 'replica');
  }
  return createStore(connection);
}

function createStore({ client, url, localPath, kind, server, secrets, close }: Connection): Store {
  const isRemote = kind === 'remote';
  const local = kind === 'file' || kind === 'memory';
  // An in-memory database and an embedded replica have a single connection (an open transaction holds it), so
  // everything is serialized; on files only writes are, because SQLite allows one writer and the busy timeout covers
  // other processes.
  const serialized = kind === 'memory' || kind === 'replica';
  const shared = kind === 'remote' || kind === 'replica';
  const writes = (kind === 'file' && localPath && fileWriteLocks.get(localPath)) || new Mutex();
  if (kind === 'file' && localPath) fileWriteLocks.set(localPath, writes);
  // A server that cannot be reached is one clear error, and a statement refused by the primary reads like a local one.
  const translate = (error: unknown): unknown =>
    shared ? (unreachableError(error, server, secrets, kind === 'replica') ?? cleanDelegatedError(error)) : error;
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw translate(error);
    }
  };
  // Writes whose commit does not wait for the disk run on a client of their own: SQLite sets the level per connection
  // and refuses to change it inside a transaction, and the main client's pooled connections serve every other write.
  // Its one connection (writes are serialized) is set before each transaction.
  let relaxed: Client | undefined;
  const relaxedTransaction = async () => {
    relaxed ??= createClient({ url, timeout: BUSY_TIMEOUT_MS, intMode: 'number' });
    await relaxed.execute('PRAGMA synchronous = NORMAL');
    await relaxed.execute(`PRAGMA wal_autocheckpoint = ${RELAXED_CHECKPOINT_PAGES}`);
    return relaxed.transaction('write');
  };
  // On a local file a statement that may write also takes its turn with this process's write transactions: the driver
  // waits for SQLite's lock synchronously, so beside an open transaction it would hold the event loop that transaction
  // needs to finish, until the busy timeout. Reads run beside them.
  const execute = (sql: string, args?: InArgs) =>
    guarded(() =>
      serialized || (kind === 'file' && !readOnly(sql))
        ? writes.run(() => client.execute({ sql, args: args ?? [] }))
        : client.execute({ sql, args: args ?? [] }),
    );
  const aside = readsAside({ execute, url, path: kind === 'file' ? localPath : undefined, timeout: BUSY_TIMEOUT_MS });
  // A local file: SQLite's data_version, on a connection of its own. An in-memory database has one connection: its count
  // of changed rows.
  let versions: ReturnType<typeof dataVersionOf> | undefined;
  const dataVersion = async (): Promise<string | undefined> => {
    if (kind === 'file' && localPath !== undefined) {
      versions ??= dataVersionOf(localPath, BUSY_TIMEOUT_MS);
      return `file:${versions.read()}`;
    }
    if (kind === 'memory') return `memory:${String((await execute('SELECT total_changes() AS changes')).rows[0]?.changes)}`;
    return undefined;
  };
  return {
    url: redactUrl(url),
    kind,
    client,
    db: drizzle(client),
    execute,
    readAside: (sql, args) => guarded(() => aside.readAside(sql, args)),
    readAsideBatch: (statements) => aside.readAsideBatch(statements).map((answer) => guarded(() => answer)),
    warmReadAside: () => aside.warm(),
    dataVersion: () => guarded(dataVersion),
    write: async (fn, options = {}) => {
      const { durability = 'full' } = options;
      if (durability !== 'full' && durability !== 'normal')
        throw new TeamStateError('invalid_argument', `durability: expected "full" or "normal", got ${JSON.stringify(durability)}`);
      try {
        return await writes.run(async () => {
          const tx = await (durability === 'normal' && kind === 'file' ? relaxedTransaction() : client.transaction('write'));
          // The local driver frees statements only when the event loop turns: long writes let it turn as they go (and
          // hold V8's young generation small until they end: closing the wrapper releases that hold).
          const yielding = local ? yieldingTransaction(tx) : tx;
          try {
            // Bulk writes touch many index pages; SQLite's default 2 MB cache makes them spill and re-read.
            if (local) await tx.execute(`PRAGMA cache_size = -${WRITE_CACHE_KIB}`);
            const result = await fn(yielding);
            await tx.commit();
            return result;
          } finally {
            yielding.close();
          }
        });
      } catch (error) {
        throw translate(error);
      } finally {
        // The local driver gives each transaction its own connection and frees connections and statements
        // only when the event loop turns: an app looping over writes without ever yielding would grow
        // without bound (about 250 KB a write), so every write yields once before it returns.
        if (!isRemote) await nextTurn();
      }
    },
    emptyLog: async () => {
      if (kind !== 'file') return kind === 'memory' ? 'emptied' : 'not_local';
      // Serialized with this process's writes, which it would otherwise wait for while holding the event loop. VACUUM
      // rebuilds the file from the live rows only (free pages, and what deleted rows left in pages still used, are
      // gone); the checkpoint then writes it over the old file and empties the log.
      return writes.run(async () => {
        try {
          await client.execute('VACUUM');
        } catch {
          return 'in_use' as const;
        }
        const { rows } = await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
        return Number(rows[0]?.busy) === 0 ? ('emptied' as const) : ('in_use' as const);
      });
    },
    sync: async () => {
      if (kind === 'replica') await guarded(() => writes.run(() => client.sync()));
    },
    close: () => {
      relaxed?.close();
      versions?.close();
      close();
      return aside.close();
    },
  };
}

/** What {@link migrateDatabase} found and did. */
export interface MigrationReport {
  /** The database (no credentials). */
  database: string;
  /** Migrations applied now (none with `dryRun`). */
  applied: string[];
  /** Migrations that were pending before (what `dryRun` would apply). */
  pending: string[];
}

/**
 * Applies the pending `migrations` to a database, shared or not: what `teamstate migrate` runs, once, against a libSQL
 * server that other machines use (back it up first). With `dryRun` it only says what is pending. Core's public
 * `migrateDatabase()` passes the migrations of this version.
 * @example const { applied } = await migrateDatabase({ database: 'http://127.0.0.1:8080', authToken, migrations })
 */
export async function migrateDatabase(options: OpenStoreOptions & StoreMigrations & { dryRun?: boolean }): Promise<MigrationReport> {
  const connection = await connect(options);
  const { client, url, server, secrets, kind } = connection;
  try {
    const status = await migrationStatus(client, options.migrations);
    const applied = options.dryRun
      ? []
      : kind === 'remote' || kind === 'replica'
        ? await prepareSharedSchema(client, options.migrations, (options.now ?? Date.now)(), server, true)
        : await applyMigrations(client, options.migrations, (options.now ?? Date.now)());
    return { database: kind === 'replica' ? server : redactUrl(url), applied, pending: status.pending };
  } catch (error) {
    throw openError(cleanDelegatedError(error), url, server, secrets, kind === 'replica');
  } finally {
    connection.close();
  }
}

/** Strips credentials and query strings (auth tokens) from a database URL for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@').replace(/\?.*$/, '');
}
