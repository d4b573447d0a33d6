// One run of the GitHub connector against the benchmark's fake GitHub, in its own process so its
// peak RSS is its own. `github-child.ts <baseUrl> <dbFile>`: prints { seconds, rows, records, batches, maxRssMb, rssBeforeMb }.
import { github } from '@teamstate/connectors/github';
import { createTeamState } from '@teamstate/core';

// Its own peak, not its parent's (see scripts/peak-rss.ts); loaded by URL, so that Node's type stripping runs it too.
const { peakRssMb } = (await import(
  new URL('../../../scripts/peak-rss.ts', import.meta.url).href
)) as typeof import('../../../scripts/peak-rss.js');

const [baseUrl, database] = process.argv.slice(2) as [string, string];
const TABLES = [
  'teams',
  'people',
  'accounts',
  'repositories',
  'work_items',
  'work_item_assignees',
  'reviews',
  'deployments',
  'deployment_pull_requests',
  'incidents',
];

const ts = await createTeamState({
  database: `file:${database}`,
  connectors: [
    github({
      token: 'ghp_benchmark',
      baseUrl,
      repositories: ['acme/big'],
      teamOfRepository: { 'acme/big': 'ledger' },
      configuredTeams: [{ id: 'ledger', name: 'Ledger' }],
    }),
  ],
});
const countRows = async () => {
  let rows = 0;
  for (const table of TABLES) rows += Number((await ts.store.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  return rows;
};
const rowsBefore = await countRows();
const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
const started = performance.now();
const result = await ts.sync();
const seconds = (performance.now() - started) / 1000;
if (!result.ok) {
  console.error(JSON.stringify(result));
  process.exit(1);
}
const rows = (await countRows()) - rowsBefore;
await ts.close();
console.log(
  JSON.stringify({
    seconds,
    rows,
    records: result.connectors[0]!.records,
    batches: result.connectors[0]!.batches,
    maxRssMb: peakRssMb(),
    rssBeforeMb,
  }),
);
