// One side of the scale import, in its own process so its peak RSS is its own.
// `teamstate <bundle> <db>`: ts.importFile() of the generated organisation into a new database.
// `raw <source db> <db>`: the same rows, read back from the teamstate database page by page (untimed), written as plain
// multi-row INSERTs through @libsql/client into the same (migrated, WAL) schema in one transaction (timed). Like
// teamstate's local writes, it lets the event loop turn every 16 statements: the synchronous driver frees a statement
// only then, so a loop that never turns holds every statement of the transaction (23 GB at the full size).
// Each side reports the wall-clock seconds and the CPU seconds (user + system, this process) of its timed part: on a
// shared machine the CPU time compares the two sides even when the load differs between their runs.
import { createClient, type InValue } from '@libsql/client';
import { createTeamState } from '@teamstate/core';
import { RECORD_TABLES } from '@teamstate/core/store';

// Its own peak, not its parent's (see scripts/peak-rss.ts); loaded by URL, so that Node's type stripping runs it too.
const { peakRssMb } = (await import(
  new URL('../../../scripts/peak-rss.ts', import.meta.url).href
)) as typeof import('../../../scripts/peak-rss.js');

const [mode, input, database] = process.argv.slice(2) as ['teamstate' | 'raw', string, string];
const now = new Date('2026-11-21T10:00:00Z');
// Pages of 5,000 rows (untimed reads) keep the baseline's own heap small, so its peak RSS is the writing's.
const PAGE = 5_000;
const STATEMENTS_PER_TURN = 16;

let seconds = 0;
let cpuSeconds = 0;
let rows = 0;
/** CPU seconds (user + system) since an earlier `process.cpuUsage()`. */
const cpuSince = (start: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
};
const ts = await createTeamState({ database: `file:${database}`, clock: () => now });
if (mode === 'teamstate') {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await ts.importFile(input);
  cpuSeconds = cpuSince(cpu);
  seconds = (performance.now() - started) / 1000;
  for (const table of RECORD_TABLES) rows += Number((await ts.store.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  await ts.close();
} else {
  await ts.close(); // the target's schema, migrated by teamstate, untimed
  const source = createClient({ url: `file:${input}` });
  const client = createClient({ url: `file:${database}`, timeout: 10_000 });
  const tx = await client.transaction('write');
  let statements = 0;
  for (const table of RECORD_TABLES) {
    // Pages in key order: the rowid's, or the primary key's for a table whose rows live in it (WITHOUT ROWID).
    const rowless =
      Number((await source.execute({ sql: 'SELECT wr FROM pragma_table_list WHERE name = ?', args: [table] })).rows[0]?.wr) === 1;
    const key = rowless
      ? (await source.execute({ sql: 'SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk', args: [table] })).rows.map((r) =>
          String(r.name),
        )
      : ['rowid'];
    const keyList = key.join(', ');
    let last: InValue[] | undefined;
    for (;;) {
      const after = last === undefined ? '' : `WHERE (${keyList}) > (${key.map(() => '?').join(', ')})`;
      const page = await source.execute({
        sql: `SELECT ${key.map((k, i) => `${k} AS _k${i}`).join(', ')}, * FROM ${table} ${after} ORDER BY ${keyList} LIMIT ${PAGE}`,
        args: last ?? [],
      });
      if (page.rows.length === 0) break;
      const lastRow = page.rows.at(-1)!;
      last = key.map((_, i) => lastRow[`_k${i}`] as InValue);
      const columns = page.columns.filter((c) => !/^_k\d+$/.test(c));
      const data = page.rows.map((r) => columns.map((c) => r[c] as InValue));
      rows += data.length;
      const perStatement = Math.min(500, Math.floor(30_000 / columns.length));
      const started = performance.now();
      const cpu = process.cpuUsage();
      for (let i = 0; i < data.length; i += perStatement) {
        const chunk = data.slice(i, i + perStatement);
        const values = chunk.map(() => `(${columns.map(() => '?').join(',')})`).join(',');
        await tx.execute({ sql: `INSERT INTO ${table} (${columns.join(',')}) VALUES ${values}`, args: chunk.flat() });
        if (++statements % STATEMENTS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      cpuSeconds += cpuSince(cpu);
      seconds += (performance.now() - started) / 1000;
    }
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  await tx.commit();
  cpuSeconds += cpuSince(cpu);
  seconds += (performance.now() - started) / 1000;
  client.close();
  source.close();
}
process.stdout.write(JSON.stringify({ seconds, cpuSeconds, rows, maxRssMb: peakRssMb() }));
