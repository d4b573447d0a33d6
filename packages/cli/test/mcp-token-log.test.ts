import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { until } from './until.js';

// Finding 9 of the security review: the MCP token `serve` generates on first start was written to stderr in clear,
// which with `--log-format json` is the log stream a collector ships. Each run here is `teamstate … serve` in this
// process, through `main()`, with stderr collected.
const root = mkdtempSync(join(tmpdir(), 'teamstate-token-log-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
});

/**
 * `teamstate <args> serve --port 0` in a fresh folder (with `config` as its teamstate.config.yaml), until `fn` is done;
 * then stopped as by SIGTERM.
 */
async function serving(
  name: string,
  args: string[],
  stderrIsTTY: boolean,
  fn: (run: { base: string; tokenFile: string }) => Promise<void>,
  config?: string,
): Promise<{ code: number; stderr: string }> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  if (config !== undefined) writeFileSync(join(dir, 'teamstate.config.yaml'), config);
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_TOKEN: 'ghp_not-used-by-this-test' };
  delete env.TEAMSTATE_MCP_TOKEN;
  let stderr = '';
  const run = main([...args, '--db', join(dir, 'teamstate.db'), 'serve', '--port', '0'], {
    stdout: () => {},
    stderr: (text) => {
      stderr += text;
    },
    env,
    isTTY: false,
    stderrIsTTY,
    cwd: dir,
  });
  try {
    const base = await until('serve to listen', () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1], 30_000);
    await fn({ base, tokenFile: join(dir, 'mcp-token') });
  } finally {
    process.emit('SIGTERM', 'SIGTERM');
  }
  return { code: await run, stderr };
}

const initialize = (base: string, token: string) =>
  fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
    body: INITIALIZE,
  });

describe('the MCP token generated on first start stays out of the log stream (finding 9)', () => {
  it('with --log-format json, no line on stderr carries it, even on a terminal, and the server accepts it', async () => {
    let token = '';
    // GitHub webhooks (never reached upstream: nothing syncs at start), so that an unsigned delivery logs a warning.
    const config =
      'connectors:\n  github: { token: ${GITHUB_TOKEN}, repositories: [acme/api], baseUrl: "http://127.0.0.1:9", webhookSecret: whsec-log }\n';
    const { code, stderr } = await serving(
      'json',
      ['--log-format', 'json'],
      true,
      async ({ base, tokenFile }) => {
        token = readFileSync(tokenFile, 'utf8').trim();
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
        const accepted = await initialize(base, token);
        expect(accepted.status).toBe(200);
        await accepted.body?.cancel();
        expect((await initialize(base, 'x'.repeat(43))).status).toBe(401);
        const unsigned = await fetch(`${base}/webhooks/github`, { method: 'POST', headers: { 'x-github-event': 'ping' }, body: '{}' });
        expect(unsigned.status).toBe(401);
      },
      config,
    );
    expect(code).toBe(0);
    const lines = stderr.split('\n').filter((line) => line !== '');
    // The log stream has JSON lines (the rejected delivery's warning), and none of its lines carries the token.
    expect(lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line).message)).toContain(
      'webhook github: rejected a delivery with a missing or invalid signature',
    );
    for (const line of lines) expect(line).not.toContain(token);
    expect(stderr).toContain(`Generated an MCP access token and saved it to ${join(root, 'json', 'mcp-token')}`);
  });

  it('prints it once to a terminal with text logs, and only where it is when stderr is not a terminal', async () => {
    let token = '';
    const terminal = await serving('text-tty', [], true, async ({ tokenFile }) => {
      token = readFileSync(tokenFile, 'utf8').trim();
    });
    expect(terminal.stderr).toContain(`  ${token}\n`);
    const piped = await serving('text-pipe', [], false, async ({ tokenFile }) => {
      token = readFileSync(tokenFile, 'utf8').trim();
    });
    expect(piped.stderr).not.toContain(token);
    expect(piped.stderr).toContain(`saved it to ${join(root, 'text-pipe', 'mcp-token')}`);
  });
});
