import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InArgs, Row } from '@libsql/client';
import { TeamStateError } from '../errors.js';
import { filePathOf, libsqlDriver } from './local-driver.js';
import { nextTurn } from './yielding-transaction.js';

/** A statement of {@link ReadPool.batch}. */
export interface AsideStatement {
  sql: string;
  args?: InArgs;
}

/** Runs read-only statements of one local database file side by side, each on a connection of its own. */
export interface ReadPool {
  /** Runs one read-only statement on the first free connection; its rows read as `Store.execute`'s do. */
  execute(sql: string, args?: InArgs): Promise<{ rows: Row[] }>;
  /**
   * Runs read-only statements one after the other on one connection, all sent and answered in one message (one round
   * trip through the event loop, however many statements); one answer per statement, in order, each failing on its
   * own. When every thread is busy, a batch may wait in the port of one running another.
   */
  batch(statements: readonly AsideStatement[]): Promise<{ rows: Row[] }>[];
  /**
   * Starts the threads now (each opens its connection and reads the schema), so that the first statements do not wait
   * for that; resolves once every thread is ready, or has ended. It fails nothing: a thread that dies breaks the pool,
   * as a statement would find.
   */
  warm(): Promise<void>;
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
// libSQL driver the client this package resolved uses (the client has no prepared statements), opens the file with the
// store's busy timeout, read-only (`query_only`), reads the schema once (what its first statement would pay) and says
// it is ready; then it answers each message of statements, run one after the other, with one message: each
// statement's columns and rows as plain arrays (structured-cloned; each BLOB's buffer moved, not copied, when the
// driver made one for the value), or the error's message and codes. It keeps its last PREPARED statements: a metric
// asked of another team is the same text, and preparing it cost a third of running it. Arguments and values convert as
// the client converts them (intMode 'number'), errors read as its errors. A statement fails with the error
// `query_only` failed with, if it did, and runs not at all once the pool is closed (`stop`). A thread runs one message
// at a time (the driver is synchronous); the next waits in its port.
const READER = `
import { parentPort, workerData } from 'node:worker_threads';
const { default: Database } = await import(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.timeout });
const stop = new Int32Array(workerData.stop);
const PREPARED = 64;
let unusable;
try {
  db.exec('PRAGMA query_only = 1');
} catch (error) {
  unusable = error;
}
if (!unusable) try { db.prepare('SELECT count(*) FROM sqlite_schema').all(); } catch {}
parentPort.postMessage({ ready: true });

// Most recently used last: the first is the one to let go of.
const prepared = new Map();
function statement(sql) {
  let found = prepared.get(sql);
  if (found) prepared.delete(sql);
  else {
    const stmt = db.prepare(sql);
    stmt.safeIntegers(true);
    let rows = true;
    try {
      stmt.raw(true);
    } catch {
      rows = false;
    }
    found = { stmt, rows };
    if (prepared.size >= PREPARED) prepared.delete(prepared.keys().next().value);
  }
  prepared.set(sql, found);
  return found;
}

function toSql(value) {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return value;
  }
  if (typeof value === 'bigint') {
    if (value < -9223372036854775808n || value > 9223372036854775807n)
      throw new RangeError('bigint is too large to be represented as a 64-bit integer and passed as argument');
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

function bound(args) {
  if (Array.isArray(args)) return args.map(toSql);
  const named = {};
  for (const name in args) named[/^[@$:]/.test(name) ? name.slice(1) : name] = toSql(args[name]);
  return named;
}

function fromSql(value, transfer) {
  if (typeof value === 'bigint') {
    if (value < -9007199254740991n || value > 9007199254740991n)
      throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    return Number(value);
  }
  if (value instanceof Uint8Array) {
    // Moved when the value is its whole buffer (the driver makes one per value); a view into a larger one is copied out.
    const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
    const buffer = whole ? value.buffer : value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
    transfer.push(buffer);
    return buffer;
  }
  return value;
}

// SQLite's extended codes are its base code and a suffix (SQLITE_BUSY_SNAPSHOT): the client's code is the base.
function failure(error) {
  if (!(error instanceof Database.SqliteError)) return { message: String(error?.message ?? error), name: error?.name };
  const code = error.rawCode === undefined ? 'SQLITE_UNKNOWN' : String(error.code).split('_').slice(0, 2).join('_');
  return { message: code + ': ' + error.message, name: 'LibsqlError', code, rawCode: error.rawCode };
}

function run(sql, args, transfer) {
  if (unusable) throw unusable;
  const { stmt, rows } = statement(sql);
  if (!rows) {
    stmt.run(bound(args));
    return { columns: [], rows: [] };
  }
  const values = stmt.all(bound(args));
  const answer = { columns: stmt.columns().map((column) => column.name), rows: [] };
  for (const row of values) answer.rows.push(row.map((value) => fromSql(value, transfer)));
  return answer;
}

parentPort.on('message', ({ id, statements }) => {
  const transfer = [];
  const results = [];
  for (const { sql, args } of statements) {
    if (Atomics.load(stop, 0) === 1) {
      results.push({ error: { message: 'the store is closed' } });
      continue;
    }
    try {
      results.push(run(sql, args, transfer));
    } catch (error) {
      results.push({ error: failure(error) });
    }
  }
  parentPort.postMessage({ id, results }, transfer);
});
`;

/** One statement of a message: how its answer is given. */
interface Pending {
  resolve: (result: { rows: Row[] }) => void;
  reject: (error: unknown) => void;
}

/** One message to a thread: its statements, and how each is answered. */
interface Job {
  id: number;
  statements: { sql: string; args: InArgs }[];
  pending: Pending[];
  /** A batch: it may wait in the port of a thread still running another message. */
  waits: boolean;
}

/**
 * How many batches a thread is sent before it answers the first: it finds the next one waiting when it is done with
 * one, instead of idling until the event loop (busy answering a server's requests) turns to send it. Single
 * statements, whose lengths vary more (a signals refresh's detectors), go only to a thread that has none.
 */
export const SENT_PER_READER = 4;

interface Reader {
  worker: Worker;
  /** Until the thread says it is ready: nothing is sent to it meanwhile. */
  starting: boolean;
  /**
   * The messages sent and not answered yet, in order (their job gone once the pool failed it). While it starts or has
   * one, the thread is referenced, and it is ended only after (a thread ended in the driver's native code aborts the
   * whole process).
   */
  sent: { id: number; job?: Job }[];
  /** Resolves once the thread has ended. */
  ended: Promise<void>;
  /** Resolves once the thread is ready for statements, or has ended. */
  ready: Promise<void>;
}

const busy = (reader: Reader) => reader.starting || reader.sent.length > 0;

type Answer =
  | { ready: true }
  | {
      id: number;
      results: (
        | { columns: string[]; rows: unknown[][] }
        | { error: { message: string; name?: string; code?: string; rawCode?: number } }
      )[];
    };

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
 * the first statement (or {@link ReadPool.warm}). Each statement, or batch, goes to a free thread in the order they
 * came (a batch possibly to a busy one, see {@link SENT_PER_READER}); a thread is referenced only while it starts or
 * has one, so an idle pool never keeps the process alive. Reads see what was committed when they start, as the store's own
 * reads do. A thread that dies fails its statements and the ones waiting with a `store_error`, and the pool answers no
 * more ({@link ReadPool.broken}).
 * @param timeout the store's busy timeout in milliseconds.
 * @param driver the URL of the libSQL driver module each thread imports (default {@link libsqlDriver}).
 */
export function createReadPool(url: string, size: number, timeout: number, driver = libsqlDriver()): ReadPool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size: expected a whole number ≥ 1, got ${size}`);
  let readers: Reader[] | undefined;
  let broken: Error | undefined;
  let closed = false;
  let next = 0;
  const queue: Job[] = [];
  // Set once closed: a thread runs no statement after it (each is answered with an error instead), so that every
  // message sent is soon answered and the thread can be ended.
  const stop = new Int32Array(new SharedArrayBuffer(4));

  const fail = (error: Error) => {
    broken ??= error;
    for (const { sent } of readers ?? []) {
      for (const message of sent) for (const pending of message.job?.pending ?? []) pending.reject(broken);
      for (const message of sent) message.job = undefined;
    }
    for (const job of queue.splice(0)) for (const pending of job.pending) pending.reject(broken);
  };

  // Messages go in the order they came: each to a thread that has none, else, a batch, to the one with the fewest
  // sent if it has room and every thread is ready (one still starting will soon have none).
  const dispatch = () => {
    while (queue.length > 0) {
      const job = queue[0]!;
      const all = readers ?? [];
      const ready = all.filter((reader) => !reader.starting);
      let reader = ready.find((candidate) => candidate.sent.length === 0);
      if (reader === undefined && job.waits && ready.length === all.length) {
        const fewest = ready.reduce<Reader | undefined>(
          (best, candidate) => (best && best.sent.length <= candidate.sent.length ? best : candidate),
          undefined,
        );
        if (fewest !== undefined && fewest.sent.length < SENT_PER_READER) reader = fewest;
      }
      if (reader === undefined) return;
      queue.shift();
      try {
        reader.worker.postMessage({ id: job.id, statements: job.statements });
      } catch (error) {
        // An argument that cannot be sent to a thread (a function): these statements fail, the reader stays free.
        for (const pending of job.pending) pending.reject(error);
        continue;
      }
      reader.sent.push({ id: job.id, job });
      reader.worker.ref();
    }
  };

  const start = (): Reader[] => {
    const source = new URL(`data:text/javascript,${encodeURIComponent(READER)}`);
    return Array.from({ length: size }, () => {
      // No execArgv of the process (a TypeScript loader such as tsx would start in every thread): the reader is
      // plain JavaScript.
      // Referenced while it starts (busy until it says it is ready).
      const worker = new Worker(source, {
        workerData: { driver, path: resolve(filePathOf(url)), timeout, stop: stop.buffer },
        execArgv: [],
      });
      const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      let started!: () => void;
      const ready = Promise.race([new Promise<void>((resolve) => (started = resolve)), ended]);
      const reader: Reader = { worker, starting: true, sent: [], ended, ready };
      reader.worker.on('message', (answer: Answer) => {
        if ('ready' in answer) {
          reader.starting = false;
          started();
        } else {
          // Answers come in the order the messages were sent.
          const job = reader.sent.shift()?.job;
          if (job?.id === answer.id)
            answer.results.forEach((result, i) => {
              if ('error' in result) job.pending[i]!.reject(errorOf(result.error));
              else job.pending[i]!.resolve({ rows: result.rows.map((values) => rowOf(result.columns, values)) });
            });
        }
        // Idle now: ended if the pool was closed, else let go of until its next message.
        if (closed) {
          if (!busy(reader)) void reader.worker.terminate();
          return;
        }
        if (!busy(reader)) reader.worker.unref();
        dispatch();
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

  const send = (statements: readonly AsideStatement[], waits: boolean): Promise<{ rows: Row[] }>[] => {
    if (broken) {
      const error = broken;
      return statements.map(() => Promise.reject(error));
    }
    const pending: Pending[] = [];
    const answers = statements.map(
      () =>
        new Promise<{ rows: Row[] }>((resolve, reject) => {
          pending.push({ resolve, reject });
        }),
    );
    if (statements.length === 0) return answers;
    readers ??= start();
    queue.push({ id: next++, statements: statements.map(({ sql, args = [] }) => ({ sql, args })), pending, waits });
    dispatch();
    return answers;
  };

  return {
    execute: (sql, args) => send([{ sql, args }], false)[0]!,
    batch: (statements) => send(statements, true),
    async warm() {
      if (!broken) readers ??= start();
      await Promise.all((readers ?? []).map((reader) => reader.ready));
    },
    async close() {
      closed = true;
      Atomics.store(stop, 0, 1);
      fail(new TeamStateError('store_error', `parallel reads of ${url}: the store is closed`));
      // A busy thread ends once it has answered every message sent.
      for (const reader of readers ?? []) if (!busy(reader)) void reader.worker.terminate();
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

/** Statements of callers run together, see {@link gatherReads}. */
export interface ReadGathering {
  /** Asks for one statement; it goes with the next batch. */
  read(sql: string, args?: InArgs): Promise<{ rows: Row[] }>;
  /** Runs the callers together (each reading through `read`); resolves with their results in order, as `Promise.all`. */
  all<T>(callers: readonly (() => Promise<T>)[]): Promise<T[]>;
}

/**
 * Gathers the statements of callers that read at once (the metrics of one computation) and runs them together with
 * `batch` (`Store.readAsideBatch`): one round trip to a reader thread instead of one each. A batch goes as soon as
 * there are as many statements waiting as callers still running (each waits for its statement), or else once the event
 * loop turns (a caller waiting for something else). Each statement still answers, or fails, on its own.
 */
export function gatherReads(batch: ReadPool['batch']): ReadGathering {
  let gathered: { statement: AsideStatement; resolve: (answer: Promise<{ rows: Row[] }>) => void }[] = [];
  let running = 0;
  let turn: NodeJS.Immediate | undefined;
  const flush = () => {
    clearImmediate(turn);
    turn = undefined;
    const statements = gathered;
    gathered = [];
    if (statements.length === 0) return;
    const answers = batch(statements.map(({ statement }) => statement));
    statements.forEach(({ resolve }, i) => resolve(answers[i]!));
  };
  const check = () => {
    if (gathered.length > 0 && gathered.length >= running) flush();
  };
  return {
    read: (sql, args) =>
      new Promise((resolve) => {
        gathered.push({ statement: { sql, args }, resolve });
        turn ??= setImmediate(flush);
        check();
      }),
    all(callers) {
      running += callers.length;
      return Promise.all(
        callers.map((caller) =>
          caller().finally(() => {
            running--;
            check();
          }),
        ),
      );
    },
  };
}
