// What the scale bench's sync part measures, apart from running it (tested in test/scale-sync-measure.test.ts):
// the child's arguments, the store's share of a sync's wall clock, and the rows a sync added. Plain TypeScript only
// (no enums, no parameter properties): the child runs it with Node's own type stripping.
import type { Connector, SyncContext } from '@teamstate/core';

/** What the sync child is asked to do. */
export type SyncChildArgs =
  | { mode: 'sync'; githubUrl: string; jiraUrl: string; database: string }
  | { mode: 'raw'; database: string; marks: RowMarks };

const USAGE = 'usage: scale-sync-child.ts sync <github url> <jira url> <database> | raw <database> <marks JSON>';

/** Parses `sync <github url> <jira url> <database>` or `raw <database> <marks JSON>`; throws naming what is wrong. */
export function parseSyncChildArgs(argv: readonly string[]): SyncChildArgs {
  const [mode, ...rest] = argv;
  const url = (name: string, value: string | undefined) => {
    if (!value || !/^https?:\/\//.test(value)) throw new Error(`${name}: expected an http(s) URL, got ${JSON.stringify(value)}; ${USAGE}`);
    return value;
  };
  const file = (value: string | undefined) => {
    if (!value) throw new Error(`database: expected a file path; ${USAGE}`);
    return value;
  };
  if (mode === 'sync' && rest.length === 3)
    return { mode, githubUrl: url('github url', rest[0]), jiraUrl: url('jira url', rest[1]), database: file(rest[2]) };
  if (mode === 'raw' && rest.length === 2) {
    let marks: unknown;
    try {
      marks = JSON.parse(rest[1]!);
    } catch {
      throw new Error(`marks: expected JSON, got ${JSON.stringify(rest[1]!.slice(0, 40))}; ${USAGE}`);
    }
    const valid =
      typeof marks === 'object' &&
      marks !== null &&
      !Array.isArray(marks) &&
      Object.values(marks).every(
        (m) =>
          typeof m === 'object' &&
          m !== null &&
          Number.isInteger(m.rowid) &&
          Number.isInteger(m.rows) &&
          (m.byItem === undefined || typeof m.byItem === 'boolean'),
      );
    if (!valid) throw new Error(`marks: expected { "<table>": { "rowid": <integer>, "rows": <integer>, "byItem"?: <boolean> } }; ${USAGE}`);
    return { mode, database: file(rest[0]), marks: marks as RowMarks };
  }
  throw new Error(`expected "sync" with 3 arguments or "raw" with 2, got ${JSON.stringify(argv)}; ${USAGE}`);
}

/** Where the store's time goes during a sync: milliseconds inside the context's store calls, and how many calls. */
export interface StoreTime {
  ms: number;
  calls: number;
}

/**
 * The connector, with every store call of its sync context timed into `spent`: `emit` (validate, resolve references,
 * write a batch and its cursors in one transaction), `resolvePeople`, `existing` and `getCursor`. Everything else is
 * the connector's own: HTTP requests, JSON parsing, mapping. Overlapping calls count their time once.
 */
export function timedConnector(connector: Connector, spent: StoreTime, clock: () => number = () => performance.now()): Connector {
  // Calls may overlap (Promise.all): the time counted is while at least one is running.
  let running = 0;
  let since = 0;
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (running++ === 0) since = clock();
      spent.calls += 1;
      try {
        return await fn(...args);
      } finally {
        if (--running === 0) spent.ms += clock() - since;
      }
    };
  return {
    ...connector,
    sync: (ctx: SyncContext) =>
      connector.sync({
        ...ctx,
        emit: timed(ctx.emit),
        resolvePeople: timed(ctx.resolvePeople),
        existing: timed(ctx.existing),
        getCursor: timed(ctx.getCursor),
      }),
  };
}

/** The store calls of a sync context, as a connector made them (plain JSON: batches are bundle records). */
export type StoreCall =
  | { call: 'emit'; args: Parameters<SyncContext['emit']> }
  | { call: 'resolvePeople'; args: Parameters<SyncContext['resolvePeople']> }
  | { call: 'existing'; args: Parameters<SyncContext['existing']> }
  | { call: 'getCursor'; args: Parameters<SyncContext['getCursor']> };

const STORE_CALLS = ['emit', 'resolvePeople', 'existing', 'getCursor'] as const;

/** The connector, handing each store call of its sync context to `record` (in order) before making it. */
export function recordStoreCalls(connector: Connector, record: (call: StoreCall) => void): Connector {
  return {
    ...connector,
    sync: (ctx: SyncContext) => {
      const recorded = { ...ctx };
      for (const call of STORE_CALLS) {
        const made = ctx[call] as (...args: unknown[]) => Promise<unknown>;
        (recorded as Record<string, unknown>)[call] = (...args: unknown[]) => {
          record({ call, args } as StoreCall);
          return made(...args);
        };
      }
      return connector.sync(recorded);
    },
  };
}

/**
 * A connector with the given id that makes `calls` again, in order, and nothing else: a sync's store work (validate,
 * resolve people and references, write, commit page by page) without its HTTP requests, parsing and mapping.
 */
export function replayStoreCalls(id: string, calls: readonly StoreCall[]): Connector {
  return {
    specificationVersion: 'v1',
    id,
    async sync(ctx) {
      for (const { call, args } of calls) await (ctx[call] as (...a: unknown[]) => Promise<unknown>)(...args);
    },
  };
}

/**
 * Per table: the largest rowid and the number of rows before a sync. A table whose rows live in its primary key
 * (WITHOUT ROWID: transitions) has no rowid: its mark is the largest rowid of `work_items`, and `byItem` says its rows
 * past the mark are those of the items past it (the bench's sync adds new items only; {@link addedRows} checks it
 * against the table's count).
 */
export type RowMarks = Record<string, { rowid: number; rows: number; byItem?: boolean }>;

/** The condition (its one `?` the mark's rowid) that picks a table's rows past its mark. */
export const pastMark = (mark: RowMarks[string]): string =>
  mark.byItem ? 'work_item_id IN (SELECT id FROM work_items WHERE rowid > ?)' : 'rowid > ?';

/** Runs one read statement and returns its rows (a `@libsql/client` client or transaction's `execute`, bound). */
export type ReadRows = (sql: string, args?: (string | number)[]) => Promise<Record<string, unknown>[]>;

/** Each table's largest rowid and row count: what {@link addedRows} compares against after the sync. */
export async function rowMarks(read: ReadRows, tables: readonly string[]): Promise<RowMarks> {
  const marks: RowMarks = {};
  for (const table of tables) {
    const [list] = await read('SELECT wr FROM pragma_table_list WHERE name = ?', [table]);
    const byItem = Number(list?.wr ?? 0) === 1;
    const [row] = await read(
      `SELECT (SELECT coalesce(max(rowid), 0) FROM ${byItem ? 'work_items' : table}) AS rowid, count(*) AS rows FROM ${table}`,
    );
    marks[table] = { rowid: Number(row!.rowid), rows: Number(row!.rows), ...(byItem ? { byItem } : {}) };
  }
  return marks;
}

/**
 * The rows each table gained since `marks`: those past its largest rowid (SQLite gives a new row the next rowid; an
 * upsert that updates a stored row keeps its rowid, so updated rows count on neither side of the comparison). Throws
 * when a table also lost rows, which would make the rows past the mark a different set from the rows added.
 */
export async function addedRows(read: ReadRows, marks: RowMarks): Promise<Record<string, number>> {
  const added: Record<string, number> = {};
  for (const [table, mark] of Object.entries(marks)) {
    const [row] = await read(`SELECT count(*) AS rows, count(*) FILTER (WHERE ${pastMark(mark)}) AS added FROM ${table}`, [mark.rowid]);
    const [rows, past] = [Number(row!.rows), Number(row!.added)];
    if (rows - mark.rows !== past)
      throw new Error(
        `${table}: ${past} rows past rowid ${mark.rowid} but ${rows - mark.rows} more rows in all: the sync removed stored rows`,
      );
    if (past > 0) added[table] = past;
  }
  return added;
}

/** Deletes the rows past each table's mark (children first, the reverse of the marks' order), in the open transaction. */
export async function deleteAdded(run: (sql: string, args: (string | number)[]) => Promise<unknown>, marks: RowMarks): Promise<void> {
  for (const [table, mark] of Object.entries(marks).reverse()) await run(`DELETE FROM ${table} WHERE ${pastMark(mark)}`, [mark.rowid]);
}
