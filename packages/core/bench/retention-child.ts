// One side of the retention benchmark, in its own process so its peak RSS is its own.
// `teamstate <dbFile> <archiveDir> <nowIso> <period>`: ts.retention.run() (archive, fsync, one delete transaction).
// `raw <dbFile> <nowIso> <period>`: the same reports and revisions removed by a plain DELETE through @libsql/client in one
// transaction (the FTS index's triggers included), no archive.
// Prints { seconds, rows, maxRssMb, rssBeforeMb, archiveBytes }.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { createTeamState, localDay } from '@teamstate/core';

// Its own peak, not its parent's (see scripts/peak-rss.ts); loaded by URL, so that Node's type stripping runs it too.
const { peakRssMb } = (await import(
  new URL('../../../scripts/peak-rss.ts', import.meta.url).href
)) as typeof import('../../../scripts/peak-rss.js');

const [mode, database, ...rest] = process.argv.slice(2) as [string, string, ...string[]];
const DAY_MS = 86_400_000;
const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;

if (mode === 'teamstate') {
  const [archive, nowIso, period] = rest as [string, string, string];
  const ts = await createTeamState({
    database: `file:${database}`,
    clock: () => new Date(nowIso),
    // Only reports expire in this benchmark (the workspace has no deliveries nor resolved signals to speak of).
    retention: { reports: period, archive },
  });
  const started = performance.now();
  const result = await ts.retention.run({ by: 'bench' });
  const seconds = (performance.now() - started) / 1000;
  await ts.close();
  const archiveBytes = result.folder
    ? readdirSync(result.folder).reduce((sum, name) => sum + statSync(join(result.folder!, name)).size, 0)
    : 0;
  const rows = result.counts.reports + result.counts.reportRevisions + result.counts.webhookDeliveries + result.counts.resolvedSignals;
  print({ seconds, rows, archiveBytes });
} else {
  const [nowIso, period] = rest as [string, string];
  const cutoff = localDay(Date.parse(nowIso) - Number(period.replace(/d$/, '')) * DAY_MS);
  const client = createClient({ url: `file:${database}`, timeout: 10_000, intMode: 'number' });
  const started = performance.now();
  const tx = await client.transaction('write');
  const revisions = await tx.execute({
    sql: "DELETE FROM report_revisions WHERE workspace = 'default' AND report_id IN (SELECT id FROM reports WHERE workspace = 'default' AND day < ?)",
    args: [cutoff],
  });
  const reports = await tx.execute({ sql: "DELETE FROM reports WHERE workspace = 'default' AND day < ?", args: [cutoff] });
  await tx.commit();
  const seconds = (performance.now() - started) / 1000;
  client.close();
  print({ seconds, rows: revisions.rowsAffected + reports.rowsAffected, archiveBytes: 0 });
}

function print(figures: { seconds: number; rows: number; archiveBytes: number }) {
  process.stdout.write(JSON.stringify({ ...figures, maxRssMb: peakRssMb(), rssBeforeMb }));
}
