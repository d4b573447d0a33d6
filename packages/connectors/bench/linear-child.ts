// One side of the Linear sync benchmark, in its own process so its peak RSS is its own:
// `node linear-child.ts <mock url> <database> <team keys>` syncs the mock into a file database and prints the figures as JSON.
import { linear } from '@teamstate/connectors/linear';
import { createTeamState } from '@teamstate/core';

// Its own peak, not its parent's (see scripts/peak-rss.ts); loaded by URL, so that Node's type stripping runs it too.
const { peakRssMb } = (await import(
  new URL('../../../scripts/peak-rss.ts', import.meta.url).href
)) as typeof import('../../../scripts/peak-rss.js');

const [url, database, keys] = process.argv.slice(2) as [string, string, string];
const TABLES = ['teams', 'people', 'accounts', 'work_items', 'work_item_assignees', 'transitions', 'sprints', 'sprint_committed_items'];
const now = new Date('2026-03-25T12:00:00Z');
const ts = await createTeamState({
  database,
  clock: () => now,
  connectors: [linear({ apiKey: 'lin_api_bench', url, teams: keys.split(',') })],
});
const countRows = async () => {
  let rows = 0;
  for (const table of TABLES) rows += Number((await ts.store.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  return rows;
};
const before = await countRows();
const started = performance.now();
const result = await ts.sync();
const seconds = (performance.now() - started) / 1000;
if (!result.ok) throw new Error(`sync failed: ${JSON.stringify(result.connectors)}`);
const rows = (await countRows()) - before;
const workItems = Number((await ts.store.execute('SELECT count(*) AS n FROM work_items')).rows[0]!.n);
const transitions = Number((await ts.store.execute('SELECT count(*) AS n FROM transitions')).rows[0]!.n);
await ts.close();
process.stdout.write(JSON.stringify({ seconds, rows, workItems, transitions, maxRssMb: peakRssMb() }));
