import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTeamState, hmacSha256Hex } from '@teamstate/core';
import { FakeGitHub, type FakeWorld } from '../../connectors/test/github/fake-github.js';
import { serveFakeGitHub } from '../../connectors/test/github/serve-fake-github.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const fixtures = new URL('../../connectors/test/__fixtures__/github/', import.meta.url);
const SECRET = 'whsec_bench_hub';
/**
 * The demo organisation serve runs with: `default` (3 teams, 20 people, 90 days; built in seconds), or `large` (1,000
 * people, a year; about 2.5 minutes to build on a 2-core machine) with TEAMSTATE_HUB_BENCH_SCALE=large.
 */
const SCALE = process.env.TEAMSTATE_HUB_BENCH_SCALE === 'large' ? 'large' : 'default';
/** Webhook deliveries timed (one at a time, each a new pull request). */
const DELIVERIES = 40;
/** The sync interval while no webhook arrives, and the pull requests opened upstream then (one at a time). */
const POLLED_SYNC_SECONDS = 20;
const POLLED = 6;
/** The signals interval while webhooks are delivered. */
const WEBHOOK_SIGNALS_SECONDS = 10;
/** Unchanged scheduled syncs counted. */
const UNCHANGED_SYNCS = 3;

/** Starts `teamstate serve` in `dir` and resolves with its base URL once it listens. */
function serve(dir: string, env: Record<string, string>): Promise<{ child: ChildProcess; base: string; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, ...(process.env.TEAMSTATE_HUB_BENCH_DEBUG ? ['--debug'] : []), 'serve', '--port', '0'], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (match) resolve({ child, base: `http://127.0.0.1:${match[1]}`, stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** Linear interpolation between closest ranks (numpy's default). */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  return sorted[low]! + (sorted[Math.ceil(rank)]! - sorted[low]!) * (rank - low);
}

/**
 * The hub (`teamstate serve`): how soon a pull request delivered by webhook is readable while serve runs on the demo
 * organisation (see SCALE) or a copy of TEAMSTATE_SCALE_DATABASE (the 10,000-engineer organisation imported before;
 * the file itself is never written), how soon one opened upstream without a webhook is (the scheduled sync), and what
 * an unchanged scheduled incremental sync of a GitHub organisation costs per repository, against a fake GitHub on
 * 127.0.0.1.
 */
export async function run(report: BenchReport): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-hub-'));
  const fake = new FakeGitHub(JSON.parse(readFileSync(new URL('world.json', fixtures), 'utf8')) as FakeWorld, { now: () => new Date() });
  const server = await serveFakeGitHub(() => fake);
  const env = { GITHUB_TOKEN: 'ghp_BenchHubToken0000000000000000000000', TEAMSTATE_MCP_TOKEN: randomBytes(32).toString('base64url') };
  try {
    // The organisation serve runs with.
    const built = performance.now();
    const given = process.env.TEAMSTATE_SCALE_DATABASE;
    if (given) copyFileSync(given, join(dir, 'team.db'));
    else
      await promisify(execFile)(process.execPath, [BIN, '--db', join(dir, 'team.db'), 'demo', '--scale', SCALE], {
        cwd: dir,
        maxBuffer: 64 * 1024 * 1024,
      });
    const buildSeconds = (performance.now() - built) / 1000;
    const organisation = given ? `a copy of ${given}` : `the ${SCALE} demo organisation`;
    const configure = (sync: string, signals = '5m') =>
      writeFileSync(
        join(dir, 'teamstate.config.yaml'),
        `database: team.db
connectors:
  github: { token: \${GITHUB_TOKEN}, org: acme, baseUrl: ${server.url}, webhookSecret: ${SECRET} }
schedule: { sync: ${sync}, signals: ${signals} }
`,
      );
    // First every 3 s, for the cost of an unchanged scheduled sync; then hourly, so webhooks alone bring the news.
    configure('3s');
    let hub = await serve(dir, env);
    const ts = await createTeamState({ database: join(dir, 'team.db') });
    try {
      // Read by a new reader each time (what another process sees), not through one long-lived connection.
      const lastSync = async () => {
        const reader = await createTeamState({ database: join(dir, 'team.db') });
        try {
          return (await reader.freshness()).sources.find((s) => s.source === 'github')?.lastSync ?? null;
        } finally {
          await reader.close();
        }
      };
      const until = async <T>(what: string, check: () => Promise<T | undefined>, limitMs = 120_000): Promise<T> => {
        const started = performance.now();
        for (;;) {
          const value = await check();
          if (value !== undefined) return value;
          if (performance.now() - started > limitMs)
            throw new Error(`hub bench: timed out waiting for ${what}\n${hub.stderr().slice(-3000)}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      // The first scheduled sync (the organisation never synced) runs at start.
      const first = await until('the first sync', async () => (await lastSync()) ?? undefined);

      // Requests of unchanged scheduled incremental syncs (on the 3 s schedule), averaged over a few: a reader notices a
      // sync only after it finished, possibly after the next one started, so one sync alone may be counted short.
      let last = await until('the second sync', async () => {
        const now = await lastSync();
        return now !== first ? now : undefined;
      });
      fake.requests.length = 0;
      for (let n = 0; n < UNCHANGED_SYNCS; n++)
        last = await until('the next scheduled sync', async () => {
          const now = await lastSync();
          return now !== last ? now : undefined;
        });
      const unchangedRequests = fake.requests.length / UNCHANGED_SYNCS;
      const repositories = fake.world.repositories.length;
      await stop(hub.child);

      /** Opens pull request `number` upstream (in the fake), just now; the webhook handler or a sync reads it back. */
      const openUpstream = (number: number, title: string) => {
        const repo = fake.repository('acme/api');
        const opened = new Date().toISOString();
        const id = 1_800_000_000 + number;
        repo.pullRequests.push({
          ...structuredClone(repo.pullRequests.find((p) => p.state === 'OPEN')!),
          id: `PR_bench${number}`,
          databaseId: id,
          number,
          title,
          url: `https://github.com/acme/api/pull/${number}`,
          createdAt: opened,
          updatedAt: opened,
        });
      };
      const readable = (number: number) => async () => {
        const rows = await ts.store.execute("SELECT 1 FROM work_items WHERE kind = 'pull_request' AND key = ?", [`acme/api#${number}`]);
        return rows.rows.length > 0 ? true : undefined;
      };

      // Without webhooks: pull requests opened upstream at random moments of the sync interval, each timed until a
      // reader sees it (the scheduled incremental sync brings it; target: within one interval plus 10 s).
      configure(`${POLLED_SYNC_SECONDS}s`);
      hub = await serve(dir, env);
      const polled: number[] = [];
      for (let i = 0; i < POLLED; i++) {
        const number = 40_000 + i;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * POLLED_SYNC_SECONDS * 1000));
        const opened = performance.now();
        openUpstream(number, `Polled change ${i}`);
        await until(`pull request ${number} (no webhook)`, readable(number), (POLLED_SYNC_SECONDS + 60) * 1000);
        polled.push(performance.now() - opened);
      }
      await stop(hub.child);

      // Signals refreshed every 10 s meanwhile: deliveries compete with the refreshes a hub runs.
      configure('1h', `${WEBHOOK_SIGNALS_SECONDS}s`);
      hub = await serve(dir, env);

      // Webhook deliveries: each a new pull request, timed from the POST to the moment a reader sees it.
      const payload = JSON.parse(readFileSync(new URL('webhook-pull-request.json', fixtures), 'utf8')) as {
        number: number;
        action: string;
        pull_request: Record<string, unknown> & { number: number; node_id: string; id: number; title: string };
      };
      const latencies: number[] = [];
      for (let i = 0; i < DELIVERIES; i++) {
        const number = 50_000 + i;
        // The pull request exists upstream (the webhook handler reads it back), opened just now.
        openUpstream(number, `Bench change ${i}`);
        const body = JSON.stringify({
          ...payload,
          action: 'opened',
          number,
          pull_request: {
            ...payload.pull_request,
            number,
            id: 1_800_000_000 + number,
            node_id: `PR_bench${number}`,
            title: `Bench change ${i}`,
          },
        });
        const sent = performance.now();
        const answer = await fetch(`${hub.base}/webhooks/github`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'pull_request',
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': `sha256=${hmacSha256Hex(SECRET, body)}`,
          },
          body,
        });
        if (answer.status >= 300)
          throw new Error(`hub bench: the webhook was answered ${answer.status}: ${await answer.text()}\n${hub.stderr().slice(-3000)}`);
        await until(`pull request ${number}`, readable(number), 60_000);
        latencies.push(performance.now() - sent);
      }
      const people = Number((await ts.store.execute('SELECT count(*) AS n FROM people')).rows[0]!.n);

      report.section(
        `Hub: teamstate serve on ${organisation} (${people.toLocaleString('en-US')} people; ${given ? 'copied' : 'built'} in ${buildSeconds.toFixed(0)} s) with a fake GitHub`,
      );
      report.figure(
        'webhook to readable, p50',
        percentile(latencies, 50),
        'ms',
        `${DELIVERIES} pull_request deliveries; signals refreshed every ${WEBHOOK_SIGNALS_SECONDS} s meanwhile`,
      );
      report.figure('webhook to readable, p95', percentile(latencies, 95), 'ms', 'target <= 5,000 ms');
      report.figure('webhook to readable, max', Math.max(...latencies), 'ms');
      report.figure(
        'no webhook: opened upstream to readable, max',
        Math.max(...polled),
        'ms',
        `${POLLED} pull requests, sync every ${POLLED_SYNC_SECONDS} s; target <= ${((POLLED_SYNC_SECONDS + 10) * 1000).toLocaleString('en-US')} ms`,
      );
      report.figure('no webhook: opened upstream to readable, p50', percentile(polled, 50), 'ms');
      report.section('Hub: an unchanged scheduled incremental sync of a GitHub organisation');
      report.figure(
        'HTTP requests per sync',
        unchangedRequests,
        'requests',
        `organisation of ${repositories} repositories; ${UNCHANGED_SYNCS} syncs averaged`,
      );
      report.figure('HTTP requests per repository', unchangedRequests / repositories, 'requests/repository', 'target <= 1');
    } finally {
      await ts.close();
      await stop(hub.child);
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
