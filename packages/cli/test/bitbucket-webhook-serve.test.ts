import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, hmacSha256Hex } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BITBUCKET_TOKEN, bitbucketFixture, bitbucketWorld, FakeBitbucket } from '../../connectors/test/bitbucket/fake-bitbucket.js';
import { type FakeBitbucketServer, serveFakeBitbucket } from '../../connectors/test/bitbucket/serve-fake-bitbucket.js';
import { runCli, type Serving, startServing } from './run-cli.js';

// A real `teamstate serve` (a child process) receives Bitbucket's webhooks at POST /webhooks/bitbucket while a fake
// Bitbucket (node:http on 127.0.0.1, the connector's fixtures) answers its read-back: a signed delivery's pull request
// is readable through the SDK within the 5 s the webhook contract allows; a bad signature is refused, nothing stored.
const SECRET = 'bb-serve-hook-secret-41d2';
const root = mkdtempSync(join(tmpdir(), 'teamstate-bitbucket-serve-'));
const env = { BITBUCKET_TOKEN, TEAMSTATE_MCP_TOKEN: randomBytes(32).toString('base64url') };
let fake: FakeBitbucket;
let server: FakeBitbucketServer;
let serving: Serving | undefined;
let dir: string;

beforeAll(async () => {
  fake = new FakeBitbucket(bitbucketWorld(), { now: () => new Date() });
  server = await serveFakeBitbucket(() => fake);
  dir = join(root, 'project');
  mkdirSync(dir, { recursive: true });
  // The next scheduled sync is an hour away: what changes while serve runs can only come from the webhook.
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    `database: team.db
connectors:
  bitbucket: { token: \${BITBUCKET_TOKEN}, workspace: acme, repositories: [checkout], baseUrl: ${server.url}, webhookSecret: ${SECRET} }
teams:
  - { id: shop, name: Shop, repositories: [acme/checkout] }
schedule: { sync: 1h }
`,
  );
  const synced = await runCli(['sync'], { cwd: dir, env });
  expect(synced.code, synced.stderr).toBe(0);
  serving = await startServing(dir, ['serve', '--port', '0'], env);
});
afterAll(async () => {
  await serving?.stop();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** What the SDK reads of a pull request from the database serve writes to. */
async function read(id: string) {
  const ts = await createTeamState({ database: join(dir, 'team.db') });
  try {
    const deliveries = Number((await ts.store.execute('SELECT COUNT(*) AS n FROM webhook_deliveries')).rows[0]?.n);
    return { item: (await ts.export()).workItems.find((w) => w.id === id), deliveries };
  } finally {
    await ts.close();
  }
}

const body = JSON.stringify(bitbucketFixture('webhook-pullrequest-approved.json'));
const deliver = (secret: string, id: string) =>
  fetch(`${serving!.base}/webhooks/bitbucket`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-event-key': 'pullrequest:approved',
      'x-request-uuid': id,
      'x-hub-signature': `sha256=${hmacSha256Hex(secret, body)}`,
    },
  });

describe('teamstate serve: POST /webhooks/bitbucket', () => {
  it('refuses a bad signature with nothing stored, and makes a signed delivery readable within 5 s', async () => {
    // Bitbucket's side moves on after the sync: pull request #3 is retitled and gets a request for changes.
    const pr = fake.repository('checkout')!.pullRequests.find((p) => p.id === 3)!;
    const synced = (await read('bb-pr-acme/checkout#3')).item;
    expect(synced?.reviews?.map((r) => r.state)).toEqual(['approved']);
    pr.title = 'Retry payment webhooks with back-off';
    pr.updated_on = new Date().toISOString();
    pr.activity.unshift({ changes_requested: { date: pr.updated_on, user: fake.world.members[2]! }, pull_request: { id: 3 } });

    const requestsBefore = fake.requests.length;
    const refused = await deliver('not-the-secret', '{a1b2c3d4-0000-4000-8000-000000000001}');
    expect(refused.status).toBe(401);
    expect(fake.requests.length).toBe(requestsBefore);
    expect(await read('bb-pr-acme/checkout#3')).toEqual({ item: synced, deliveries: 0 });

    const accepted = await deliver(SECRET, '{a1b2c3d4-0000-4000-8000-000000000002}');
    expect(accepted.status).toBe(202);
    await vi.waitFor(
      async () => {
        const { item } = await read('bb-pr-acme/checkout#3');
        expect(item).toMatchObject({ title: 'Retry payment webhooks with back-off', team: 'shop' });
        expect(item?.reviews?.map((r) => r.state)).toEqual(['approved', 'changes_requested']);
      },
      { timeout: 5_000, interval: 100 },
    );
  });
});
