import type { Row } from '@libsql/client';

/**
 * The reader thread, as the text of an ES module (a `data:` URL: no file to find next to a bundle). It imports the
 * libSQL driver the client this package resolved uses (the client has no prepared statements), opens the file with the
 * store's busy timeout, read-only (`query_only`), reads the schema once (what its first statement would pay) and says
 * it is ready; then it answers each message of statements, run one after the other, with one message: each
 * statement's columns and rows as plain arrays (structured-cloned; each BLOB's buffer moved, not copied, when the
 * driver made one for the value), or the error's message and codes. It keeps its last PREPARED statements: a metric
 * asked of another team is the same text, and preparing it cost a third of running it. Arguments and values convert as
 * the client converts them (intMode 'number'), errors read as its errors. A statement fails with the error
 * `query_only` failed with, if it did, and runs not at all once the pool is closed (`stop`). A thread runs one message
 * at a time (the driver is synchronous); the next waits in its port.
 */
export const READER = `
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

/** A thread's message: it is ready, or the answers to the statements of message `id`, in order. */
export type Answer =
  | { ready: true }
  | {
      id: number;
      results: (
        | { columns: string[]; rows: unknown[][] }
        | { error: { message: string; name?: string; code?: string; rawCode?: number } }
      )[];
    };

/** A row as the libSQL client makes it: values by column name (enumerable) and by index, and a length. */
export function rowOf(columns: readonly string[], values: readonly unknown[]): Row {
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
export function errorOf(error: { message: string; name?: string; code?: string; rawCode?: number }): Error {
  return Object.assign(new Error(error.message), {
    ...(error.name ? { name: error.name } : {}),
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.rawCode === undefined ? {} : { rawCode: error.rawCode }),
  });
}
