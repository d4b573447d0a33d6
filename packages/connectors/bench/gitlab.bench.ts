import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeGitHub } from '../test/github/fake-github.js';
import { serveFakeGitHub } from '../test/github/serve-fake-github.js';
import { FakeGitLab } from '../test/gitlab/fake-gitlab.js';
import { gitlabWorldFromGitHub } from '../test/gitlab/from-github-world.js';
import { serveFakeGitLab } from '../test/gitlab/serve-fake-gitlab.js';
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

const MERGE_REQUESTS = 10_000;
const END = new Date('2026-03-01T00:00:00Z');

const child = (name: string, args: string[]) => runJsonChild<Run>(fileURLToPath(new URL(`./${name}`, import.meta.url)), args);

/**
 * Full sync of a 10,000-merge-request project (the GitHub bench's world served as GitLab REST v4: reviews as notes and
 * events, CI check runs as jobs, deployments) from a counting fake GitLab over HTTP, then an unchanged re-sync; and, in
 * the same run, the GitHub connector's full sync of the same world, for the ingest rates' ratio.
 */
export async function run(report: BenchReport): Promise<void> {
  const world = benchWorld(MERGE_REQUESTS, END);
  const gitlabWorld = gitlabWorldFromGitHub(world);
  const fake = new FakeGitLab(gitlabWorld, { now: () => END });
  const server = await serveFakeGitLab(() => fake);
  const githubFake = new FakeGitHub(world, { now: () => new Date() });
  githubFake.budgets.set('graphql', { limit: 1_000_000, remaining: 1_000_000, resetAt: Math.floor(Date.now() / 1000) + 3600 });
  const githubServer = await serveFakeGitHub(() => githubFake);
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-gitlab-'));
  try {
    const full = await child('gitlab-child.ts', [server.url, join(dir, 'gitlab.db'), END.toISOString()]);
    const fakeSeconds = server.busyMs / 1000;
    const requests = fake.requests.length;
    const byEndpoint = new Map<string, number>();
    for (const r of fake.requests) {
      const key = r.path.replace(/^\/projects\/[^/]+\/[^/]+/, '/projects/:id').replace(/\/\d+/g, '/:n');
      byEndpoint.set(key, (byEndpoint.get(key) ?? 0) + 1);
    }
    fake.requests.length = 0;
    const again = await child('gitlab-child.ts', [server.url, join(dir, 'gitlab.db'), END.toISOString()]);
    const unchanged = fake.requests.length;

    const githubFull = await child('github-child.ts', [githubServer.url, join(dir, 'github.db')]);
    const githubFakeSeconds = githubServer.busyMs / 1000;

    const projects = gitlabWorld.projects.length;
    const groups = gitlabWorld.groups.length;
    report.section(
      `GitLab connector: full sync of a ${MERGE_REQUESTS.toLocaleString('en-US')}-merge-request project from a counting fake GitLab over HTTP`,
    );
    report.figure('HTTP requests, full sync', requests, 'requests', [...byEndpoint].map(([endpoint, n]) => `${endpoint} ${n}`).join(', '));
    report.figure(
      'HTTP requests per merge request',
      requests / MERGE_REQUESTS,
      'requests/MR',
      'target <= 3 (notes and commits of each merged or open one)',
    );
    report.figure(
      'rows into the store',
      full.rows / full.seconds,
      'rows/s',
      `${full.rows.toLocaleString('en-US')} rows in ${full.seconds.toFixed(1)} s`,
    );
    const gitlabRate = full.rows / (full.seconds - fakeSeconds);
    const githubRate = githubFull.rows / (githubFull.seconds - githubFakeSeconds);
    report.figure('rows into the store, fake server time excluded', gitlabRate, 'rows/s', `the fake spent ${fakeSeconds.toFixed(1)} s`);
    report.figure('peak RSS of the syncing process', full.maxRssMb, 'MB', `${full.rssBeforeMb.toFixed(0)} MB before the sync started`);
    report.section('GitLab connector: unchanged re-sync');
    report.figure('HTTP requests', unchanged, 'requests', `target <= ${projects} per project + ${groups} per group = ${projects + groups}`);
    report.figure('rows changed', again.rows, 'rows', `${again.seconds.toFixed(2)} s`);
    report.section('GitHub connector on the same world, same run (ingest rate baseline)');
    report.figure(
      'rows into the store, fake server time excluded',
      githubRate,
      'rows/s',
      `${githubFull.rows.toLocaleString('en-US')} rows in ${githubFull.seconds.toFixed(1)} s, the fake spent ${githubFakeSeconds.toFixed(1)} s`,
    );
    report.figure('GitLab ingest rate / GitHub ingest rate', gitlabRate / githubRate, 'x', 'target >= 0.5 (within 2x)');
  } finally {
    await server.close();
    await githubServer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
