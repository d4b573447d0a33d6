import type { Client, InArgs, ResultSet, Transaction } from '@libsql/client';
import { createClient } from '@libsql/client/sqlite3';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
// The entry without the client's remote protocols: it only wraps the client given, of any kind.
import { drizzle } from 'drizzle-orm/libsql/sqlite3';
import { TeamStateError } from '../errors.js';
import {
  BATCH_ROWS,
  type BackfillProgress,
  backfillProgress,
  type RunBackfillsOptions,
  runBackfills,
  type WriteTransaction,
} from './backfills.js';
import { redactUrl } from './database-url.js';
import { freshTemplate, isEmptyDatabase, setUpFromFreshSchema, stampFreshCopy, takeFreshSchema } from './fresh-schema.js';
import { dataVersionOf } from './local-driver.js';
import { applyMigrations, migrationStatus, prepareSharedSchema, type StoreMigrations } from './migrate.js';
import { Mutex } from './mutex.js';
import { readOnly } from './read-only-statement.js';
import { readsAside } from './reads-aside.js';
import { cleanDelegatedError, type StoreKind, unreachableError } from './shared-database.js';
import { BUSY_TIMEOUT_MS, type Connection, connect, type OpenStoreOptions, openError } from './store-connection.js';
import { type ThreadStatement, writeOnThread } from './write-thread.js';
import { nextTurn, yieldingTransaction } from './yielding-transaction.js';

export { DEFAULT_DATABASE, redactUrl, resolveDatabaseUrl } from './database-url.js';
export type { OpenStoreOptions } from './store-connection.js';
export type { StoreKind };

/** Page cache of a connection while it writes, in KiB. */
const WRITE_CACHE_KIB = 32 * 1024;
// Writes that do not wait for the disk (a sync's pages) come many and small, each dirtying the same index pages again:
// their connection copies the log into the database after 64 MB of it (16,384 pages) instead of SQLite's 4 MB.
const RELAXED_CHECKPOINT_PAGES = 16_384;

// One write lock per local file for every store of this process. The local driver waits for SQLite's
// file lock synchronously, so two stores of one process writing the same file at once would block the
// event loop (and the transaction holding the lock) until the busy timeout; queueing them here avoids it.
const fileWriteLocks = new Map<string, Mutex>();

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

/**
 * Opens (creating if needed) the teamstate database and applies the pending ones of `migrations`.
 * Local files get WAL journaling and a busy timeout so several processes can share them. A shared database (a libSQL
 * server, directly or through an embedded replica) is set up when empty, used when up to date, and otherwise refused
 * until it is migrated explicitly (`migrate: true`, `teamstate migrate`).
 */
export async function openStore(options: OpenStoreOptions & StoreMigrations): Promise<Store> {
  const { migrations } = options;
  const connection = await connect(options, () => freshTemplate(migrations));
  const { client, url, kind, server, secrets } = connection;
  const now = (options.now ?? Date.now)();
  let fresh = false;
  try {
    if (connection.copied) await stampFreshCopy(client, now);
    fresh = await isEmptyDatabase((sql) => client.execute(sql));
    if (!(fresh && (await setUpFromFreshSchema(client, migrations, now, kind === 'file' || kind === 'memory')))) {
      if (kind === 'remote' || kind === 'replica') await prepareSharedSchema(client, migrations, now, server, options.migrate === true);
      else await applyMigrations(client, migrations, now);
    }
  } catch (error) {
    connection.close();
    throw openError(cleanDelegatedError(error), url, server, secrets, kind === 'replica');
  }
  const store = createStore(connection);
  if (kind !== 'file' && kind !== 'memory') return store;
  const path = kind === 'file' ? connection.localPath : undefined;
  const writes = path === undefined ? undefined : fileWriteLocks.get(path);
  // An index build of a local file runs on a thread of its own, holding this process's write turn: the event loop
  // (and every read it answers) goes on meanwhile.
  const buildAside =
    path === undefined || writes === undefined
      ? undefined
      : (statements: ThreadStatement[], guard: Required<ThreadStatement>) =>
          writes.run(() => writeOnThread(path, BUSY_TIMEOUT_MS, statements, guard));
  const opened = await backfillInBackground(store, migrations, () => (options.now ?? Date.now)(), buildAside);
  // The first new database of the process sets up the next ones (fresh-schema.ts). Only a shortcut: should reading it
  // fail, the next ones run their migrations.
  if (fresh) await takeFreshSchema((sql) => opened.execute(sql), migrations).catch(() => undefined);
  return opened;
}

/**
 * A local store whose migrations left batched statements unfinished (an upgrade that rewrites a large table). With at
 * most a batch's rows left (a small database), they are written before it opens, so nobody sees them half done. Else
 * it answers at once and writes the rest a batch at a time behind its other work, each batch a short write transaction
 * that readers and writers get between. Closing it stops after the running batch; the next open (or `teamstate
 * migrate`) goes on from there, as it does after a batch that failed.
 */
async function backfillInBackground(
  store: Store,
  migrations: StoreMigrations['migrations'],
  now: () => number,
  buildAside: RunBackfillsOptions['buildAside'],
): Promise<Store> {
  const { rows } = await store.execute("SELECT (SELECT count(*) FROM sqlite_master WHERE name = '__teamstate_backfills') AS present");
  if (Number(rows[0]?.present) === 0) return store;
  const left = await store.execute(
    'SELECT count(*) AS n, coalesce(sum(max(total - done, 0)), 0) AS rows FROM __teamstate_backfills WHERE finished_at IS NULL',
  );
  if (Number(left.rows[0]?.n) === 0) return store;
  const run = (stop?: () => boolean) =>
    runBackfills(
      (fn) => store.write(fn),
      (sql) => store.execute(sql),
      migrations,
      { now, stop, between: nextTurn, buildAside },
    );
  if (Number(left.rows[0]?.rows) <= BATCH_ROWS) {
    try {
      await run();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }
  let stopping = false;
  const running = run(() => stopping).catch(() => []);
  return {
    ...store,
    close: async () => {
      stopping = true;
      await running;
      return store.close();
    },
  };
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
      // The rebuilt copy is kept in a temporary file, not in memory (this build's default): in memory it would take as
      // much as the database itself (7 GB of RAM at 10,000 engineers). The connection's setting is put back after.
      return writes.run(async () => {
        const { rows: stored } = await client.execute('PRAGMA temp_store');
        const tempStore = Number(stored[0]?.temp_store ?? 0);
        try {
          await client.execute('PRAGMA temp_store = FILE');
          await client.execute('VACUUM');
        } catch {
          return 'in_use' as const;
        } finally {
          await client.execute(`PRAGMA temp_store = ${tempStore}`);
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
  /** Every migration the database has had once this call returns, in the order they ran. */
  recorded: string[];
  /** How far each batched statement of its migrations has got once this call returns. */
  backfills: BackfillProgress[];
}

/** Options of {@link migrateDatabase} beyond opening the database. */
export interface MigrateOptions {
  /** Only report what is pending and how far the batched statements have got: change nothing. */
  dryRun?: boolean;
  /** Rows per batch of a batched statement (default 5,000). */
  batchRows?: number;
  /** Stop after this many batches (default: until every batched statement is finished). */
  maxBatches?: number;
}

/**
 * Applies the pending `migrations` to a database, shared or not: what `teamstate migrate` runs, once, against a libSQL
 * server that other machines use (back it up first). With `dryRun` it only says what is pending. Core's public
 * `migrateDatabase()` passes the migrations of this version.
 * @example const { applied } = await migrateDatabase({ database: 'http://127.0.0.1:8080', authToken, migrations })
 */
export async function migrateDatabase(options: OpenStoreOptions & StoreMigrations & MigrateOptions): Promise<MigrationReport> {
  const connection = await connect(options);
  const { client, url, server, secrets, kind } = connection;
  const now = () => (options.now ?? Date.now)();
  const read = (sql: string) => client.execute(sql);
  const write: WriteTransaction = async (fn) => {
    const tx = await client.transaction('write');
    try {
      const result = await fn(tx);
      await tx.commit();
      return result;
    } finally {
      tx.close();
    }
  };
  try {
    const status = await migrationStatus(client, options.migrations);
    const applied = options.dryRun
      ? []
      : kind === 'remote' || kind === 'replica'
        ? await prepareSharedSchema(client, options.migrations, now(), server, true)
        : await applyMigrations(client, options.migrations, now());
    const backfills = options.dryRun
      ? await backfillProgress(read)
      : await runBackfills(write, read, options.migrations, { now, limit: options.batchRows, maxBatches: options.maxBatches });
    const recorded = options.dryRun ? status.applied : (await migrationStatus(client, options.migrations)).applied;
    return { database: kind === 'replica' ? server : redactUrl(url), applied, pending: status.pending, recorded, backfills };
  } catch (error) {
    throw openError(cleanDelegatedError(error), url, server, secrets, kind === 'replica');
  } finally {
    connection.close();
  }
}
