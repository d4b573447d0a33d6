import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { createTeamState, type TeamState } from '@teamstate/core';
import { createMcpHttpHandler, type McpHttpHandler } from '@teamstate/mcp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpLimits } from '../src/server/create-http-server.js';

// Issue 17: `serve` read up to 5 MB of body before checking /mcp's bearer token, held a slow body for Node's
// 300 s default and had no connection limit. Raw sockets, so nothing is sent that the test does not write.
const TOKEN = randomBytes(32).toString('base64url');
let ts: TeamState;
let mcp: McpHttpHandler;
let server: Server;
let port: number;
const sockets: Socket[] = [];

async function start(limits: HttpLimits = {}) {
  server = createHttpServer(ts, { '/mcp': mcp.route }, undefined, limits);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}

beforeEach(async () => {
  ts = await createTeamState({ database: ':memory:' });
  mcp = createMcpHttpHandler(ts, { token: TOKEN });
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await mcp.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await ts.close();
});

/** Opens a socket, writes `head` (and nothing else unless told), and collects what comes back until it closes. */
function raw(head: string): { socket: Socket; answer: Promise<string>; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  socket.on('data', (chunk) => {
    text += chunk.toString('utf8');
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(head);
  return { socket, answer: closed.then(() => text), closed };
}

/** Resolves once the server counts `count` open connections (a fixed sleep would race a loaded machine). */
async function serverHolds(count: number): Promise<void> {
  const open = () => new Promise<number>((resolve, reject) => server.getConnections((error, n) => (error ? reject(error) : resolve(n))));
  while ((await open()) !== count) await new Promise((resolve) => setTimeout(resolve, 10));
}

const post = (headers: Record<string, string>, path = '/mcp') =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

describe('teamstate serve guards its HTTP server (issue 17)', () => {
  it('answers /mcp without a valid bearer token from the headers alone, before any body byte, and closes', async () => {
    await start();
    const missing = raw(post({ 'content-type': 'application/json', 'content-length': '5000000' }));
    const answer = await missing.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    const wrong = raw(post({ authorization: 'Bearer not-the-token', 'content-length': '5000000' }));
    expect(await wrong.answer).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('answers 408 and closes a request whose body stalls', async () => {
    await start({ bodyTimeoutMs: 200 });
    const slow = raw(
      `${post({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': '100' })}{"jsonrpc":`,
    );
    expect(await slow.answer).toMatch(/^HTTP\/1\.1 408 /);
    // A webhook body that stalls gets the same.
    const webhook = raw(`${post({ 'content-type': 'application/json', 'content-length': '100' }, '/webhooks/github')}{"a":`);
    expect(await webhook.answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  // Node enforces headersTimeout/requestTimeout only when it sweeps its connections, every 30 s by default:
  // the 10 s headers limit held a stalled client for up to 40 s. The 10 s test timeout is far above the
  // 200 ms limit and far below Node's 30 s sweep.
  it('answers 408 and closes a request whose headers stall, within the headers timeout', { timeout: 10_000 }, async () => {
    await start({ bodyTimeoutMs: 200 });
    const slow = raw('POST /webhooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n');
    expect(await slow.answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('caps concurrent connections', async () => {
    await start({ maxConnections: 2, bodyTimeoutMs: 5_000 });
    const held = [1, 2].map(() => raw(post({ 'content-length': '10' }, '/webhooks/github')));
    await serverHolds(2);
    const third = raw('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    // Refused: closed without an answer while two connections are held.
    expect(await third.answer).toBe('');
    for (const { socket } of held) socket.destroy();
    await serverHolds(0);
    const after = raw('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(await after.answer).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('bounds the bytes of request bodies held at once: past the budget, a body is refused with 503 before it is read', async () => {
    await start({ maxBodyBytesInFlight: 1_000, bodyTimeoutMs: 5_000 });
    // Two webhook bodies (unauthenticated until read) of 600 declared bytes each: the second is past the budget.
    const first = raw(post({ 'content-type': 'application/json', 'content-length': '600' }, '/webhooks/github'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = raw(post({ 'content-type': 'application/json', 'content-length': '600' }, '/webhooks/github'));
    const answer = await second.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer.toLowerCase()).toContain('retry-after: 5');
    first.socket.destroy();
    await first.closed;
    // Once the first is gone, its bytes are free again.
    const third = raw(`${post({ 'content-type': 'application/json', 'content-length': '2', connection: 'close' }, '/webhooks/nope')}{}`);
    expect(await third.answer).toMatch(/^HTTP\/1\.1 404 /);
  });
});
