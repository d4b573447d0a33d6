import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeGitHub } from '../test/github/fake-github.js';
import { serveFakeGitHub } from '../test/github/serve-fake-github.js';
import { benchWorld } from './github-world.js';
import { runJsonChild } from './json-child.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}
interface Run {
  seconds: number;
  rows: number;
  records: number;
  batches: number;
  maxRssMb: number;
  rssBeforeMb: number;
}

const PULL_REQUESTS = 10_000;

// Async on purpose: this process serves the fake GitHub the child talks to.
function runChild(baseUrl: string, database: string): Promise<Run> {
  return runJsonChild<Run>(fileURLToPath(new URL('./github-child.ts', import.meta.url)), [baseUrl, database]);
}

/**
 * Full sync of a 10,000-PR repository (reviews, commits, labels, ~900 deployments) from a counting fake
 * GitHub served over HTTP on 127.0.0.1, then an incremental re-sync of the unchanged repository.
 */
export async function run(report: BenchReport): Promise<void> {
  const fake = new FakeGitHub(benchWorld(PULL_REQUESTS, new Date('2026-03-01T00:00:00Z')), { now: () => new Date() });
  // GitHub's real budget is 5,000 points an hour; the figure below says how much of it a full sync takes.
  fake.budgets.set('graphql', { limit: 1_000_000, remaining: 1_000_000, resetAt: Math.floor(Date.now() / 1000) + 3600 });
  const server = await serveFakeGitHub(() => fake);
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-github-'));
  try {
    const full = await runChild(server.url, join(dir, 'github.db'));
    const fakeSeconds = server.busyMs / 1000;
    const requests = fake.requests.length;
    const points = fake.requests.reduce((sum, r) => sum + (r.cost ?? 0), 0);
    const byOperation = new Map<string, number>();
    for (const r of fake.requests) {
      const key = r.operation ?? `${r.method} ${r.path}`;
      byOperation.set(key, (byOperation.get(key) ?? 0) + 1);
    }
    fake.requests.length = 0;
    const incremental = await runChild(server.url, join(dir, 'github.db'));
    const again = fake.requests.length;

    report.section(
      `GitHub connector: full sync of a ${PULL_REQUESTS.toLocaleString('en-US')}-PR repository from a counting fake GitHub over HTTP`,
    );
    report.figure(
      'HTTP requests, full sync',
      requests,
      'requests',
      [...byOperation].map(([op, n]) => `${op.replace('Teamstate', '')} ${n}`).join(', '),
    );
    report.figure('HTTP requests per PR', requests / PULL_REQUESTS, 'requests/PR', 'target <= 0.03');
    report.figure('GraphQL points, full sync', points, 'points', "GitHub's cost formula; 5,000 points/h per user");
    report.figure('GraphQL points per PR', points / PULL_REQUESTS, 'points/PR');
    report.figure(
      'rows into the store',
      full.rows / full.seconds,
      'rows/s',
      `${full.rows.toLocaleString('en-US')} rows in ${full.seconds.toFixed(1)} s, wall clock`,
    );
    report.figure(
      'rows into the store, fake server time excluded',
      full.rows / (full.seconds - fakeSeconds),
      'rows/s',
      `the fake spent ${fakeSeconds.toFixed(1)} s executing GraphQL against the schema`,
    );
    report.figure(
      'peak RSS of the syncing process',
      full.maxRssMb,
      'MB',
      `target < 512 MB; ${full.rssBeforeMb.toFixed(0)} MB before the sync started`,
    );
    report.section('GitHub connector: incremental re-sync of the unchanged repository');
    report.figure('HTTP requests', again, 'requests', 'target <= 1');
    report.figure('rows changed', incremental.rows, 'rows', `${incremental.seconds.toFixed(2)} s`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
