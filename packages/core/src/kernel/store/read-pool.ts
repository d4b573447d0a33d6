import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InArgs, Row } from '@libsql/client';
import { TeamStateError } from '../errors.js';
import { filePathOf, libsqlDriver } from './local-driver.js';
import { type Answer, errorOf, READER, rowOf } from './read-pool-thread.js';

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
