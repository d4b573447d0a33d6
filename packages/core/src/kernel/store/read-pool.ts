import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { InArgs, Row } from '@libsql/client';
import { TeamStateError } from '../errors.js';

/** Runs read-only statements of one local database file side by side, each on a connection of its own. */
export interface ReadPool {
  /** Runs one read-only statement on the first free connection; its rows read as `Store.execute`'s do. */
  execute(sql: string, args?: InArgs): Promise<{ rows: Row[] }>;
  /**
   * Starts the threads now (each opens its connection and reads the schema), so that the first statements do not wait
   * for that. It fails nothing: a thread that dies breaks the pool, as a statement would find.
   */
  warm(): void;
  /**
   * Ends the worker threads; a statement still waiting or running fails at once. A thread that is starting or running
   * a statement ends after that. Resolves once every thread has ended: none opens or reads the file after it.
   */
  close(): Promise<void>;
  /** Whether it answers no more: closed, or a thread died (the statements it had failed; read elsewhere from now on). */
  readonly broken: boolean;
}

/** The most connections a pool opens: past the cores, threads only take turns. */
const MAX_READERS = 4;

/** How many readers a pool of this machine has: one per core, from 2 to 4 (one core gains nothing from threads). */
export const readPoolSize = (cores = availableParallelism()) => Math.min(MAX_READERS, cores);

/**
 * The smallest database file read through a pool. Its threads cost about 200 ms to start and their first statements
 * run slower (each thread's first work), once per process: at 1,000 engineers (0.9 GB) a first refresh took 554 ms
 * with them against 377 ms without (later ones 224 against 403 ms); at 10,000 engineers (9 GB), where the detectors
 * take seconds, 3.2 against 3.6 s (later ones 1.8 against 3.2 s).
 */
export const READ_POOL_MIN_BYTES = 2 * 1024 ** 3;

// The reader thread, as the text of an ES module (a `data:` URL: no file to find next to a bundle). It imports the
// libSQL client this package resolved, opens the file read-only (`query_only`) with the store's busy timeout, reads
// the schema once (what its first statement would pay) and says it is ready; then it answers each statement with its
// columns and rows as plain arrays (structured-cloned; each BLOB's buffer moved, not copied: the driver makes one per
// value), or with the error's message and codes. A statement fails with
// the error `query_only` failed with, if it did. A thread runs one statement at a time: the local driver is synchronous.
const READER = `
import { parentPort, workerData } from 'node:worker_threads';
const { createClient } = await import(workerData.client);
const client = createClient({ url: workerData.url, intMode: 'number', timeout: workerData.timeout });
const ready = client.execute('PRAGMA query_only = 1');
await ready.then(() => client.execute('SELECT count(*) FROM sqlite_schema')).catch(() => {});
parentPort.postMessage({ ready: true });
parentPort.on('message', async ({ id, sql, args }) => {
  try {
    await ready;
    const result = await client.execute({ sql, args });
    const transfer = [];
    const rows = result.rows.map((row) => {
      const values = Array.prototype.slice.call(row);
      for (const value of values) if (value instanceof ArrayBuffer) transfer.push(value);
      return values;
    });
    parentPort.postMessage({ id, columns: result.columns, rows }, transfer);
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error?.message ?? error), name: error?.name, code: error?.code, rawCode: error?.rawCode } });
  }
});
`;

interface Job {
  id: number;
  sql: string;
  args: InArgs;
  resolve: (result: { rows: Row[] }) => void;
  reject: (error: unknown) => void;
}

interface Reader {
  worker: Worker;
  /** The statement it runs for the pool (none once the pool failed it). */
  job?: Job;
  /**
   * Whether the thread is starting or running a statement, until it answers: it is referenced meanwhile, and ended
   * only after that (a thread ended in the driver's native code aborts the whole process).
   */
  busy: boolean;
  /** Resolves once the thread has ended. */
  ended: Promise<void>;
}

type Answer =
  | { ready: true }
  | { id: number; columns: string[]; rows: unknown[][] }
  | { id: number; error: { message: string; name?: string; code?: string; rawCode?: number } };

/** A row as the libSQL client makes it: values by column name (enumerable) and by index, and a length. */
function rowOf(columns: readonly string[], values: readonly unknown[]): Row {
  const row: Record<string | number, unknown> = {};
  Object.defineProperty(row, 'length', { value: values.length });
  for (let i = 0; i < values.length; i++) {
    Object.defineProperty(row, i, { value: values[i] });
    const column = columns[i]!;
    if (!Object.hasOwn(row, column)) row[column] = values[i];
  }
  return row as unknown as Row;
}

/** The error the statement failed with, as the client threw it: same message, name and codes. */
function errorOf(error: { message: string; name?: string; code?: string; rawCode?: number }): Error {
  return Object.assign(new Error(error.message), {
    ...(error.name ? { name: error.name } : {}),
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.rawCode === undefined ? {} : { rawCode: error.rawCode }),
  });
}

/**
 * A pool of `size` worker threads over one local database file (WAL: readers never wait for a writer), started on
 * the first statement (or {@link ReadPool.warm}). Each statement goes to the first free thread, in the order they
 * came; a thread is referenced only while it starts or runs one, so an idle pool never keeps the process alive. Reads
 * see what was committed when they start, as the store's own reads do. A thread that dies fails its statement and the
 * ones waiting with a `store_error`, and the pool answers no more ({@link ReadPool.broken}).
 * @param timeout the store's busy timeout in milliseconds.
 * @param client the URL of the libSQL client module each thread imports (the one this package resolves).
 */
export function createReadPool(url: string, size: number, timeout: number, client = import.meta.resolve('@libsql/client')): ReadPool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size: expected a whole number ≥ 1, got ${size}`);
  let readers: Reader[] | undefined;
  let broken: Error | undefined;
  let closed = false;
  let next = 0;
  const queue: Job[] = [];

  const fail = (error: Error) => {
    broken ??= error;
    for (const reader of readers ?? []) {
      reader.job?.reject(broken);
      reader.job = undefined;
    }
    for (const job of queue.splice(0)) job.reject(broken);
  };

  const dispatch = () => {
    for (const reader of readers ?? []) {
      if (reader.busy) continue;
      const job = queue.shift();
      if (job === undefined) return;
      try {
        reader.worker.postMessage({ id: job.id, sql: job.sql, args: job.args });
      } catch (error) {
        // An argument that cannot be sent to a thread (a function): this statement fails, the reader stays free.
        job.reject(error);
        continue;
      }
      reader.job = job;
      reader.busy = true;
      reader.worker.ref();
    }
  };

  const start = (): Reader[] => {
    const source = new URL(`data:text/javascript,${encodeURIComponent(READER)}`);
    return Array.from({ length: size }, () => {
      // No execArgv of the process (a TypeScript loader such as tsx would start in every thread): the reader is
      // plain JavaScript.
      // Referenced while it starts (busy until it says it is ready).
      const worker = new Worker(source, { workerData: { client, url, timeout }, execArgv: [] });
      const reader: Reader = { worker, busy: true, ended: new Promise((ended) => worker.once('exit', () => ended())) };
      reader.worker.on('message', (answer: Answer) => {
        reader.busy = false;
        const job = reader.job;
        if ('id' in answer && job?.id === answer.id) {
          reader.job = undefined;
          if ('error' in answer) job.reject(errorOf(answer.error));
          else job.resolve({ rows: answer.rows.map((values) => rowOf(answer.columns, values)) });
        }
        // Idle now: ended if the pool was closed, else let go of until its next statement.
        if (closed) void reader.worker.terminate();
        else {
          reader.worker.unref();
          dispatch();
        }
      });
      const died = (why: string) =>
        fail(
          new TeamStateError('store_error', `parallel reads of ${url}: a reader thread ${why}; later reads use the store's own connection`),
        );
      reader.worker.on('error', (error) => died(`failed (${error.message})`));
      // A thread that ends before close() would leave its statements unanswered: the pool stops there.
      reader.worker.on('exit', (code) => died(`exited with code ${code}`));
      return reader;
    });
  };

  return {
    execute(sql, args = []) {
      if (broken) return Promise.reject(broken);
      readers ??= start();
      return new Promise((resolve, reject) => {
        queue.push({ id: next++, sql, args, resolve, reject });
        dispatch();
      });
    },
    warm() {
      if (!broken) readers ??= start();
    },
    async close() {
      closed = true;
      fail(new TeamStateError('store_error', `parallel reads of ${url}: the store is closed`));
      // A busy thread ends once it answers.
      for (const reader of readers ?? []) if (!reader.busy) void reader.worker.terminate();
      await Promise.all((readers ?? []).map((reader) => reader.ended));
    },
    get broken() {
      return broken !== undefined;
    },
  };
}

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
  /** The client module the threads import (default: the one this package resolves). */
  client?: string;
  /** The machine's cores (default: what Node reports). */
  cores?: number;
}

/** The size of a database file with its write-ahead log, in bytes (0 for one that is not there). */
const fileBytes = (path: string) =>
  (statSync(path, { throwIfNoEntry: false })?.size ?? 0) + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);

/**
 * `Store.readAside`: a statement on a pool of reader threads once the file is large enough on a machine of two cores
 * or more (the pool starts on the first read aside, or when warmed), else, and after a thread died, on the store's own
 * connection.
 */
export function readsAside(options: ReadsAsideOptions): {
  readAside: ReadsAsideOptions['execute'];
  /** Starts the pool's threads now if the file is large enough (`Store.warmReadAside`). */
  warm(): void;
  /** Resolves once the pool's threads, if any, have ended. */
  close(): Promise<void>;
} {
  const { execute, url, path, timeout, minBytes = READ_POOL_MIN_BYTES, client, cores = availableParallelism() } = options;
  const large = () => path !== undefined && readPoolSize(cores) >= 2 && fileBytes(path) >= minBytes;
  // Not as the store opens the file: a short command that never reads aside (most of them) would pay the threads'
  // start for nothing (at 10,000 engineers `teamstate standup` took 1.15–1.34 s and 165–170 MB instead of 0.87–0.93 s
  // and 130 MB).
  let pool: ReadPool | undefined;
  let closed = false;
  // Never after close(): a read then fails as the store's own connection does.
  const started = () => {
    if (pool === undefined && !closed && large()) pool = createReadPool(url, readPoolSize(cores), timeout, client);
    return pool;
  };
  return {
    readAside(sql, args) {
      const threads = started();
      return threads === undefined || threads.broken ? execute(sql, args) : threads.execute(sql, args);
    },
    warm: () => started()?.warm(),
    async close() {
      closed = true;
      await pool?.close();
    },
  };
}
