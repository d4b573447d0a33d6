import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, hmacSha256Hex } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, type FakeWorld } from '../../connectors/test/github/fake-github.js';
import { type FakeGitHubServer, serveFakeGitHub } from '../../connectors/test/github/serve-fake-github.js';
import { runCli } from './run-cli.js';
import { serveWhile } from './serve-while.js';

const fixtures = new URL('../../connectors/test/__fixtures__/github/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, fixtures), 'utf8');
const TOKEN = 'ghp_WebhooksCliTokenNeverPrinted00000000';
const SECRET = 'whsec_webhooks_cli_test_secret';
const DELIVERY = '9c0d3b1e-2a4f-11f1-8f6e-6b2d1c0a9e77';

const root = mkdtempSync(join(tmpdir(), 'teamstate-webhooks-cli-'));
let fake: FakeGitHub;
let github: FakeGitHubServer;
let dir: string;
beforeAll(async () => {
  fake = new FakeGitHub(JSON.parse(fixture('world.json')) as FakeWorld, { now: () => new Date() });
  github = await serveFakeGitHub(() => fake);
  dir = join(root, 'project');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    `database: team.db
connectors:
  github: { token: \${GITHUB_TOKEN}, repositories: [acme/api], baseUrl: ${github.url}, webhookSecret: \${GITHUB_WEBHOOK_SECRET} }
teams:
  - { id: payments, name: Payments, repositories: [acme/api] }
`,
  );
});
afterAll(async () => {
  await github.close();
  rmSync(root, { recursive: true, force: true });
});

const env = () => ({ ...process.env, GITHUB_TOKEN: TOKEN, GITHUB_WEBHOOK_SECRET: SECRET });

// The CLI runs as a child while this process serves the fake GitHub, so it must not block (no spawnSync).
const cli = (args: string[]) => runCli(args, { cwd: dir, env: env() });

function postPullRequest(base: string, delivery: string) {
  const body = fixture('webhook-pull-request.json');
  return fetch(`${base}/webhooks/github`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${hmacSha256Hex(SECRET, body)}`,
    },
  });
}

const serve = <T>(fn: (base: string) => Promise<T>) => serveWhile({ cwd: dir, env: env() }, fn);

describe('teamstate webhooks list|retry', () => {
  it('a pull_request delivery while GitHub is down: 202, the PR from the payload stored, listed as failed, completed by webhooks retry', async () => {
    fake.intercept((request) => (request.path === '/graphql' ? { status: 502, body: { message: 'Server Error' } } : undefined));
    const body = fixture('webhook-pull-request.json');
    const { result: answer, stderr } = await serve((base) =>
      fetch(`${base}/webhooks/github`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': DELIVERY,
          'x-hub-signature-256': `sha256=${hmacSha256Hex(SECRET, body)}`,
        },
      }),
    );
    expect(answer.status).toBe(202);
    // The failure is logged with the delivery id, never a secret.
    expect(stderr).toMatch(new RegExp(`webhook github ${DELIVERY} \\(pull_request, attempt 1\\).*502`));
    expect(stderr).not.toContain(TOKEN);
    expect(stderr).not.toContain(SECRET);

    const exported = JSON.parse((await cli(['export'])).stdout);
    expect(exported.workItems).toEqual([
      expect.objectContaining({ key: 'acme/api#107', title: 'Expose refund status in the API', team: 'payments', author: 'bobk' }),
    ]);
    expect(exported.workItems[0].reviews).toBeUndefined();

    const listed = await cli(['webhooks', 'list', '--failed', '--json']);
    expect(listed.code).toBe(0);
    const { deliveries } = JSON.parse(listed.stdout) as { deliveries: Record<string, unknown>[] };
    expect(deliveries).toEqual([
      expect.objectContaining({ provider: 'github', id: DELIVERY, event: 'pull_request', status: 'retrying', attempts: 1 }),
    ]);
    expect(deliveries[0]!.lastError).toMatch(/502/);
    const table = await cli(['webhooks', 'list', '--failed']);
    expect(table.stdout).toMatch(new RegExp(`${DELIVERY}\\s+github\\s+pull_request\\s+retrying\\s+1`));

    // Bad ids: a clear error, nothing changes.
    const unknown = await cli(['webhooks', 'retry', 'no-such-delivery']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('webhook delivery "no-such-delivery" is not stored (see teamstate webhooks list for the ids)');
    const badLimit = await cli(['webhooks', 'list', '--limit', 'ten']);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain('--limit: expected a whole number from 1 to 1000, got "ten"');
    expect(JSON.parse((await cli(['webhooks', 'list', '--json'])).stdout).deliveries).toEqual(deliveries);

    fake.clearInterceptors();
    const retried = await cli(['webhooks', 'retry', DELIVERY, '--json']);
    expect(retried.stderr).not.toContain(TOKEN);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toMatchObject({ delivery: { id: DELIVERY, status: 'processed', attempts: 2 } });
    expect(JSON.parse((await cli(['webhooks', 'list', '--failed', '--json'])).stdout)).toEqual({ deliveries: [] });
    const complete = JSON.parse((await cli(['export'])).stdout).workItems[0];
    expect(complete).toMatchObject({
      readyAt: '2026-03-08T09:00:00.000Z',
      reviews: [{ reviewer: 'anag', state: 'approved', submittedAt: '2026-03-09T09:55:00.000Z' }],
    });

    const again = await cli(['webhooks', 'retry', DELIVERY]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`webhook delivery "${DELIVERY}" was already processed; there is nothing to retry`);
  });

  it('teamstate serve drains the queue: a delivery whose retry is due is completed once GitHub is back', async () => {
    const id = '0b6a4d2c-2a50-11f1-9d3a-7c1e5f0b2a44';
    fake.intercept((request) => (request.path === '/graphql' ? { status: 502, body: { message: 'Server Error' } } : undefined));
    expect((await serve((base) => postPullRequest(base, id))).result.status).toBe(202);
    fake.clearInterceptors();
    // Make the back-off run out now (it is 30 s of real time).
    const db = await createTeamState({ database: join(dir, 'team.db') });
    try {
      await db.store.execute('UPDATE webhook_deliveries SET next_attempt_at = 0 WHERE delivery_id = ?', [id]);
      const status = async () => (await db.webhooks.list()).find((d) => d.id === id)?.status;
      expect(await status()).toBe('retrying');
      await serve(async () => {
        while ((await status()) !== 'processed') await new Promise((resolve) => setTimeout(resolve, 100));
      });
      expect(await db.webhooks.list({ failed: true })).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
