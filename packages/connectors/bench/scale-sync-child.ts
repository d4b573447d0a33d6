// One side of the scale bench's sync ingest, in its own process so its peak RSS is its own (run with Node's type
// stripping, no loader thread):
// `sync <github url> <jira url> <db>`: ts.sync() of the GitHub and Jira connectors against the bench's mock servers
//   into the scale database (a copy), their store calls timed (timedConnector) and recorded (recordStoreCalls); then
//   the rows it added deleted and the recorded store calls made again with nothing else running (the replay: from
//   fetched pages to committed rows). Prints the wall clock, the store calls' share, the replay's time, the rows each
//   table gained (the same after the replay) and the tables' marks from before the sync.
// `raw <db> <marks JSON>`: the same rows, read back and deleted (untimed), then written again by plain multi-row
//   INSERTs through @libsql/client in one transaction on a new connection, and committed (timed): the same tables,
//   indexes and triggers, and the database as the sync met it (the rows past the marks gone), the same rows after.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createClient, type InValue } from '@libsql/client';
import { github } from '@teamstate/connectors/github';
import { jira } from '@teamstate/connectors/jira';
import { type Connector, createTeamState } from '@teamstate/core';
import { RECORD_TABLES } from '@teamstate/core/store';

// Its own peak, not its parent's (see scripts/peak-rss.ts); loaded by URL, so that Node's type stripping runs it too.
const { peakRssMb } = (await import(
  new URL('../../../scripts/peak-rss.ts', import.meta.url).href
)) as typeof import('../../../scripts/peak-rss.js');

type Measure = typeof import('./scale-sync-measure.js');
type StoreCall = import('./scale-sync-measure.js').StoreCall;
type RowMarks = import('./scale-sync-measure.js').RowMarks;
const { addedRows, deleteAdded, parseSyncChildArgs, pastMark, recordStoreCalls, replayStoreCalls, rowMarks, timedConnector } =
  (await import(new URL('./scale-sync-measure.ts', import.meta.url).href)) as Measure;

/** The repository the fake GitHub serves (see github-world.ts). */
const REPOSITORY = 'acme/big';
const now = new Date('2026-11-21T10:00:00Z');
const STATEMENTS_PER_TURN = 16;
/** Replays and raw runs per bench run; the median counts. */
const ROUNDS = 3;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const args = parseSyncChildArgs(process.argv.slice(2));

if (args.mode === 'sync') {
  // A process that closed the database last may still be checkpointing it (a large WAL at the full size): wait for it.
  const setup = createClient({ url: `file:${args.database}`, timeout: 120_000 });
  const read = async (sql: string, values: (string | number)[] = []) => (await setup.execute({ sql, args: values })).rows;
  // The synced repository and Jira project belong to a team of the organisation.
  const team = String((await read('SELECT id FROM teams ORDER BY id LIMIT 1'))[0]!.id);
  const marks = await rowMarks(read, RECORD_TABLES);
  // Every store call, to a file (the process's memory stays the sync's), for the replay below.
  const callsFile = `${args.database}.calls.jsonl`;
  const out = openSync(callsFile, 'w');
  const recorded = (connector: Connector) =>
    recordStoreCalls(connector, (call) => writeSync(out, `${JSON.stringify({ connector: connector.id, ...call })}\n`));
  const store = { ms: 0, calls: 0 };
  let ts = await createTeamState({
    database: `file:${args.database}`,
    clock: () => now,
    connectors: [
      timedConnector(
        recorded(
          github({ token: 'ghp_benchmark', baseUrl: args.githubUrl, repositories: [REPOSITORY], teamOfRepository: { [REPOSITORY]: team } }),
        ),
        store,
      ),
      timedConnector(
        recorded(
          jira({
            host: args.jiraUrl,
            siteUrl: 'https://acme.atlassian.net',
            email: 'bench@acme.example',
            apiToken: 'bench-token',
            projects: ['PAY'],
            teamOfProject: { PAY: team },
            requestsPerSecond: 0,
            onSchemaMismatch: 'throw',
          }),
        ),
        store,
      ),
    ],
  });
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
  const started = performance.now();
  const result = await ts.sync();
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) throw new Error(`sync failed: ${JSON.stringify(result.connectors)}`);
  const maxRssMb = peakRssMb();
  closeSync(out);
  const added = await addedRows(async (sql, values = []) => (await ts.store.execute(sql, values)).rows, marks);
  await ts.close();

  setup.close();
  // The replay, ROUNDS times (the median counts): the added rows deleted and the file checkpointed (untimed), then the
  // same store calls made again in a new store (new connections, empty page caches) with nothing else running, timed.
  const calls = readFileSync(callsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as StoreCall & { connector: string });
  rmSync(callsFile);
  const ids = [...new Set(calls.map((c) => c.connector))];
  const replays: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await removeAdded(args.database, marks);
    ts = await createTeamState({
      database: `file:${args.database}`,
      clock: () => now,
      connectors: ids.map((id) =>
        replayStoreCalls(
          id,
          calls.filter((c) => c.connector === id),
        ),
      ),
    });
    const replaying = performance.now();
    const replay = await ts.sync();
    replays.push((performance.now() - replaying) / 1000);
    if (!replay.ok) throw new Error(`replay failed: ${JSON.stringify(replay.connectors)}`);
    const again = await addedRows(async (sql, values = []) => (await ts.store.execute(sql, values)).rows, marks);
    await ts.close();
    if (JSON.stringify(again) !== JSON.stringify(added))
      throw new Error(`the replay added ${JSON.stringify(again)}, the sync ${JSON.stringify(added)}`);
  }
  const replaySeconds = median(replays);
  process.stdout.write(
    JSON.stringify({
      seconds,
      storeSeconds: store.ms / 1000,
      storeCalls: store.calls,
      replaySeconds,
      rows: Object.values(added).reduce((a, b) => a + b, 0),
      added,
      marks,
      records: result.connectors.map((c) => c.records).reduce((a, b) => a + b, 0),
      batches: result.connectors.map((c) => c.batches).reduce((a, b) => a + b, 0),
      maxRssMb,
      rssBeforeMb,
    }),
  );
} else {
  // The added rows read back (untimed); then, ROUNDS times (the median counts), deleted and the file checkpointed
  // (untimed), and written again by plain multi-row INSERTs in one transaction on a new connection, committed (timed):
  // like the replay, from an empty page cache over the database the sync met.
  const source = createClient({ url: `file:${args.database}`, timeout: 120_000 });
  const pages: { table: string; columns: string[]; data: InValue[][] }[] = [];
  for (const [table, mark] of Object.entries(args.marks)) {
    const page = await source.execute({ sql: `SELECT * FROM ${table} WHERE ${pastMark(mark)}`, args: [mark.rowid] });
    if (page.rows.length === 0) continue;
    pages.push({ table, columns: page.columns, data: page.rows.map((r) => page.columns.map((c) => r[c] as InValue)) });
  }
  source.close();
  const rows = pages.reduce((sum, page) => sum + page.data.length, 0);
  const rounds: { seconds: number; byTable: Record<string, number> }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await removeAdded(args.database, args.marks);
    rounds.push(await insertRows(args.database, pages));
  }
  const { seconds, byTable } = rounds.find((r) => r.seconds === median(rounds.map((x) => x.seconds)))!;
  process.stdout.write(JSON.stringify({ seconds, rows, byTable, maxRssMb: peakRssMb() }));
}

/** The rows past the marks deleted, committed, and the WAL checkpointed: the database as the sync met it. */
async function removeAdded(database: string, marks: RowMarks): Promise<void> {
  const client = createClient({ url: `file:${database}`, timeout: 10_000 });
  const tx = await client.transaction('write');
  await deleteAdded((sql, values) => tx.execute({ sql, args: values }), marks);
  await tx.commit();
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  client.close();
}

/** Plain multi-row INSERTs of `pages` (parents first) in one transaction on a new connection, committed; timed. */
async function insertRows(
  database: string,
  pages: readonly { table: string; columns: string[]; data: InValue[][] }[],
): Promise<{ seconds: number; byTable: Record<string, number> }> {
  const client = createClient({ url: `file:${database}`, timeout: 10_000 });
  const tx = await client.transaction('write');
  const byTable: Record<string, number> = {};
  try {
    let statements = 0;
    const started = performance.now();
    for (const { table, columns, data } of pages) {
      const tableStarted = performance.now();
      const perStatement = Math.min(500, Math.floor(30_000 / columns.length));
      for (let i = 0; i < data.length; i += perStatement) {
        const chunk = data.slice(i, i + perStatement);
        const values = chunk.map(() => `(${columns.map(() => '?').join(',')})`).join(',');
        await tx.execute({ sql: `INSERT INTO ${table} (${columns.join(',')}) VALUES ${values}`, args: chunk.flat() });
        if (++statements % STATEMENTS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      byTable[table] = (performance.now() - tableStarted) / 1000;
    }
    const committing = performance.now();
    await tx.commit();
    byTable['(commit)'] = (performance.now() - committing) / 1000;
    return { seconds: (performance.now() - started) / 1000, byTable };
  } finally {
    if (!tx.closed) await tx.rollback();
    client.close();
  }
}
