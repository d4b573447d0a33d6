// One run of the GitLab connector against the benchmark's fake GitLab, in its own process so its peak RSS is its
// own. `gitlab-child.ts <baseUrl> <dbFile> <now>`: prints { seconds, rows, records, batches, maxRssMb, rssBeforeMb }.
import { gitlab } from '@teamstate/connectors/gitlab';
import { createTeamState } from '@teamstate/core';

const { peakRssMb } = (await import(
  new URL('../../../scripts/peak-rss.ts', import.meta.url).href
)) as typeof import('../../../scripts/peak-rss.js');

const [baseUrl, database, now] = process.argv.slice(2) as [string, string, string];
// The same tables as the GitHub child counts, so the two ingest rates compare like with like.
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
  clock: () => new Date(now),
  connectors: [
    gitlab({
      // The fake's token (test/gitlab/fake-gitlab.ts): it refuses any other, as an instance would.
      token: 'glpat-TestTokenDoNotLog0123',
      baseUrl,
      groups: ['acme'],
      repositoryTeams: { 'acme/big': 'ledger' },
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
