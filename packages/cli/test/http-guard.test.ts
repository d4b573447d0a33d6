import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { createTeamState, hmacSha256Hex, type TeamState, verifySha256Signature } from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';
import { createMcpHttpHandler, type McpHttpHandler } from '@teamstate/mcp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpLimits } from '../src/server/create-http-server.js';

// Issue 17: `serve` read up to 5 MB of body before checking /mcp's bearer token, held a slow body for Node's
// 300 s default and had no connection limit. Raw sockets, so nothing is sent that the test does not write.
const TOKEN = randomBytes(32).toString('base64url');
const SECRET = 'whsec-guard';
// A connector whose signed deliveries are stored and ignored: what a GitHub or Jira delivery goes through before its handler.
const signedHook = testConnector({
  id: 'guard-hook',
  webhooks: {
    provider: 'teams',
    verify: (request) => verifySha256Signature(SECRET, request.rawBody, request.headers['x-signature']),
    deliveryId: (request) => request.headers['x-delivery'],
    eventName: () => 'ping',
    handle: async () => ({ ignored: 'a ping' }),
  },
});
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
  ts = await createTeamState({ database: ':memory:', connectors: [signedHook] });
  mcp = createMcpHttpHandler(ts, { token: TOKEN });
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await mcp.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await ts.close();
});

/**
 * Opens a socket (from `from`, another loopback address, to be another peer), writes `head` (and nothing else unless
 * told), and collects what comes back until it closes.
 */
function raw(
  head: string,
  from = '127.0.0.1',
): { socket: Socket; answer: Promise<string>; status: Promise<string>; closed: Promise<void> } {
  const socket = connect({ port, host: '127.0.0.1', localAddress: from });
  sockets.push(socket);
  let text = '';
  let gotStatus: (line: string) => void = () => {};
  // The status line, as soon as it arrives (a stream such as MCP's may keep the connection open after it).
  const status = new Promise<string>((resolve) => {
    gotStatus = resolve;
  });
  socket.on('data', (chunk) => {
    text += chunk.toString('utf8');
    if (text.includes('\r\n')) gotStatus(text.slice(0, text.indexOf('\r\n')));
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  void closed.then(() => gotStatus(text));
  socket.write(head);
  return { socket, answer: closed.then(() => text), status, closed };
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
    // Bodies that send nothing are held for the whole 5 s (no rate check before then).
    await start({ maxConnections: 2, bodyTimeoutMs: 5_000, bodyGraceMs: 5_000 });
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
});

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
});

/** An authenticated MCP initialize, whole, from `from`. */
const mcpCall = (from?: string) =>
  raw(
    `${post({
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'content-length': String(Buffer.byteLength(INITIALIZE)),
      connection: 'close',
    })}${INITIALIZE}`,
    from,
  );

/** A signed delivery to /webhooks/teams whose body is `size` bytes (at least 30), and its request head. */
function delivery(id: string, size = 60): { head: string; body: string } {
  const start = JSON.stringify({ id, pad: '' });
  const body = `${start.slice(0, -2)}${'x'.repeat(Math.max(0, size - start.length))}"}`;
  const head = post(
    {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-signature': `sha256=${hmacSha256Hex(SECRET, body)}`,
      'x-delivery': id,
      connection: 'close',
    },
    '/webhooks/teams',
  );
  return { head, body };
}
const deliver = (id: string, from?: string, size?: number) => {
  const { head, body } = delivery(id, size);
  return raw(head + body, from);
};

/** How many requests have reached the server's handler (its own listener runs first: it was added first). */
function requestsReached(): { count: number } {
  const seen = { count: 0 };
  server.on('request', () => {
    seen.count++;
  });
  return seen;
}
const reachedAtLeast = async (seen: { count: number }, n: number) => {
  while (seen.count < n) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setImmediate(resolve));
};

/** The first of `requests` to be answered, and the others. */
async function firstAnswered<T extends { answer: Promise<string> }>(requests: T[]): Promise<{ answer: string; others: T[] }> {
  const [answer, index] = await Promise.race(requests.map((r, i) => r.answer.then((text) => [text, i] as const)));
  return { answer, others: requests.filter((_, i) => i !== index) };
}

// Finding 5 of the security review: twelve unauthenticated peers declaring 5 MB bodies and sending a byte at a time,
// plus one declaring the rest of the 64 MB, made serve answer 503 to signed webhooks and authenticated /mcp for as
// long as they kept reconnecting: the budget counted declared lengths. It now counts bytes received, caps what one
// address holds, keeps a reserve for authenticated requests, and drops a body that arrives slower than a minimum rate.
describe('slow or greedy peers do not starve the HTTP server (finding 5)', () => {
  // Generous: the dripping peers are dropped 2 s after their headers.
  it('serves a signed webhook and an authenticated /mcp call while 13 peers declare 64 MB and drip a byte at a time', {
    timeout: 30_000,
  }, async () => {
    await start();
    const seen = requestsReached();
    const slow = Array.from({ length: 13 }, (_, i) =>
      // 12 × 5 MB + 4 MB: the whole 64 MB budget, by declared length.
      raw(post({ 'content-type': 'application/json', 'content-length': String((i < 12 ? 5 : 4) * 1024 * 1024) }, '/webhooks/teams')),
    );
    const drip = setInterval(() => {
      for (const { socket } of slow) if (socket.writable) socket.write('{');
    }, 100);
    try {
      await reachedAtLeast(seen, 13);
      expect(await deliver('d-under-attack').answer).toMatch(/^HTTP\/1\.1 202 /);
      expect(await mcpCall().status).toBe('HTTP/1.1 200 OK');
      // Each dripping peer is dropped for its rate (2 s after its headers), not at the 15 s body timeout.
      for (const { answer } of slow) expect(await answer).toMatch(/^HTTP\/1\.1 408 [\s\S]*arrived slower than 16 KB\/s/);
    } finally {
      clearInterval(drip);
    }
    expect((await ts.webhooks.list({ provider: 'teams' })).map((d) => d.id)).toEqual(['d-under-attack']);
  });

  it('counts the bytes received, not the length declared: past the budget, 503 with Retry-After', async () => {
    await start({ maxBodyBytesInFlight: 1_000, authenticatedReserveBytes: 0, bodyGraceMs: 30_000, bodyTimeoutMs: 30_000 });
    const seen = requestsReached();
    // Two bodies declaring 900 bytes each and sending none hold nothing.
    const declared = [1, 2].map(() => raw(post({ 'content-type': 'application/json', 'content-length': '900' }, '/webhooks/teams')));
    await reachedAtLeast(seen, 2);
    // Two signed deliveries of 700 bytes from two peers send 600 each: the second 600 bytes to arrive are past the budget.
    const parts = ['d-a', 'd-b'].map((id) => delivery(id, 700));
    const sent = parts.map(({ head, body }, i) => ({ ...raw(head + body.slice(0, 600), `127.0.0.${i + 2}`), rest: body.slice(600) }));
    const { answer, others } = await firstAnswered(sent);
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer.toLowerCase()).toContain('retry-after: 5');
    // The other one is still being read: its last 100 bytes complete it.
    const held = others[0]!;
    held.socket.write(held.rest);
    expect(await held.answer).toMatch(/^HTTP\/1\.1 202 /);
    expect(declared.every(({ socket }) => !socket.destroyed)).toBe(true);
  });

  it('caps the bytes one address holds; other addresses and authenticated calls from it go on', async () => {
    await start({ maxBodyBytesInFlight: 10_000, maxBodyBytesPerPeer: 1_000, bodyGraceMs: 30_000, bodyTimeoutMs: 30_000 });
    // Three bodies from one address send 600 bytes each of 2,000: only one fits under its 1,000.
    const greedy = [1, 2, 3].map(() => {
      const request = raw(post({ 'content-type': 'application/json', 'content-length': '2000' }, '/webhooks/teams'));
      request.socket.write('x'.repeat(600));
      return request;
    });
    const first = await firstAnswered(greedy);
    const second = await firstAnswered(first.others);
    for (const answer of [first.answer, second.answer]) expect(answer).toMatch(/^HTTP\/1\.1 429 [\s\S]*retry-after: 5/i);
    // The address is at its cap for unauthenticated bodies; another address is not, and a bearer token skips the cap.
    expect(await deliver('d-same-address', '127.0.0.1', 600).answer).toMatch(/^HTTP\/1\.1 429 /);
    expect(await deliver('d-other-address', '127.0.0.2', 600).answer).toMatch(/^HTTP\/1\.1 202 /);
    expect(await mcpCall('127.0.0.1').status).toBe('HTTP/1.1 200 OK');
  });

  it('keeps a reserve of the budget for authenticated requests that unauthenticated bodies cannot take', async () => {
    await start({
      maxBodyBytesInFlight: 2_000,
      authenticatedReserveBytes: 1_000,
      bodyGraceMs: 30_000,
      bodyTimeoutMs: 30_000,
    });
    // Four addresses send 600 bytes each of 1,000 declared: the unauthenticated 1,000 hold one of them.
    const peers = [2, 3, 4, 5].map((n) => {
      const request = raw(post({ 'content-type': 'application/json', 'content-length': '1000' }, '/webhooks/teams'), `127.0.0.${n}`);
      request.socket.write('x'.repeat(600));
      return request;
    });
    let waiting = peers;
    for (let refused = 0; refused < 3; refused++) {
      const next = await firstAnswered(waiting);
      expect(next.answer).toMatch(/^HTTP\/1\.1 503 /);
      waiting = next.others;
    }
    expect(await mcpCall().status).toBe('HTTP/1.1 200 OK');
    expect(await deliver('d-no-room', '127.0.0.6', 600).answer).toMatch(/^HTTP\/1\.1 503 /);
  });

  it('answers a body declared over 5 MB (413), and one nothing would read (404, 405), before reading it', async () => {
    await start();
    const huge = post({ 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024 + 1) }, '/webhooks/teams');
    expect(await raw(huge).answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(await raw(post({ 'content-length': '1000' }, '/no-such-route')).answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(await raw(`PUT /webhooks/teams HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-length: 1000\r\n\r\n`).answer).toMatch(/^HTTP\/1\.1 405 /);
  });
});
