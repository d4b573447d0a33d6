import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { InArgs, Row } from '@libsql/client';
import { type AsideStatement, createReadPool, READ_POOL_MIN_BYTES, type ReadPool, readPoolSize } from './read-pool.js';
import { nextTurn } from './yielding-transaction.js';

/** What {@link readsAside} needs: the store's own reads, and where its file is. */
export interface ReadsAsideOptions {
  /** The store's own connection's reads, used below the size and after a thread died. */
  execute: (sql: string, args?: InArgs) => Promise<{ rows: Row[] }>;
  /** The database's URL (`file:…`) and its local path; without a path (not a local file) every read is `execute`. */
  url: string;
  path?: string;
  /** The store's busy timeout in milliseconds. */
  timeout: number;
  /** The smallest file read through threads (default {@link READ_POOL_MIN_BYTES}). */
  minBytes?: number;
  /** The driver module the threads import (default {@link libsqlDriver}). */
  driver?: string;
  /** The machine's cores (default: what Node reports). */
  cores?: number;
}

/** The size of a database file with its write-ahead log, in bytes (0 for one that is not there). */
const fileBytes = (path: string) =>
  (statSync(path, { throwIfNoEntry: false })?.size ?? 0) + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);

/**
 * `Store.readAside`: a statement on a pool of reader threads once the file is large enough on a machine of two cores
 * or more (the pool starts on the first read aside, or when warmed), else, and after a thread died, on the store's own
 * connection. `readAsideBatch`: statements one after the other, in one message to one thread, or on the store's own
 * connection with the event loop turning before each.
 */
export function readsAside(options: ReadsAsideOptions): {
  readAside: ReadsAsideOptions['execute'];
  readAsideBatch: ReadPool['batch'];
  /** Starts the pool's threads now if the file is large enough (`Store.warmReadAside`); resolves once they are ready. */
  warm(): Promise<void>;
  /** Resolves once the pool's threads, if any, have ended. */
  close(): Promise<void>;
} {
  const { execute, url, path, timeout, minBytes = READ_POOL_MIN_BYTES, driver, cores = availableParallelism() } = options;
  const large = () => path !== undefined && readPoolSize(cores) >= 2 && fileBytes(path) >= minBytes;
  // Not as the store opens the file: a short command that never reads aside (most of them) would pay the threads'
  // start for nothing (at 10,000 engineers `teamstate standup` took 1.15–1.34 s and 165–170 MB instead of 0.87–0.93 s
  // and 130 MB).
  let pool: ReadPool | undefined;
  let closed = false;
  // Never after close(): a read then fails as the store's own connection does.
  const started = () => {
    if (pool === undefined && !closed && large()) pool = createReadPool(url, readPoolSize(cores), timeout, driver);
    return pool;
  };
  /** The statements on the store's own connection, in turn: its driver is synchronous, so the loop turns before each. */
  const inTurn = (statements: readonly AsideStatement[]) => {
    let previous: Promise<unknown> = Promise.resolve();
    return statements.map(({ sql, args }) => {
      const answer = previous.then(nextTurn, nextTurn).then(() => execute(sql, args));
      previous = answer;
      return answer;
    });
  };
  return {
    readAside(sql, args) {
      const threads = started();
      return threads === undefined || threads.broken ? execute(sql, args) : threads.execute(sql, args);
    },
    readAsideBatch(statements) {
      const threads = started();
      return threads === undefined || threads.broken ? inTurn(statements) : threads.batch(statements);
    },
    warm: async () => started()?.warm(),
    async close() {
      closed = true;
      await pool?.close();
    },
  };
}
