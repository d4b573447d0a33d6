import { Worker } from 'node:worker_threads';
import { TeamStateError } from '../errors.js';
import { libsqlDriver } from './local-driver.js';

/**
 * The thread that runs one long write (an index build after a migration), as the text of an ES module (a `data:` URL,
 * as the read pool's): it opens the file with the store's busy timeout and, in one `BEGIN IMMEDIATE` transaction, runs
 * the statements (a statement given without arguments may be several), only if the guard query, when there is one,
 * finds a row; then it commits (or rolls back on the first failure), closes and says how it went. The local driver is
 * synchronous: on the store's own connection a build of a large table would hold the event loop, and with it every read
 * of the process, for as long as it reads the table.
 */
const WRITER = `
import { parentPort, workerData } from 'node:worker_threads';
const { default: Database } = await import(workerData.driver);
let db;
try {
  db = new Database(workerData.path, { timeout: workerData.timeout });
  db.exec('BEGIN IMMEDIATE');
  try {
    const { guard } = workerData;
    if (guard === undefined || db.prepare(guard.sql).get(guard.args) !== undefined)
      for (const { sql, args } of workerData.statements) {
        if (args === undefined) db.exec(sql);
        else db.prepare(sql).run(args);
      }
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  parentPort.postMessage({ ok: true });
} catch (error) {
  parentPort.postMessage({ error: String(error?.message ?? error), code: error?.code });
} finally {
  db?.close();
}
`;

/** One statement for {@link writeOnThread} with its positional arguments, or without arguments a block of statements. */
export interface ThreadStatement {
  sql: string;
  args?: (string | number | null)[];
}

/**
 * Runs `statements` in one write transaction on a connection of their own in a worker thread, so the event loop (and
 * the reads it answers) goes on meanwhile; with `guard`, only if that query, run first in the transaction, finds a
 * row. Resolves once committed, rejects (rolled back) with the first failure. The caller holds this process's write
 * turn, so its other writes wait for it without holding the event loop.
 */
export function writeOnThread(
  path: string,
  timeout: number,
  statements: readonly ThreadStatement[],
  guard?: Required<ThreadStatement>,
): Promise<void> {
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WRITER)}`), {
    // Plain JavaScript: no TypeScript loader of the process in the thread.
    workerData: { driver: libsqlDriver(), path, timeout, statements, guard },
    execArgv: [],
  });
  return new Promise<void>((resolve, reject) => {
    let answered = false;
    worker.once('message', (answer: { ok: true } | { error: string; code?: string }) => {
      answered = true;
      if ('ok' in answer) resolve();
      else reject(new TeamStateError('store_error', `${answer.code ? `${answer.code}: ` : ''}${answer.error}`));
    });
    worker.once('error', (error) => reject(new TeamStateError('store_error', `a write thread failed: ${error.message}`)));
    worker.once('exit', (code) => {
      if (!answered) reject(new TeamStateError('store_error', `a write thread exited with code ${code} before it answered`));
    });
  });
}
