import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InArgs } from '@libsql/client';
import { createTeamState, type SignalDetector, type TeamState, TeamStateError } from '@teamstate/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { libsqlDriver } from '../src/kernel/store/local-driver.js';
import { createReadPool, gatherReads, READ_POOL_MIN_BYTES, type ReadPool, readPoolSize } from '../src/kernel/store/read-pool.js';
import { readsAside } from '../src/kernel/store/reads-aside.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-read-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error a promise rejects with (a promise that resolves is a test failure). */
const failure = <E>(promise: Promise<unknown>): Promise<E> =>
  promise.then(
    () => {
      throw new Error('expected the statement to fail');
    },
    (error: unknown) => error as E,
  );

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

// A file with a few rows of every kind of value, written through the store.
async function database(name: string) {
  const path = join(dir, name);
  const ts = await createTeamState({ database: `file:${path}` });
  await ts.store.write(async (tx) => {
    await tx.execute('CREATE TABLE sample (id INTEGER PRIMARY KEY, name TEXT, score REAL, note TEXT, data BLOB)');
    await tx.execute({
      sql: "INSERT INTO sample VALUES (1, 'Ana', 1.5, NULL, x'00ff'), (2, 'O''Brien; DROP TABLE sample', -2.25, 'a\nb', NULL), (3, '🙂', 0, '', x'')",
      args: [],
    });
  });
  return { ts, url: `file:${path}` };
}

/** Runs `test` with a pool of two readers over a new sample database, closing both after it. */
async function withPool(name: string, test: (pool: ReadPool, ts: TeamState) => Promise<void>): Promise<void> {
  const { ts, url } = await database(name);
  const pool = createReadPool(url, 2, 5_000);
  try {
    await test(pool, ts);
  } finally {
    await pool.close();
    await ts.close();
  }
}

/**
 * A driver module for the threads to import that logs every statement they run into a log of its own (the schema read
 * is what a first statement pays), each after the id of the thread that ran it with `threads`: its URL, what it logged
 * so far, and the statements it prepared.
 */
function loggingDriver(name: string, threads = false): { driver: string; logged: () => string[]; prepared: () => string[] } {
  const log = join(dir, `${name}.log`);
  const driver = join(dir, `${name}-driver.mjs`);
  writeFileSync(
    driver,
    `import { appendFileSync } from 'node:fs';
       import { threadId } from 'node:worker_threads';
       import Database from ${JSON.stringify(libsqlDriver())};
       const logged = (line) => appendFileSync(${JSON.stringify(log)}, ${threads ? "threadId + ' ' + " : ''}line + '\\n');
       export default class LoggingDatabase extends Database {
         exec(sql) {
           logged(sql);
           return super.exec(sql);
         }
         prepare(sql) {
           logged('prepare ' + sql);
           const statement = super.prepare(sql);
           for (const name of ['all', 'run']) {
             const run = statement[name].bind(statement);
             statement[name] = (...args) => {
               logged(sql);
               return run(...args);
             };
           }
           return statement;
         }
       }`,
  );
  const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
  const isPrepare = (line: string) => /^(\d+ )?prepare /.test(line);
  return {
    driver: pathToFileURL(driver).href,
    logged: () => lines().filter((line) => !isPrepare(line)),
    prepared: () => lines().filter(isPrepare),
  };
}

describe('read pool', () => {
  it('has one reader per core, at most 4; one core gets none (the store reads on its own connection)', () => {
    expect([1, 2, 3, 4, 8, 64].map((cores) => readPoolSize(cores))).toEqual([1, 2, 3, 4, 4, 4]);
  });

  it('store reads go to threads only for a file of 2 GiB or more on two cores or more, else to the store itself', async () => {
    const { ts, url } = await database('aside.db');
    const path = url.slice('file:'.length);
    const own = vi.fn((sql: string, args?: InArgs) => ts.store.execute(sql, args));
    const count = 'SELECT count(*) AS n FROM sample';
    try {
      expect(READ_POOL_MIN_BYTES).toBe(2 * 1024 ** 3);
      // A small file, a one-core machine, a store that is not a local file: the store's own connection.
      for (const options of [{ cores: 8 }, { cores: 1, minBytes: 0 }, { cores: 8, minBytes: 0, path: undefined }]) {
        const aside = readsAside({ execute: own, url, path, timeout: 5_000, ...options });
        expect((await aside.readAside(count)).rows[0]!.n).toBe(3);
        await aside.close();
      }
      expect(own).toHaveBeenCalledTimes(3);
      // Large enough (here: any size): the threads, not the store.
      const threads = readsAside({ execute: own, url, path, timeout: 5_000, minBytes: 0, cores: 2 });
      expect((await threads.readAside(count)).rows[0]!.n).toBe(3);
      expect(own).toHaveBeenCalledTimes(3);
      await threads.close();
    } finally {
      await ts.close();
    }
  });

  it('starts no thread as a large file is opened, only when warmed (ready once warm() resolves) or read: a command that never reads aside pays nothing', async () => {
    const { ts, url } = await database('warm.db');
    const own = vi.fn((sql: string, args?: InArgs) => ts.store.execute(sql, args));
    const options = { execute: own, url, path: url.slice('file:'.length), timeout: 5_000, cores: 2, minBytes: 0 };
    const opened = loggingDriver('opened');
    const warmed = loggingDriver('warmed');
    // Two stores open the same large file at once; only the second is warmed (as a server does as it starts).
    const idle = readsAside({ ...options, driver: opened.driver });
    const aside = readsAside({ ...options, driver: warmed.driver });
    const warming = aside.warm();
    try {
      const ready = [
        'PRAGMA query_only = 1',
        'PRAGMA query_only = 1',
        'SELECT count(*) FROM sqlite_schema',
        'SELECT count(*) FROM sqlite_schema',
      ];
      // Each warmed thread opens its connection and reads the schema before any read; warm() resolves after both have.
      expect(warmed.logged()).toEqual([]);
      await warming;
      expect(warmed.logged().sort()).toEqual(ready);
      // The other store's threads would have started as early: none did.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(opened.logged()).toEqual([]);
      expect(own).not.toHaveBeenCalled();
      expect((await aside.readAside('SELECT count(*) AS n FROM sample')).rows[0]!.n).toBe(3);
      expect(warmed.logged()).toContain('SELECT count(*) AS n FROM sample');
      // Its first read aside starts them.
      expect((await idle.readAside('SELECT count(*) AS n FROM sample')).rows[0]!.n).toBe(3);
      // Both have started once warm() resolves, however long a loaded machine takes to start a thread.
      await idle.warm();
      expect(opened.logged().filter((sql) => sql === 'PRAGMA query_only = 1')).toHaveLength(2);
      expect(own).not.toHaveBeenCalled();
    } finally {
      await idle.close();
      await aside.close();
      await ts.close();
    }
  });

  it('starts no thread once closed: a later read aside goes to the store itself, and a warm does nothing', async () => {
    const { ts, url } = await database('warm-closed.db');
    const own = vi.fn((sql: string, args?: InArgs) => ts.store.execute(sql, args));
    const { driver, logged } = loggingDriver('warm-closed');
    const aside = readsAside({ execute: own, url, path: url.slice('file:'.length), timeout: 5_000, cores: 2, minBytes: 0, driver });
    try {
      await aside.close();
      await aside.warm();
      expect((await aside.readAside('SELECT count(*) AS n FROM sample')).rows[0]!.n).toBe(3);
      expect(own).toHaveBeenCalledTimes(1);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(logged()).toEqual([]);
    } finally {
      await ts.close();
    }
  });

  it('warming a store that reads on its own connection does nothing', async () => {
    const { ts, url } = await database('warm-small.db');
    const own = vi.fn((sql: string, args?: InArgs) => ts.store.execute(sql, args));
    const { driver, logged } = loggingDriver('warm-small');
    try {
      // A small file, a one-core machine, a store that is not a local file: no thread, warmed or not.
      for (const options of [{ cores: 8 }, { cores: 1, minBytes: 0 }, { cores: 8, minBytes: 0, path: undefined }]) {
        const aside = readsAside({ execute: own, url, path: url.slice('file:'.length), timeout: 5_000, driver, ...options });
        await aside.warm();
        expect((await aside.readAside('SELECT count(*) AS n FROM sample')).rows[0]!.n).toBe(3);
        await aside.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(logged()).toEqual([]);
      expect(own).toHaveBeenCalledTimes(3);
    } finally {
      await ts.close();
    }
  });

  it('store reads go back to the store itself after a thread died, the read it died in failing with the reason', async () => {
    const { ts, url } = await database('aside-dead.db');
    const own = vi.fn((sql: string, args?: InArgs) => ts.store.execute(sql, args));
    const driver = pathToFileURL(join(dir, 'no-such-driver.mjs')).href;
    const aside = readsAside({ execute: own, url, path: url.slice('file:'.length), timeout: 5_000, minBytes: 0, cores: 2, driver });
    try {
      await expect(aside.readAside('SELECT count(*) AS n FROM sample')).rejects.toThrow(
        /a reader thread failed .*later reads use the store's own connection/,
      );
      expect(own).not.toHaveBeenCalled();
      expect((await aside.readAside('SELECT count(*) AS n FROM sample')).rows[0]!.n).toBe(3);
      expect(own).toHaveBeenCalledTimes(1);
    } finally {
      await aside.close();
      await ts.close();
    }
  });

  it('answers with the rows the store itself reads: by column name, by index, with a length', () =>
    withPool('rows.db', async (pool, ts) => {
      const query = 'SELECT id, name, score, note, data, id AS id, data AS copy FROM sample ORDER BY id';
      const [own, pooled] = [await ts.store.execute(query), await pool.execute(query)];
      expect(pooled.rows.length).toBe(3);
      for (const [i, row] of pooled.rows.entries()) {
        const expected = own.rows[i]!;
        expect({ ...row }).toEqual({ ...expected });
        expect(row.length).toBe(expected.length);
        expect(Array.from({ length: row.length }, (_, c) => row[c])).toEqual(
          Array.from({ length: expected.length }, (_, c) => expected[c]),
        );
      }
      expect(pooled.rows[1]!.name).toBe("O'Brien; DROP TABLE sample");
      // Arguments are bound, never spliced.
      const bound = await pool.execute('SELECT name FROM sample WHERE name = ? OR id = ?', ["O'Brien; DROP TABLE sample", 3]);
      expect(bound.rows.map((r) => r.name)).toEqual(["O'Brien; DROP TABLE sample", '🙂']);
    }));

  it('runs a statement while another one is still running on a second connection', () =>
    withPool('side-by-side.db', async (pool) => {
      await pool.execute('SELECT 1');
      const done: string[] = [];
      // Millions of steps (about a second, quiet): far longer than the quick statement sent after it.
      const slow = pool
        .execute('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000) SELECT count(*) AS c FROM n')
        .then(() => done.push('slow'));
      const quick = pool.execute('SELECT count(*) AS c FROM sample').then(() => done.push('quick'));
      await Promise.all([slow, quick]);
      expect(done).toEqual(['quick', 'slow']);
    }));

  it('runs a batch one statement after the other on one thread, each answering or failing on its own', async () => {
    const { ts, url } = await database('batch.db');
    // Each statement the threads run, with the thread that ran it.
    const { driver, logged, prepared } = loggingDriver('batch', true);
    const pool = createReadPool(url, 2, 5_000, driver);
    try {
      pool.warm();
      const statements = [
        { sql: 'SELECT count(*) AS n FROM sample' },
        { sql: 'SELECT * FROM no_such_table' },
        { sql: 'SELECT name FROM sample WHERE id = ?', args: [2] },
      ];
      const [count, missing, name] = pool.batch(statements);
      const own = await failure<Error & { code?: string }>(ts.store.execute('SELECT * FROM no_such_table'));
      expect((await count!).rows[0]!.n).toBe(3);
      const pooled = await failure<Error & { code?: string }>(missing!);
      expect([pooled.message, pooled.code]).toEqual([own.message, own.code]);
      expect((await name!).rows[0]!.name).toBe("O'Brien; DROP TABLE sample");
      // The batch's statements, after the two threads' start: each prepared in turn on one thread (the missing table
      // fails there), the others run.
      const batch = (lines: string[]) => lines.filter((line) => !/ (PRAGMA query_only|SELECT count\(\*\) FROM sqlite_schema)/.test(line));
      const sqlOf = (line: string) => line.replace(/^\d+ (prepare )?/, '');
      expect(batch(prepared()).map(sqlOf)).toEqual(statements.map(({ sql }) => sql));
      expect(batch(logged()).map(sqlOf)).toEqual([statements[0]!.sql, statements[2]!.sql]);
      expect(new Set([...batch(prepared()), ...batch(logged())].map((line) => line.split(' ')[0])).size).toBe(1);
      expect(pool.batch([])).toEqual([]);
    } finally {
      await pool.close();
      await ts.close();
    }
  });

  it('prepares a statement once and runs it again with other arguments, reading each time what was committed', async () => {
    const { ts, url } = await database('prepared.db');
    const { driver, logged, prepared } = loggingDriver('prepared');
    const pool = createReadPool(url, 1, 5_000, driver);
    const byId = 'SELECT name FROM sample WHERE id = ?';
    try {
      expect((await pool.execute(byId, [1])).rows[0]!.name).toBe('Ana');
      await ts.store.write((tx) => tx.execute({ sql: 'UPDATE sample SET name = ? WHERE id = ?', args: ['Bea', 1] }));
      expect((await pool.execute(byId, [1])).rows[0]!.name).toBe('Bea');
      expect((await pool.batch([{ sql: byId, args: [3] }])[0]!).rows[0]!.name).toBe('🙂');
      expect(prepared().filter((line) => line === `prepare ${byId}`)).toHaveLength(1);
      expect(logged().filter((line) => line === byId)).toHaveLength(3);
      // A statement kept prepared holds no snapshot: the whole log is checkpointed.
      const [checkpoint] = (await ts.store.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows;
      expect([checkpoint!.busy, checkpoint!.log]).toEqual([0, 0]);
    } finally {
      await pool.close();
      await ts.close();
    }
  });

  it('reads values, takes arguments and fails as the store’s own connection does', () =>
    withPool('as-the-store.db', async (pool, ts) => {
      const statements: { sql: string; args?: InArgs }[] = [
        { sql: 'SELECT * FROM sample ORDER BY id' },
        { sql: 'SELECT :a AS a, @b AS b, $c AS c, :d AS d', args: { a: 1.5, '@b': true, $c: null, ':d': new Date(0) } },
        { sql: 'SELECT ? AS blob, ? AS big, ? AS text', args: [new Uint8Array([1, 2, 255]).buffer, 2n ** 53n - 1n, 'é'] },
        { sql: 'SELECT ? AS big', args: [2n ** 60n] },
        { sql: 'SELECT ? AS x', args: [Number.POSITIVE_INFINITY] },
        { sql: 'SELECT ? AS x', args: [2n ** 64n] },
        { sql: 'SELEC 1' },
        { sql: 'SELECT * FROM sample WHERE id = ?', args: [1, 2] },
      ];
      const outcome = (answer: Promise<{ rows: InArgs[] }>) =>
        answer.then(
          ({ rows }) => rows.map((row) => ({ ...row, values: Array.from(row as ArrayLike<unknown>) })),
          (error: Error & { code?: string; rawCode?: number }) => [error.name, error.message, error.code, error.rawCode],
        );
      const own = await Promise.all(statements.map(({ sql, args }) => outcome(ts.store.execute(sql, args))));
      expect(own[0]).toHaveLength(3);
      expect(own.slice(3).every(Array.isArray)).toBe(true);
      expect(await Promise.all(statements.map(({ sql, args }) => outcome(pool.execute(sql, args))))).toEqual(own);
      expect(await Promise.all(pool.batch(statements).map(outcome))).toEqual(own);
    }));

  it('reads a BLOB handed as a view into a larger buffer as its own bytes, not the whole buffer', async () => {
    const { ts, url } = await database('views.db');
    // A driver whose BLOB values are views into Node's shared pool of small buffers, not buffers of their own.
    const driver = join(dir, 'views-driver.mjs');
    writeFileSync(
      driver,
      `import Database from ${JSON.stringify(libsqlDriver())};
       const view = (value) => (value instanceof Uint8Array ? Buffer.from(value) : value);
       export default class ViewDatabase extends Database {
         prepare(sql) {
           const statement = super.prepare(sql);
           const all = statement.all.bind(statement);
           statement.all = (...args) => all(...args).map((row) => (Array.isArray(row) ? row.map(view) : row));
           return statement;
         }
       }`,
    );
    const pool = createReadPool(url, 1, 5_000, pathToFileURL(driver).href);
    try {
      const query = "SELECT data, x'0102' AS two FROM sample ORDER BY id";
      const own = await ts.store.execute(query);
      const pooled = await pool.execute(query);
      expect(pooled.rows.map((row) => ({ ...row }))).toEqual(own.rows.map((row) => ({ ...row })));
    } finally {
      await pool.close();
      await ts.close();
    }
  });

  it('sends a batch to a busy thread, which runs it next without the event loop; a single statement waits for a free one', async () => {
    const { ts, url } = await database('pipelined.db');
    const { driver, logged } = loggingDriver('pipelined');
    const pool = createReadPool(url, 1, 5_000, driver);
    const slow = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT count(*) AS c FROM n';
    /** Holds the event loop until the threads logged `sql` (true), or for `ms` (false). */
    const holdUntilRun = (sql: string, ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) if (logged().includes(sql)) return true;
      return false;
    };
    try {
      await pool.execute('SELECT 1');
      const started = performance.now();
      const first = [pool.execute(slow), ...pool.batch([{ sql: 'SELECT 2 AS queued' }])];
      expect(holdUntilRun('SELECT 2 AS queued', 10_000)).toBe(true);
      // How long the slow statement ran: the statement sent after it would have run by three times that.
      const slowMs = performance.now() - started;
      expect((await Promise.all(first)).map(({ rows }) => rows[0]![0])).toEqual([1_000_000, 2]);
      const second = [pool.execute(slow), pool.execute('SELECT 3 AS waiting')];
      expect(holdUntilRun('SELECT 3 AS waiting', 3 * slowMs)).toBe(false);
      expect((await Promise.all(second)).map(({ rows }) => rows[0]![0])).toEqual([1_000_000, 3]);
    } finally {
      await pool.close();
      await ts.close();
    }
  });

  it('closing while a thread runs a batch runs none of the batches waiting in its port', async () => {
    const { ts, url } = await database('closing-batches.db');
    const { driver, logged } = loggingDriver('closing-batches');
    const pool = createReadPool(url, 1, 5_000, driver);
    const slow = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT count(*) AS c FROM n';
    try {
      await pool.execute('SELECT 1');
      const answers = Promise.allSettled([
        ...pool.batch([{ sql: slow }]),
        ...pool.batch([{ sql: 'SELECT 2 AS never' }, { sql: 'SELECT 3 AS never' }]),
      ]);
      // Both sent: the second waits in the thread's port.
      // Polled without a time limit (vi.waitFor gives up after a second, which a loaded machine can take to get there).
      while (!logged().includes(slow)) await new Promise((resolve) => setTimeout(resolve, 10));
      await pool.close();
      for (const answer of await answers)
        expect(answer).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/the store is closed/) } });
      expect(logged().filter((sql) => sql.includes('never'))).toEqual([]);
    } finally {
      await ts.close();
    }
  });

  it('a batch on the store’s own connection runs in order, the event loop turning before each statement', async () => {
    const { ts, url } = await database('batch-own.db');
    const events: string[] = [];
    const own = vi.fn((sql: string, args?: InArgs) => {
      events.push(sql);
      return ts.store.execute(sql, args);
    });
    const aside = readsAside({ execute: own, url, path: url.slice('file:'.length), timeout: 5_000, cores: 1, minBytes: 0 });
    try {
      const answers = aside.readAsideBatch([
        { sql: 'SELECT count(*) AS n FROM sample' },
        { sql: 'SELECT * FROM no_such_table' },
        { sql: 'SELECT name FROM sample WHERE id = ?', args: [1] },
      ]);
      // Another request's callback, queued once each statement ran (and at first): it runs before the next statement.
      const turns = (left: number) =>
        setImmediate(() => {
          events.push('turn');
          if (left > 0) turns(left - 1);
        });
      turns(3);
      expect(own).not.toHaveBeenCalled();
      expect((await answers[0]!).rows[0]!.n).toBe(3);
      await expect(answers[1]!).rejects.toThrow(/no such table/);
      expect((await answers[2]!).rows[0]!.name).toBe('Ana');
      expect(events.filter((event) => event !== 'turn')).toEqual([
        'SELECT count(*) AS n FROM sample',
        'SELECT * FROM no_such_table',
        'SELECT name FROM sample WHERE id = ?',
      ]);
      // Never two statements in one turn.
      expect(events.join('|')).not.toMatch(/SELECT[^|]*\|SELECT/);
    } finally {
      await aside.close();
      await ts.close();
    }
  });

  it('gathers the statements of callers reading at once into one batch, sent once each running caller waits', async () => {
    const { ts } = await database('gather.db');
    const batches: string[][] = [];
    const batch = (statements: readonly { sql: string; args?: InArgs }[]) => {
      batches.push(statements.map(({ sql }) => sql));
      return statements.map(({ sql, args }) => ts.store.execute(sql, args));
    };
    const x = async (rows: Promise<{ rows: Record<string, unknown>[] }>) => (await rows).rows[0]!.x;
    try {
      // Every caller waits for its statement: the batch goes at once, before the event loop turns.
      const gathering = gatherReads(batch);
      const now = gathering.all([() => x(gathering.read('SELECT 1 AS x')), () => x(gathering.read('SELECT ? AS x', [2]))]);
      expect(batches).toEqual([['SELECT 1 AS x', 'SELECT ? AS x']]);
      expect(await now).toEqual([1, 2]);
      // A caller waiting for something else (a timer): the others' statements go once the loop turns; a statement
      // asked for after a batch went goes with the next one, and a failing one fails only its caller.
      batches.length = 0;
      const later = gatherReads(batch);
      const results = await later.all([
        async () => [await x(later.read('SELECT 1 AS x')), await x(later.read('SELECT 4 AS x'))],
        () => x(later.read('SELECT * FROM no_such_table')).catch((error: Error) => error.message),
        async () => {
          await Promise.resolve();
          return x(later.read('SELECT 3 AS x'));
        },
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          return x(later.read('SELECT 5 AS x'));
        },
      ]);
      expect(results).toEqual([[1, 4], expect.stringMatching(/no such table/), 3, 5]);
      expect(batches).toEqual([['SELECT 1 AS x', 'SELECT * FROM no_such_table', 'SELECT 3 AS x'], ['SELECT 4 AS x'], ['SELECT 5 AS x']]);
    } finally {
      await ts.close();
    }
  });

  it('reads only: a write is refused and changes nothing', () =>
    withPool('read-only.db', async (pool, ts) => {
      await expect(pool.execute("INSERT INTO sample (id, name) VALUES (9, 'x')")).rejects.toThrow(/readonly|read-only|query_only/i);
      await expect(pool.execute('DELETE FROM sample')).rejects.toThrow(/readonly|read-only|query_only/i);
      expect((await ts.store.execute('SELECT count(*) AS n FROM sample')).rows[0]!.n).toBe(3);
    }));

  it("fails a bad statement with the driver's message and code, and goes on answering", () =>
    withPool('errors.db', async (pool, ts) => {
      const own = await failure<Error & { code?: string }>(ts.store.execute('SELECT * FROM no_such_table'));
      const pooled = await failure<Error & { code?: string }>(pool.execute('SELECT * FROM no_such_table'));
      expect(pooled).toBeInstanceOf(Error);
      expect(pooled.message).toBe(own.message);
      expect(pooled.code).toBe(own.code);
      expect((await pool.execute('SELECT count(*) AS n FROM sample')).rows[0]!.n).toBe(3);
    }));

  it('sees what was committed before the statement started', () =>
    withPool('committed.db', async (pool, ts) => {
      expect((await pool.execute('SELECT count(*) AS n FROM sample')).rows[0]!.n).toBe(3);
      await ts.store.write((tx) => tx.execute("INSERT INTO sample (id, name) VALUES (4, 'Ben')"));
      expect((await pool.execute('SELECT count(*) AS n FROM sample')).rows[0]!.n).toBe(4);
    }));

  it('fails every statement once closed, with a clear error', async () => {
    const { ts, url } = await database('closed.db');
    const pool = createReadPool(url, 2, 5_000);
    const running = pool.execute(
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000000) SELECT count(*) FROM n',
    );
    const closing = pool.close();
    await expect(running).rejects.toThrow(TeamStateError);
    await expect(running).rejects.toThrow(/parallel reads of file:.*closed\.db: the store is closed/);
    await expect(pool.execute('SELECT 1')).rejects.toThrow(/the store is closed/);
    await closing;
    await ts.close();
  });

  it('fails only the statement whose argument cannot be sent to a thread, and goes on answering', () =>
    withPool('uncloneable.db', async (pool) => {
      const unsendable = [() => 1] as unknown as [];
      await expect(pool.execute('SELECT ? AS x', unsendable)).rejects.toThrow(/could not be cloned/);
      expect(pool.broken).toBe(false);
      expect((await Promise.all([1, 2, 3].map(() => pool.execute('SELECT count(*) AS n FROM sample')))).map((r) => r.rows[0]!.n)).toEqual([
        3, 3, 3,
      ]);
    }));

  it('stops answering when a thread dies (here: the driver module cannot be imported), saying why', async () => {
    const { ts, url } = await database('dead-thread.db');
    const pool = createReadPool(url, 2, 5_000, pathToFileURL(join(dir, 'no-such-driver.mjs')).href);
    try {
      // Warming resolves once the threads have ended: a server waiting for them starts all the same.
      await pool.warm();
      expect(pool.broken).toBe(true);
      const failed = await failure<TeamStateError>(pool.execute('SELECT 1'));
      expect(failed).toBeInstanceOf(TeamStateError);
      expect(failed.code).toBe('store_error');
      expect(failed.message).toMatch(
        /parallel reads of file:.*dead-thread\.db: a reader thread failed \(.*no-such-driver\.mjs.*\); later reads use the store's own connection/,
      );
      expect(pool.broken).toBe(true);
      await expect(pool.execute('SELECT 1')).rejects.toBe(failed);
    } finally {
      await pool.close();
      await ts.close();
    }
  });

  it('closing while a thread starts or runs a statement ends it after that, without taking the process down', () => {
    const url = `file:${join(dir, 'closing.db')}`;
    const script = join(dir, 'closing.mjs');
    const pool = pathToFileURL(join(import.meta.dirname, '../src/kernel/store/read-pool.ts')).href;
    // A thread ended in the middle of the driver's native code aborted the whole process (a panic in its bindings).
    writeFileSync(
      script,
      `import { createReadPool } from ${JSON.stringify(pool)};
       const pool = createReadPool(${JSON.stringify(url)}, 2, 5000);
       const long = 'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 20000000) SELECT count(*) FROM c';
       const running = pool.execute(long).then(() => 'answered', (error) => error.message);
       await pool.execute('SELECT 1');
       await new Promise((resolve) => setTimeout(resolve, 300));
       pool.close();
       process.stdout.write((await running) + '\\n');
       // Closed as its threads start.
       const starting = createReadPool(${JSON.stringify(url)}, 2, 5000);
       starting.warm();
       starting.close();
       process.stdout.write('done');`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.error).toBeUndefined();
    expect(child.stderr).not.toMatch(/panicked/);
    expect(child.stdout).toBe(`parallel reads of ${url}: the store is closed\ndone`);
    expect(child.status).toBe(0);
  }, 70_000);

  it('refuses a size that is not a whole number of at least 1', () => {
    expect(() => createReadPool('file:x.db', 0, 5_000)).toThrow('size: expected a whole number ≥ 1, got 0');
    expect(() => createReadPool('file:x.db', 1.5, 5_000)).toThrow('size: expected a whole number ≥ 1, got 1.5');
  });

  it('never keeps the process alive while idle: a script that reads, or only warms, and never closes ends by itself', () => {
    const { url } = { url: `file:${join(dir, 'idle.db')}` };
    const script = join(dir, 'idle.mjs');
    const pool = pathToFileURL(join(import.meta.dirname, '../src/kernel/store/read-pool.ts')).href;
    // The pool module imports only node: built-ins, the client's driver and the kernel's own modules: run it with Node's type stripping.
    // Read once; and only warmed, never read.
    for (const [work, printed] of [
      ["const { rows } = await pool.execute('SELECT 40 + 2 AS answer'); process.stdout.write(String(rows[0].answer));", '42'],
      ["pool.warm(); process.stdout.write('warmed');", 'warmed'],
    ]) {
      writeFileSync(
        script,
        `import { createReadPool } from ${JSON.stringify(pool)};
         const pool = createReadPool(${JSON.stringify(url)}, 2, 5000);
         ${work}`,
      );
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
      expect(child.error).toBeUndefined();
      expect(child.stdout).toBe(printed);
      expect(child.status).toBe(0);
    }
  });
});

describe('signals refresh on a local file', () => {
  it('runs the detectors side by side: two that each wait for the other finish', async () => {
    // Each detector waits until the other has started reading; one after the other, the first would wait forever.
    const started = { a: deferred(), b: deferred() };
    const waiting = (mine: 'a' | 'b', other: 'a' | 'b'): SignalDetector => ({
      specificationVersion: 'v1',
      kind: `test.${mine}`,
      title: mine,
      description: `Waits for ${other}.`,
      async detect(db) {
        const { rows } = await db.execute('SELECT count(*) AS n FROM people');
        started[mine].resolve();
        // No time limit: on a loaded machine the other's thread may take long to start. One after the other, this
        // waits forever and the test fails at its own timeout.
        await started[other].promise;
        return [{ severity: 'info', subject: { type: 'team', id: mine }, title: `${mine} saw ${rows[0]!.n} people`, evidence: {} }];
      },
    });
    const ts = await createTeamState({
      database: `file:${join(dir, 'side-by-side-detectors.db')}`,
      signals: [waiting('a', 'b'), waiting('b', 'a')],
    });
    try {
      const result = await ts.signals.refresh();
      expect(result.byKind).toEqual({ 'test.a': 1, 'test.b': 1 });
      expect((await ts.signals.list()).map((s) => s.title).sort()).toEqual(['a saw 0 people', 'b saw 0 people']);
    } finally {
      await ts.close();
    }
  });

  it("writes what it found in one transaction that does not wait for the disk (durability 'normal')", async () => {
    const one: SignalDetector = {
      specificationVersion: 'v1',
      kind: 'test.one',
      title: 'One',
      description: 'Always one.',
      async detect() {
        return [{ severity: 'info', subject: { type: 'team', id: 'x' }, title: 'x', evidence: {} }];
      },
    };
    const ts = await createTeamState({ database: `file:${join(dir, 'durability.db')}`, signals: [one] });
    try {
      const writes = vi.spyOn(ts.store, 'write');
      expect(await ts.signals.refresh()).toMatchObject({ open: 1, opened: 1 });
      expect(writes.mock.calls.map(([, options]) => options)).toEqual([{ durability: 'normal' }]);
    } finally {
      await ts.close();
    }
  });

  it('writes nothing when one detector fails, whatever the others found', async () => {
    const found: SignalDetector = {
      specificationVersion: 'v1',
      kind: 'test.found',
      title: 'Found',
      description: 'Always one.',
      async detect() {
        return [{ severity: 'info', subject: { type: 'team', id: 'x' }, title: 'x', evidence: {} }];
      },
    };
    const broken: SignalDetector = {
      specificationVersion: 'v1',
      kind: 'test.broken',
      title: 'Broken',
      description: 'Reads a table that does not exist.',
      async detect(db) {
        await db.execute('SELECT * FROM no_such_table');
        return [];
      },
    };
    const ts = await createTeamState({ database: `file:${join(dir, 'failing-detector.db')}`, signals: [found, broken] });
    try {
      await expect(ts.signals.refresh()).rejects.toThrow(/no such table: no_such_table/);
      expect((await ts.store.execute('SELECT count(*) AS n FROM signals')).rows[0]!.n).toBe(0);
      expect((await ts.store.execute('SELECT count(*) AS n FROM signal_detector_runs')).rows[0]!.n).toBe(0);
    } finally {
      await ts.close();
    }
  });
});
