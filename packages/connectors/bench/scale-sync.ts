// The scale bench's sync part (`TEAMSTATE_SCALE_PARTS=sync`): a day of the 10,000-engineer organisation's GitHub and
// Jira activity, served by the bench's mock servers on 127.0.0.1 (this process) and synced by the real connectors into
// a copy of the scale database (a child process, so its peak RSS is its own); then the same rows written by raw
// multi-row INSERTs into the same database state (a second child). See scale-sync-child.ts.
//
// What counts as ingest: the rows each record table gained (people, accounts, teams, repositories, work items,
// assignees, reviews, transitions, sprints, committed items, deployments, their PRs, incidents), counted the same
// way on both sides (rows past each table's largest rowid before the sync); rows the sync updated count on neither.
// The sync's wall clock includes the HTTP requests, the mock servers' work (the fake GitHub executes every GraphQL
// query against GitHub's schema in this process, on the same two cores) and the clients' JSON parsing and
// validation (jira.js checks every response). The fair comparison with a raw INSERT is from fetched pages to
// committed rows: the sync context's store calls (emit: validate, resolve references, settle AI, upsert, commit, a
// transaction per page; resolvePeople; existing; getCursor). Timed during the live sync they also hold the HTTP work
// that runs while they wait (the Jira connector asks for the next page while it stores one), so the child records
// them, deletes the rows the sync added and makes the same calls again with nothing else running: the replay, which
// the target is read against. All three are printed.
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FakeGitHub } from '../test/github/fake-github.js';
import { serveFakeGitHub } from '../test/github/serve-fake-github.js';
import { benchWorld } from './github-world.js';
import { startMockJira } from './jira-mock-server.js';
import { runJsonChild } from './json-child.js';
import type { RowMarks } from './scale-sync-measure.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

/** A day of the full-size organisation: new and updated pull requests (with reviews) and Jira issues (with changelogs). */
export const PULL_REQUESTS_PER_DAY = 4_000;
export const ISSUES_PER_DAY = 5_500;
/** Status changes in each issue's changelog (To Do → In Progress → In Review → In Progress → Done). */
const TRANSITIONS = 4;

interface SyncSide {
  seconds: number;
  storeSeconds: number;
  storeCalls: number;
  replaySeconds: number;
  rows: number;
  added: Record<string, number>;
  marks: RowMarks;
  records: number;
  batches: number;
  maxRssMb: number;
  rssBeforeMb: number;
}
interface RawSide {
  seconds: number;
  rows: number;
  /** Seconds per table (and the commit). */
  byTable: Record<string, number>;
  maxRssMb: number;
}

/** Syncs a day of activity × `fraction` into `database` (a copy: it is written) and prints the figures. */
export async function measureScaleSync(report: BenchReport, fraction: number, database: string, end: Date): Promise<void> {
  const pullRequests = Math.round(PULL_REQUESTS_PER_DAY * fraction);
  const issues = Math.round(ISSUES_PER_DAY * fraction);
  const fake = new FakeGitHub(benchWorld(pullRequests, end), { now: () => new Date() });
  fake.budgets.set('graphql', { limit: 1_000_000, remaining: 1_000_000, resetAt: Math.floor(Date.now() / 1000) + 3600 });
  const github = await serveFakeGitHub(() => fake);
  const jira = await startMockJira({ issues, transitions: TRANSITIONS });
  const script = fileURLToPath(new URL('./scale-sync-child.ts', import.meta.url));
  let sync: SyncSide;
  let raw: RawSide;
  try {
    sync = await runJsonChild<SyncSide>(script, ['sync', github.url, jira.url, database], true);
    raw = await runJsonChild<RawSide>(script, ['raw', database, JSON.stringify(sync.marks)], true);
  } finally {
    await github.close();
    await jira.close();
  }
  if (raw.rows !== sync.rows) throw new Error(`the raw side wrote ${raw.rows} rows, the sync added ${sync.rows}`);
  const requests = fake.requests.length + Object.values(jira.counts).reduce((a, b) => a + b, 0);
  report.section(
    `sync ingest: a day of ${pullRequests.toLocaleString('en-US')} PRs and ${issues.toLocaleString('en-US')} Jira issues into this database, ${sync.rows.toLocaleString('en-US')} rows (load average ${loadavg()[0]!.toFixed(1)})`,
  );
  report.figure(
    'rows added, by table',
    sync.rows,
    'rows',
    Object.entries(sync.added)
      .map(([table, n]) => `${table} ${n}`)
      .join(', '),
  );
  report.figure(
    'ts.sync(), wall clock (HTTP, mocks, parsing, store)',
    sync.rows / sync.seconds,
    'rows/s',
    `${sync.seconds.toFixed(1)} s; ${requests} requests; the fake GitHub spent ${(github.busyMs / 1000).toFixed(1)} s`,
  );
  report.figure(
    'ts.sync(), in its store calls',
    sync.rows / sync.storeSeconds,
    'rows/s',
    `${sync.storeSeconds.toFixed(2)} s in ${sync.storeCalls} calls; with Jira's next page parsed while a page is stored`,
  );
  report.figure(
    'the same store calls replayed (fetched pages to committed rows)',
    sync.rows / sync.replaySeconds,
    'rows/s',
    `${sync.replaySeconds.toFixed(2)} s, median of 3; ${sync.batches} batches, ${sync.records} records, a transaction each`,
  );
  report.figure(
    'raw @libsql/client multi-row INSERT, same rows',
    raw.rows / raw.seconds,
    'rows/s',
    `${raw.seconds.toFixed(2)} s, median of 3, one transaction: ${slowest(raw.byTable)}`,
  );
  report.figure('ratio sync (replayed) / raw', raw.seconds / sync.replaySeconds, 'x', 'target >= 0.5x');
  report.figure('ratio sync (wall clock) / raw', raw.seconds / sync.seconds, 'x', 'the network and the mocks included');
  report.figure(
    'peak RSS of the syncing process',
    sync.maxRssMb,
    'MB',
    `target <= 512 MB; ${sync.rssBeforeMb.toFixed(0)} MB before the sync`,
  );
  report.figure('peak RSS of the raw baseline process', raw.maxRssMb, 'MB');
}

// The three tables (or the commit) that took longest, with their seconds.
const slowest = (seconds: Record<string, number>) =>
  Object.entries(seconds)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([table, s]) => `${table} ${s.toFixed(2)} s`)
    .join(', ');
