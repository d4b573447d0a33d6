// `pnpm exec tsx scripts/db-size.ts [file.db] [--bundle <bundle.json>] [--top N]`: what each table and index of a
// teamstate database costs on disk (SQLite's dbstat), and the file against its bundle JSON. Without a file it imports
// the benches' large demo (50 teams, 1,000 people, one year) into a new file with this checkout's build (`pnpm build`
// first; about a minute and a half) and writes its bundle JSON as `teamstate export` does, so the figures of
// docs/benchmarks.md can be reproduced with one command.
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { NOW } from '../packages/metrics/bench/large-demo.js';

// The root has no dependency on the driver: core's own copy.
const { createClient } = createRequire(new URL('../packages/core/package.json', import.meta.url))(
  '@libsql/client',
) as typeof import('@libsql/client');

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args.splice(at, 2)[1];
};
const top = Number(flag('--top') ?? 40);
let bundle = flag('--bundle');
let file = args[0];
if (file === undefined) {
  file = join(tmpdir(), `teamstate-db-size-${process.pid}.db`);
  bundle = `${file}.bundle.json`;
  const started = performance.now();
  const ts = await createTeamState({ database: `file:${file}`, clock: () => NOW });
  await ts.import(demoBundle({ now: NOW, scale: 'large' }));
  writeFileSync(bundle, `${JSON.stringify(await ts.export(), null, 2)}\n`);
  await ts.close();
  for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  console.log(`built the large demo in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
const client = createClient({ url: `file:${file}`, intMode: 'number' });
const pageSize = Number((await client.execute('PRAGMA page_size')).rows[0]?.page_size);
const freePages = Number((await client.execute('PRAGMA freelist_count')).rows[0]?.freelist_count);
const { rows } = await client.execute(
  `SELECT s.name AS name, m.type AS type, m.tbl_name AS tbl, SUM(s.pgsize) AS bytes
   FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY s.name ORDER BY bytes DESC`,
);
client.close();
const mb = (bytes: number) => (bytes / 1e6).toFixed(1).padStart(8);
const fileBytes = statSync(file).size;
const byTable = new Map<string, number>();
for (const row of rows) {
  const table = String(row.tbl ?? row.name);
  byTable.set(table, (byTable.get(table) ?? 0) + Number(row.bytes));
}
console.log(`${file}: ${mb(fileBytes).trim()} MB, page size ${pageSize}, ${freePages} free pages`);
console.log('\nper table with its indexes (MB):');
for (const [table, bytes] of [...byTable].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${mb(bytes)}  ${table}`);
console.log('\nper table or index (MB):');
for (const row of rows.slice(0, top)) console.log(`${mb(Number(row.bytes))}  ${row.type ?? 'table'} ${row.name}`);
if (bundle) {
  const bundleBytes = statSync(bundle).size;
  console.log(`\nbundle JSON ${mb(bundleBytes).trim()} MB; database / bundle JSON = ${(fileBytes / bundleBytes).toFixed(2)}x`);
}
