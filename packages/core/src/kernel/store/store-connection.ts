import { chmodSync, closeSync, existsSync, linkSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Client } from '@libsql/client';
import { createClient as createLocalClient } from '@libsql/client/sqlite3';
import { TeamStateError } from '../errors.js';
import { redactSecrets } from '../text/redact-secrets.js';
import { redactUrl, resolveDatabaseUrl } from './database-url.js';
import { checkReplicaPrimary, claimReplicaFile, type ReplicaFile } from './replica-file.js';
import { checkPrimary, type StoreKind, unauthorizedError, unreachableError } from './shared-database.js';

/** How long a local connection waits for another process's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 10_000;

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

/** A connected client, before the schema step. */
export interface Connection {
  client: Client;
  url: string;
  localPath?: string;
  kind: StoreKind;
  /** How the server is named in messages: the URL without credentials (for a replica, its primary's). */
  server: string;
  secrets: (string | undefined)[];
  /** Closes the client and lets go of the embedded replica's file, if it holds one. */
  close(): void;
  /** A new local file written from the bytes `newFile` gave (its bookkeeping's times still theirs). */
  copied?: boolean;
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

/**
 * Connects to the database `options` names, checking an embedded replica's primary and claiming its file first. A local
 * file that does not exist yet starts as the database `newFile` resolves with (a file's bytes), if any.
 */
export async function connect(options: OpenStoreOptions, newFile?: () => Promise<Uint8Array | undefined>): Promise<Connection> {
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
    const connection = await connectTo(
      options,
      claimed ? { url: `file:${claimed.path}`, localPath: claimed.path } : resolved,
      claimed,
      newFile,
    );
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
  newFile: (() => Promise<Uint8Array | undefined>) | undefined,
): Promise<Connection> {
  const secrets = [options.authToken];
  const replica = claimed !== undefined;
  let copied = false;
  if (localPath) {
    mkdirSync(dirname(localPath), { recursive: true });
    // Created for its owner only (0600): it holds people's data, approvals and the ledger. SQLite gives the
    // -wal and -shm files the database file's permissions. A replica's file is created by libSQL with its own
    // bookkeeping (an empty file would not be a replica), and restricted once it exists.
    if (!replica && !existsSync(localPath)) {
      const template = existsSync(`${localPath}-wal`) ? undefined : await newFile?.();
      copied = template !== undefined && placeCopy(template, localPath);
      if (!copied) closeSync(openSync(localPath, 'a', 0o600));
    }
  }
  const kind: StoreKind = replica ? 'replica' : url === ':memory:' ? 'memory' : localPath ? 'file' : 'remote';
  const server = redactUrl(replica ? options.syncUrl! : url);
  // A local file or memory needs only the driver: the client's remote protocols (HTTP, WebSockets) load when a server is
  // named, not on every start of the CLI or of a server on a file.
  const createClient = kind === 'remote' ? (await import('@libsql/client')).createClient : createLocalClient;
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
  return { client, url, localPath, kind, server, secrets, close, copied };
}

/**
 * Writes `template` (a database file's bytes) to `path`, readable by its owner only, unless a file appeared there
 * meanwhile (another process's: it is kept, as it is). False when it did not.
 */
function placeCopy(template: Uint8Array, path: string): boolean {
  const temporary = `${path}.${process.pid}.new`;
  try {
    writeFileSync(temporary, template, { mode: 0o600, flag: 'wx' });
    linkSync(temporary, path);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(temporary, { force: true });
  }
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

/**
 * Why a database could not be opened, as a TeamStateError. The driver's message may repeat the URL with its
 * credentials, or the token: redacted like the URL itself.
 */
export function openError(error: unknown, url: string, server: string, secrets: (string | undefined)[], replica: boolean): TeamStateError {
  if (TeamStateError.isInstance(error)) return error;
  const known = unauthorizedError(error, server) ?? unreachableError(error, server, secrets, replica);
  const message = known?.message ?? redactSecrets((error as Error).message, secrets);
  return new TeamStateError(known?.code ?? 'store_error', `could not open database ${redactUrl(url)}: ${message}`, {
    cause: error,
  });
}
