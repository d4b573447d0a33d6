import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, type FakeRequest, type FakeResponse, type FakeWorld } from '../../connectors/test/github/fake-github.js';
import { type FakeGitHubServer, serveFakeGitHub } from '../../connectors/test/github/serve-fake-github.js';
import { runCli, type Serving, startServing } from './run-cli.js';

// Issue 50, the hub: real `teamstate serve` processes sync a fake GitHub (node:http on 127.0.0.1, realistic payloads
// from the connector's fixtures) on their schedule, one process at a time per connector through the lease in the database.
const fixtures = new URL('../../connectors/test/__fixtures__/github/', import.meta.url);
const world = JSON.parse(readFileSync(new URL('world.json', fixtures), 'utf8')) as FakeWorld;
const root = mkdtempSync(join(tmpdir(), 'teamstate-hub-'));
const mcpToken = randomBytes(32).toString('base64url');

/** The fake, with what each credential (one per serve process) has in flight, and the most ever in flight at once. */
class TrackedGitHub {
  fake = new FakeGitHub(world, { now: () => new Date() });
  inFlight = new Map<string, number>();
  overlaps = 0;
  requestsBy = new Map<string, number>();
  /** Milliseconds each answer waits (a sync then takes a while, so two unguarded syncs would overlap). */
  delayMs = 0;
  /** Tokens whose requests never get an answer (a process hanging mid-sync). */
  hang = new Set<string>();

  async handle(request: FakeRequest): Promise<FakeResponse & { dropped?: boolean }> {
    const who = request.headers.authorization ?? '';
    this.requestsBy.set(who, (this.requestsBy.get(who) ?? 0) + 1);
    this.inFlight.set(who, (this.inFlight.get(who) ?? 0) + 1);
    if ([...this.inFlight.entries()].some(([other, n]) => other !== who && n > 0)) this.overlaps += 1;
    try {
      if ([...this.hang].some((token) => who.endsWith(token))) await new Promise(() => {});
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      return await this.fake.handle(request);
    } finally {
      this.inFlight.set(who, (this.inFlight.get(who) ?? 1) - 1);
    }
  }
}

let github: TrackedGitHub;
let server: FakeGitHubServer;
const serving: Serving[] = [];
beforeAll(async () => {
  // Served through the tracker (serveFakeGitHub reads `current()` per request; each test starts a new one).
  server = await serveFakeGitHub(() => github as unknown as FakeGitHub);
});
afterAll(async () => {
  for (const s of serving) s.child.kill('SIGKILL');
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** A project syncing acme/api from the fake every `sync`, with a short lease so a dead holder is replaced quickly. */
function project(name: string, schedule = '{ sync: 1s, signals: 1h, leaseTtl: 3s }'): string {
  github = new TrackedGitHub();
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    `database: team.db
connectors:
  github: { token: \${GITHUB_TOKEN}, repositories: [acme/api], baseUrl: ${server.url} }
teams:
  - { id: payments, name: Payments, repositories: [acme/api] }
schedule: ${schedule}
`,
  );
  return dir;
}

async function serve(dir: string, token: string): Promise<Serving> {
  const started = await startServing(dir, ['serve', '--port', '0'], { GITHUB_TOKEN: token, TEAMSTATE_MCP_TOKEN: mcpToken });
  serving.push(started);
  return started;
}

/** Polls `check` every 100 ms until it returns a value (or fails after 60 s with `what`). */
async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > 60_000) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function pullRequestState(dir: string, number: number): Promise<string | undefined> {
  const ts = await createTeamState({ database: join(dir, 'team.db') });
  try {
    const rows = await ts.store.execute("SELECT state FROM work_items WHERE kind = 'pull_request' AND key = ?", [`acme/api#${number}`]);
    return rows.rows[0] ? String(rows.rows[0].state) : undefined;
  } finally {
    await ts.close();
  }
}

async function status(dir: string, token: string) {
  const result = await runCli(['status', '--json'], { cwd: dir, env: { GITHUB_TOKEN: token } });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as {
    sources: {
      source: string;
      lastSync: string | null;
      lastSyncOk: boolean | null;
      lastWebhook: string | null;
      lagSeconds: number | null;
    }[];
  };
}

describe('teamstate serve keeps the data fresh on its own (issue 50)', () => {
  it('a pull request merged upstream appears without a manual sync', async () => {
    const dir = project('merged');
    const token = 'ghp_HubMergedTokenNeverPrinted0000000000';
    const hub = await serve(dir, token);
    try {
      // Never synced: the first sync runs at start.
      expect(await until('PR 103 synced', () => pullRequestState(dir, 103))).toBe('open');
      const pr = github.fake.repository('acme/api').pullRequests.find((p) => p.number === 103)!;
      const at = new Date().toISOString();
      Object.assign(pr, {
        state: 'MERGED',
        isDraft: false,
        mergedAt: at,
        closedAt: at,
        updatedAt: at,
        mergeCommit: { oid: 'f'.repeat(40) },
      });
      expect(await until('PR 103 merged', async () => ((await pullRequestState(dir, 103)) === 'merged' ? 'merged' : undefined))).toBe(
        'merged',
      );
      const { sources } = await status(dir, token);
      expect(sources.find((s) => s.source === 'github')).toMatchObject({ lastSyncOk: true, lastWebhook: null });
      expect(hub.stderr()).not.toContain(token);
    } finally {
      expect(await hub.stop()).toBe(0);
    }
  });

  it('two serve processes never sync one connector at once', async () => {
    // A long lease: a holder stalled by a busy machine does not lose it mid-request.
    const dir = project('two', '{ sync: 1s, signals: 1h, leaseTtl: 10s }');
    github.delayMs = 500;
    const [one, two] = ['ghp_HubOneTokenNeverPrinted000000000000000', 'ghp_HubTwoTokenNeverPrinted000000000000000'];
    const first = await serve(dir, one);
    const second = await serve(dir, two);
    try {
      // Each sync takes at least one slow request; both try every second. Run until a dozen syncs went by.
      await until('a dozen syncs', async () => ([...github.requestsBy.values()].reduce((a, b) => a + b, 0) >= 12 ? true : undefined));
      // Counted while both run: a process stopping aborts its request client-side while the fake still holds it
      // (its delay), and hands the lease over at once, which the fake would see as an overlap.
      expect(github.overlaps).toBe(0);
    } finally {
      expect(await first.stop()).toBe(0);
      expect(await second.stop()).toBe(0);
    }
  });

  it('a killed lease holder is taken over once its lease expired', async () => {
    const dir = project('takeover');
    const [dead, alive] = ['ghp_HubDeadTokenNeverPrinted00000000000000', 'ghp_HubAliveTokenNeverPrinted0000000000000'];
    const credential = (token: string) => [...github.requestsBy.keys()].find((key) => key.endsWith(token));
    // The first process hangs in the middle of its sync, holding (and renewing) the lease.
    github.hang.add(dead);
    const holder = await serve(dir, dead);
    await until('the holder syncing', async () => credential(dead));
    const taker = await serve(dir, alive);
    // While the holder lives, the other process does not sync GitHub (its lease is renewed every second).
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(credential(alive)).toBeUndefined();
    holder.child.kill('SIGKILL');
    try {
      // Once the lease expired (3 s without renewal), the other process takes it and syncs.
      const synced = await until('the takeover', async () => {
        const github_ = (await status(dir, alive)).sources.find((s) => s.source === 'github');
        return github_?.lastSyncOk ? github_ : undefined;
      });
      expect(synced.lagSeconds).not.toBeNull();
      expect(credential(alive)).toBeDefined();
      expect(await pullRequestState(dir, 101)).toBe('merged');
    } finally {
      expect(await taker.stop()).toBe(0);
    }
  });
});
