import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeGitHub } from '../test/github/fake-github.js';
import { serveFakeGitHub } from '../test/github/serve-fake-github.js';
import { benchWorld } from './github-world.js';
import { runJsonChild } from './json-child.js';
import { startMockLinear } from './linear-mock-server.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}
interface Side {
  seconds: number;
  rows: number;
  workItems: number;
  transitions: number;
  maxRssMb: number;
}

const ISSUES = 20_000;
const TEAMS = 5;
const TRANSITIONS = 10;
// The GitHub connector's ingest rate in the same run, on a repository of this many pull requests.
const PULL_REQUESTS = 2_000;

/**
 * A full Linear sync of 20,000 issues in 5 teams (10 state changes and a cycle each) against a counting mock, an
 * unchanged re-sync, and the GitHub connector's full sync in the same run for its ingest rate.
 */
export async function run(report: BenchReport): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-linear-'));
  const mock = await startMockLinear({ issues: ISSUES, teams: TEAMS, transitions: TRANSITIONS });
  const keys = Array.from({ length: TEAMS }, (_, t) => `T${t}`).join(',');
  const child = fileURLToPath(new URL('./linear-child.ts', import.meta.url));
  try {
    const database = `file:${join(dir, 'linear.db')}`;
    const full = await runJsonChild<Side>(child, [mock.url, database, keys], true);
    const requests = Object.values(mock.counts).reduce((a, b) => a + b, 0);
    const byOperation = JSON.stringify(mock.counts);
    for (const key of Object.keys(mock.counts)) delete mock.counts[key];
    const again = await runJsonChild<Side>(child, [mock.url, database, keys], true);
    const resync = Object.values(mock.counts).reduce((a, b) => a + b, 0);

    const fake = new FakeGitHub(benchWorld(PULL_REQUESTS, new Date('2026-03-01T00:00:00Z')), { now: () => new Date() });
    fake.budgets.set('graphql', { limit: 1_000_000, remaining: 1_000_000, resetAt: Math.floor(Date.now() / 1000) + 3600 });
    const server = await serveFakeGitHub(() => fake);
    let github: { seconds: number; rows: number };
    let githubFakeSeconds: number;
    try {
      github = await runJsonChild<{ seconds: number; rows: number }>(fileURLToPath(new URL('./github-child.ts', import.meta.url)), [
        server.url,
        join(dir, 'github.db'),
      ]);
      githubFakeSeconds = server.busyMs / 1000;
    } finally {
      await server.close();
    }

    report.section(
      `linear sync: ${full.workItems.toLocaleString('en-US')} issues in ${TEAMS} teams, ${full.transitions.toLocaleString('en-US')} transitions, counting mock, temp file, WAL`,
    );
    report.figure(
      'requests per 1,000 issues, full sync',
      (1000 * requests) / full.workItems,
      'req',
      `target <= 20 (0.02 per issue); ${requests} requests: ${byOperation}`,
    );
    report.figure('requests, unchanged re-sync', resync, 'req', `target <= ${TEAMS} (1 per team); ${again.rows} rows changed`);
    const linearRate = full.rows / full.seconds;
    const githubRate = github.rows / github.seconds;
    report.figure(
      'rows stored per second',
      linearRate,
      'rows/s',
      `${full.rows.toLocaleString('en-US')} rows in ${full.seconds.toFixed(1)} s`,
    );
    report.figure('issues per second', full.workItems / full.seconds, 'issues/s');
    report.figure(
      'GitHub connector, same run: rows stored per second',
      githubRate,
      'rows/s',
      `${PULL_REQUESTS.toLocaleString('en-US')} PRs, ${github.rows.toLocaleString('en-US')} rows in ${github.seconds.toFixed(1)} s; its fake spent ${githubFakeSeconds.toFixed(1)} s executing GraphQL`,
    );
    report.figure(
      'Linear ingest rate ÷ GitHub ingest rate',
      linearRate / githubRate,
      '×',
      `target >= 0.5 (within 2×); ${(linearRate / (github.rows / Math.max(0.001, github.seconds - githubFakeSeconds))).toFixed(2)}× against GitHub without its fake's time`,
    );
    report.figure('peak RSS of the syncing process', full.maxRssMb, 'MB');
  } finally {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
