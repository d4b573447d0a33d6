import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, startServing } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-mcp-cli-'));
// `mcp` reads: it refuses a database that does not exist, so each test's database is created empty first.
beforeAll(async () => {
  for (const name of ['http', 'env', 'config', 'signal']) await (await createTeamState({ database: join(dir, `${name}.db`) })).close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
});

const post = (url: string, headers: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: INITIALIZE,
  });

describe('teamstate mcp --http', () => {
  const db = join(dir, 'http.db');

  // stderr is a pipe here, not a terminal: the token is not printed (test/mcp-token-log.test.ts shows it on a terminal).
  it('generates a token on first start (saved next to the database for its owner only, not printed) and enforces it', async () => {
    const server = await startServing(dir, ['--db', db, 'mcp', '--http', '--port', '0']);
    try {
      const file = join(dir, 'mcp-token');
      const token = readFileSync(file, 'utf8').trim();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(server.stderr()).toContain(`Generated an MCP access token and saved it to ${file}`);
      expect(server.stderr()).not.toContain(token);

      const url = `${server.base}/mcp`;
      expect((await post(url, {})).status).toBe(401);
      expect((await post(url, { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await post(url, { authorization: `Bearer ${token}`, origin: 'https://attacker.example' })).status).toBe(403);
      const ok = await post(url, { authorization: `Bearer ${token}` });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('mcp-session-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(await ok.text()).toContain('"serverInfo"');
      expect((await fetch(`${server.base}/webhooks/github`, { method: 'POST' })).status).toBe(404);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const again = await startServing(dir, ['--db', db, 'mcp', '--http', '--port', '0']);
    try {
      expect(again.stderr()).not.toContain(readFileSync(join(dir, 'mcp-token'), 'utf8').trim());
      expect(again.stderr()).toContain(`the token in ${join(dir, 'mcp-token')}`);
    } finally {
      await again.stop();
    }
  });

  it('takes the token from TEAMSTATE_MCP_TOKEN, and refuses a short one naming it', async () => {
    const token = 'e'.repeat(40);
    const server = await startServing(dir, ['--db', join(dir, 'env.db'), 'mcp', '--http', '--port', '0'], { TEAMSTATE_MCP_TOKEN: token });
    try {
      expect(server.stderr()).toContain('the token in TEAMSTATE_MCP_TOKEN');
      expect((await post(`${server.base}/mcp`, { authorization: `Bearer ${token}` })).status).toBe(200);
    } finally {
      await server.stop();
    }
    const short = await runCli(['--db', join(dir, 'env.db'), 'mcp', '--http', '--port', '0'], { env: { TEAMSTATE_MCP_TOKEN: 'short' } });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('TEAMSTATE_MCP_TOKEN: the MCP token must be at least 32 characters');
  });

  it('takes the token from mcp.token in the config file', async () => {
    const token = 'c'.repeat(48);
    const config = join(dir, 'teamstate.config.yaml');
    writeFileSync(config, `database: ./config.db\nmcp:\n  token: ${token}\n`);
    const server = await startServing(dir, ['--config', config, 'mcp', '--http', '--port', '0']);
    try {
      expect(server.stderr()).toContain(`mcp.token in ${config}`);
      expect((await post(`${server.base}/mcp`, { authorization: `Bearer ${token}` })).status).toBe(200);
      const check = await runCli(['--config', config, 'config', 'check']);
      expect(check.stdout).not.toContain(token);
      expect(check.stdout).toContain('token: "********"');
    } finally {
      await server.stop();
      rmSync(config);
    }
  });

  it('rejects a bad --port as a usage error', async () => {
    const result = await runCli(['--db', db, 'mcp', '--http', '--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port: expected a port number from 0 to 65535, got "eighty"');
  });
});

describe('teamstate serve mounts /mcp', () => {
  it('serves MCP behind the same token next to webhooks and health', async () => {
    const token = 's'.repeat(40);
    const server = await startServing(dir, ['--db', join(dir, 'serve.db'), 'serve', '--port', '0'], { TEAMSTATE_MCP_TOKEN: token });
    try {
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
      expect((await post(`${server.base}/mcp`, {})).status).toBe(401);
      expect((await post(`${server.base}/mcp`, { authorization: `Bearer ${token}`, origin: 'http://evil.example' })).status).toBe(403);
      expect((await post(`${server.base}/mcp`, { authorization: `Bearer ${token}` })).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('a server stopped as soon as it says it is up', () => {
  // A supervisor (systemd, a test, an assistant closing its MCP server) may stop it at once: it must exit cleanly, not
  // die of the signal because its handlers were not installed yet.
  const db = join(dir, 'signal.db');

  it('teamstate serve and teamstate mcp --http exit 0 on SIGTERM sent the moment they print where they listen', async () => {
    const env = { TEAMSTATE_MCP_TOKEN: 'k'.repeat(40) };
    for (const args of [
      ['serve', '--port', '0'],
      ['mcp', '--http', '--port', '0'],
    ])
      for (let run = 0; run < 3; run++) {
        const server = await startServing(dir, ['--db', db, ...args], env);
        expect({ args, code: await server.stop(), signal: server.child.signalCode }).toEqual({ args, code: 0, signal: null });
      }
  });

  it('teamstate mcp over stdio exits 0 on SIGTERM sent the moment it says it serves', async () => {
    for (let run = 0; run < 3; run++) {
      const child = spawn(process.execPath, [BIN, '--db', db, 'mcp'], { stdio: ['pipe', 'ignore', 'pipe'] });
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.on('exit', (code, signal) => resolve([code, signal])),
      );
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').includes('over stdio')) child.kill('SIGTERM');
      });
      expect(await exited).toEqual([0, null]);
    }
  });
});
