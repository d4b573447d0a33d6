import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hmacSha256Hex } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, type FakeWorld } from '../../connectors/test/github/fake-github.js';
import { type FakeGitHubServer, serveFakeGitHub } from '../../connectors/test/github/serve-fake-github.js';
import { BIN, runCli } from './run-cli.js';

const fixtures = new URL('../../connectors/test/__fixtures__/github/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, fixtures), 'utf8');
const TOKEN = 'ghp_CliTestTokenNeverPrinted000000000000';
const SECRET = 'whsec_cli_test';

const root = mkdtempSync(join(tmpdir(), 'teamstate-github-cli-'));
let fake: FakeGitHub;
let server: FakeGitHubServer;
beforeAll(async () => {
  fake = new FakeGitHub(JSON.parse(fixture('world.json')) as FakeWorld, { now: () => new Date() });
  server = await serveFakeGitHub(() => fake);
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function project(name: string, github: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    `database: team.db
connectors:
  github: ${github}
teams:
  - { id: payments, name: Payments, repositories: [acme/api] }
`,
  );
  return dir;
}

// The CLI runs as a child while this process serves the fake GitHub, so it must not block (no spawnSync).
const env = { GITHUB_TOKEN: TOKEN };

describe('connectors.github in the config', () => {
  it('teamstate sync --only github syncs the configured repositories with their team; a re-run costs one request', async () => {
    const dir = project('sync', `{ token: \${GITHUB_TOKEN}, repositories: [acme/api], baseUrl: ${server.url} }`);
    const result = await runCli(['--json', 'sync', '--only', 'github'], { cwd: dir, env });
    expect(result.stderr).not.toContain(TOKEN);
    expect(result.code).toBe(0);
    // The config's own records are applied first, also with --only.
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      connectors: [
        { connector: 'config', status: 'succeeded' },
        { connector: 'github', status: 'succeeded' },
      ],
    });
    const exported = JSON.parse((await runCli(['export'], { cwd: dir, env })).stdout);
    expect(exported.repositories).toEqual([{ id: 'acme/api', team: 'payments' }]);
    expect(exported.workItems.filter((w: { team?: string }) => w.team === 'payments')).toHaveLength(7);
    expect(exported.deployments.length).toBeGreaterThan(0);

    fake.requests.length = 0;
    const again = await runCli(['--json', 'sync'], { cwd: dir, env });
    expect(again.code).toBe(0);
    expect(fake.requests.map((r) => r.operation)).toEqual(['TeamstateProbe']);
  });

  it('config check masks the App private key; a section without credentials is refused with the fix', async () => {
    const dir = project('app', `{ app: { appId: 123456, installationId: "9876", privateKey: \${GITHUB_APP_KEY} }, org: acme }`);
    const result = await runCli(['config', 'check'], {
      cwd: dir,
      env: { GITHUB_APP_KEY: '-----BEGIN RSA PRIVATE KEY-----\\nMIIEsecret\\n-----END RSA PRIVATE KEY-----' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('privateKey: "********"');
    expect(result.stdout).not.toContain('MIIEsecret');
    const missing = await runCli(['config', 'check'], { cwd: project('no-auth', '{ org: acme }') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('connectors.github.token: is required (or configure GitHub App auth under connectors.github.app)');
  });

  it('teamstate serve stores a signed pull_request webhook at once and refuses an unsigned one', async () => {
    const dir = project('serve', `{ token: \${GITHUB_TOKEN}, repositories: [acme/api], baseUrl: ${server.url}, webhookSecret: ${SECRET} }`);
    // serve syncs a connector that never synced as soon as it starts. Synced once while GitHub had no pull request or
    // issue yet, its next sync is an interval away: acme/api#107 can only come from the webhook.
    const world = JSON.parse(fixture('world.json')) as FakeWorld;
    for (const repository of world.repositories) Object.assign(repository, { pullRequests: [], issues: [] });
    fake = new FakeGitHub(world, { now: () => new Date() });
    expect((await runCli(['sync', '--only', 'github'], { cwd: dir, env })).code).toBe(0);
    fake = new FakeGitHub(JSON.parse(fixture('world.json')) as FakeWorld, { now: () => new Date() });
    const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      cwd: dir,
      env: { ...process.env, GITHUB_TOKEN: TOKEN },
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        child.stderr!.on('data', (chunk) => {
          stderr += chunk;
          const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(stderr);
          if (match) resolve(match[1]!);
        });
        child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
      });
      const body = fixture('webhook-pull-request.json');
      const headers = {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'b7e1c6a0-1f2e-11f1-8c4a-0a58a9feac02',
      };
      const unsigned = await fetch(`${base}/webhooks/github`, { method: 'POST', body, headers });
      expect(unsigned.status).toBe(401);
      const signed = await fetch(`${base}/webhooks/github`, {
        method: 'POST',
        body,
        headers: { ...headers, 'x-hub-signature-256': `sha256=${hmacSha256Hex(SECRET, body)}` },
      });
      expect(signed.status).toBe(202);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    const exported = JSON.parse((await runCli(['export'], { cwd: dir, env })).stdout);
    expect(exported.workItems).toEqual([expect.objectContaining({ key: 'acme/api#107', team: 'payments', author: 'bobk' })]);
  });
});
