// One side of the Jira sync benchmark, in its own process so its peak RSS is its own:
// `node jira-child.ts <mock url> <database>` (Node strips the types; no loader, so the RSS is the sync's) syncs the mock into a file database and prints
// the figures as JSON.
import { jira } from '@teamstate/connectors/jira';
import { createTeamState } from '@teamstate/core';

// Its own peak, not its parent's (see scripts/peak-rss.ts); loaded by URL, so that Node's type stripping runs it too.
const { peakRssMb } = (await import(
  new URL('../../../scripts/peak-rss.ts', import.meta.url).href
)) as typeof import('../../../scripts/peak-rss.js');

const [url, database] = process.argv.slice(2) as [string, string];
const TABLES = ['people', 'accounts', 'work_items', 'work_item_assignees', 'transitions', 'sprints', 'sprint_committed_items'];
const now = new Date('2026-03-25T12:00:00Z');
const ts = await createTeamState({
  database,
  clock: () => now,
  connectors: [
    jira({
      host: url,
      siteUrl: 'https://acme.atlassian.net',
      email: 'bench@acme.example',
      apiToken: 'bench-token',
      projects: ['PAY'],
      requestsPerSecond: 0,
      onSchemaMismatch: 'throw',
    }),
  ],
});
const started = performance.now();
const result = await ts.sync();
const seconds = (performance.now() - started) / 1000;
if (!result.ok) throw new Error(`sync failed: ${JSON.stringify(result.connectors)}`);
let rows = 0;
for (const table of TABLES) rows += Number((await ts.store.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
const workItems = Number((await ts.store.execute('SELECT count(*) AS n FROM work_items')).rows[0]!.n);
const transitions = Number((await ts.store.execute('SELECT count(*) AS n FROM transitions')).rows[0]!.n);
await ts.close();
process.stdout.write(JSON.stringify({ seconds, rows, workItems, transitions, maxRssMb: peakRssMb() }));
