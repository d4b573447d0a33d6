#!/usr/bin/env node
// Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against `teamstate mcp --http`, built.
//
//   pnpm --filter @teamstate/mcp-server conformance          (after pnpm build; CI runs it in .ci/run)
//
// The suite's client sends no credentials, so it talks to a loopback relay that adds the server's bearer token and
// forwards everything else as it came, Host and Origin included: the server's own checks answer the DNS rebinding
// scenario. Every scenario that applies to a server without the suite's special test tools runs; the scenarios
// that need those tools (test_simple_text, test_reconnection, …) are the suite's, not teamstate's.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCENARIOS = [
  'server-initialize',
  'ping',
  'tools-list',
  'resources-list',
  'prompts-list',
  'dns-rebinding-protection',
  'server-sse-polling',
];

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '../../cli/dist/bin.js');
const conformance = join(here, '../node_modules/@modelcontextprotocol/conformance/dist/index.js');

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Starts `teamstate mcp --http` on a free port; resolves with its port once it says where it listens. */
function startServer(dir, token) {
  const database = join(dir, 'teamstate.db');
  return new Promise((resolve, reject) => {
    const demo = spawn(process.execPath, [bin, 'demo', '--db', database], { stdio: 'ignore' });
    demo.on('close', (code) => {
      if (code !== 0) return reject(new Error(`teamstate demo exited with ${code}`));
      const server = spawn(process.execPath, [bin, 'mcp', '--http', '--port', '0', '--db', database], {
        env: { ...process.env, TEAMSTATE_MCP_TOKEN: token },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      server.stderr.on('data', (chunk) => {
        stderr += chunk.toString('utf8');
        const port = /http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(stderr)?.[1];
        if (port) resolve({ server, port: Number(port) });
      });
      server.on('close', (code) => reject(new Error(`teamstate mcp --http exited with ${code}:\n${stderr}`)));
    });
  });
}

/** A loopback relay that adds `Authorization: Bearer <token>` and forwards the request as it came. */
function startRelay(port, token) {
  const relay = createServer((request, response) => {
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: request.url,
        method: request.method,
        headers: { ...request.headers, authorization: `Bearer ${token}` },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    response.on('close', () => upstream.destroy());
    request.pipe(upstream);
  });
  return new Promise((resolve) => relay.listen(0, '127.0.0.1', () => resolve(relay)));
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-conformance-'));
  const token = randomBytes(32).toString('base64url');
  const { server, port } = await startServer(dir, token);
  const relay = await startRelay(port, token);
  const url = `http://localhost:${relay.address().port}/mcp`;
  const scenarios = process.argv.length > 2 ? process.argv.slice(2) : SCENARIOS;
  const failed = [];
  try {
    for (const scenario of scenarios) {
      const code = await run(process.execPath, [conformance, 'server', '--url', url, '--scenario', scenario, '-o', join(dir, 'results')]);
      if (code !== 0) failed.push(scenario);
    }
  } finally {
    relay.close();
    server.removeAllListeners('close');
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  if (failed.length > 0) {
    console.error(`conformance: failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  } else console.error(`conformance: passed: ${scenarios.join(', ')}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
