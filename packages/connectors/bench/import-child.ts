// One side of the import benchmark, in its own process so its peak RSS is its own.
// `teamstate <dir>`: ts.import() of the large demo bundle. `raw <dir>`: the same rows as plain
// multi-row INSERTs through @libsql/client into the same (migrated, WAL) schema, in one transaction.
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { RECORD_TABLES } from '@teamstate/core/store';

// Its own peak, not its parent's (see scripts/peak-rss.ts); loaded by URL, so that Node's type stripping runs it too.
const { peakRssMb } = (await import(
  new URL('../../../scripts/peak-rss.ts', import.meta.url).href
)) as typeof import('../../../scripts/peak-rss.js');

const [mode, dir] = process.argv.slice(2) as ['teamstate' | 'raw', string];
const now = new Date('2026-11-21T10:00:00Z');
const bundle = demoBundle({ now, scale: 'large' });
const rssBefore = process.memoryUsage().rss;

const source = await createTeamState({ database: `file:${join(dir, `${mode}-source.db`)}`, clock: () => now });
let seconds: number;
let rows = 0;
if (mode === 'teamstate') {
  const started = performance.now();
  await source.import(bundle);
  seconds = (performance.now() - started) / 1000;
  for (const table of RECORD_TABLES) rows += Number((await source.store.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
} else {
  await source.import(bundle);
  const data: Record<string, { columns: string[]; rows: unknown[][] }> = {};
  for (const table of RECORD_TABLES) {
    const result = await source.store.execute(`SELECT * FROM ${table}`);
    data[table] = { columns: result.columns, rows: result.rows.map((r) => result.columns.map((c) => r[c])) };
    rows += result.rows.length;
  }
  // The target gets the same schema (migrated by teamstate, untimed), then raw inserts are timed.
  const target = await createTeamState({ database: `file:${join(dir, 'raw-target.db')}`, clock: () => now });
  await target.close();
  const client = createClient({ url: `file:${join(dir, 'raw-target.db')}`, timeout: 10_000 });
  const started = performance.now();
  const tx = await client.transaction('write');
  for (const table of RECORD_TABLES) {
    const { columns, rows: tableRows } = data[table]!;
    const perStatement = Math.min(500, Math.floor(30_000 / columns.length));
    for (let i = 0; i < tableRows.length; i += perStatement) {
      const chunk = tableRows.slice(i, i + perStatement);
      const values = chunk.map(() => `(${columns.map(() => '?').join(',')})`).join(',');
      await tx.execute({ sql: `INSERT INTO ${table} (${columns.join(',')}) VALUES ${values}`, args: chunk.flat() as never });
    }
  }
  await tx.commit();
  seconds = (performance.now() - started) / 1000;
  client.close();
}
await source.close();
process.stdout.write(
  JSON.stringify({
    seconds,
    rows,
    workItems: bundle.workItems.length,
    maxRssMb: peakRssMb(),
    bundleRssMb: rssBefore / 1024 / 1024,
  }),
);
