import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTeamState, type TeamState, verifySha256Signature } from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';
import { createMcpHttpHandler, type McpHttpHandler } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../src/server/create-http-server.js';

// Issue 51: every route of `serve` but /healthz checks Host and Origin (DNS rebinding), and CORS headers are sent only
// to the origins configured, never to any page on an allowed host.
const TOKEN = randomBytes(32).toString('base64url');
const SECRET = 'whsec-host-origin';
const APP = 'https://app.example';
const hook = testConnector({
  id: 'origin-hook',
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

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', connectors: [hook] });
  mcp = createMcpHttpHandler(ts, { token: TOKEN, allowedOrigins: [APP] });
  server = createHttpServer(ts, { '/mcp': mcp.route }, undefined, {}, mcp.access);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await mcp.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await ts.close();
});

/** One request with the Host and headers given (fetch cannot set Host). */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const delivery = (id: string) => {
  const body = JSON.stringify({ zen: 'hello' });
  return { body, headers: { 'content-type': 'application/json', 'x-delivery': id, 'x-signature': `sha256=${hmac(body)}` } };
};
const hmac = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');

describe('Host and Origin on every route but /healthz', () => {
  it('refuses a webhook delivery with a foreign Host or Origin with 403, storing nothing; accepts it on an allowed host', async () => {
    const foreignHost = delivery('d-host');
    const refused = await send('POST', '/webhooks/teams', { ...foreignHost.headers, host: 'evil.example' }, foreignHost.body);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('DNS rebinding');
    const foreignOrigin = delivery('d-origin');
    expect(
      (await send('POST', '/webhooks/teams', { ...foreignOrigin.headers, origin: 'https://evil.example' }, foreignOrigin.body)).status,
    ).toBe(403);
    expect(await ts.webhooks.list({ provider: 'teams' })).toEqual([]);
    const good = delivery('d-good');
    expect((await send('POST', '/webhooks/teams', good.headers, good.body)).status).toBe(202);
  });

  it('answers /healthz whatever the Host (a load balancer probes it by address), and refuses unknown routes on a foreign Host', async () => {
    expect((await send('GET', '/healthz', { host: 'evil.example' })).status).toBe(200);
    expect((await send('GET', '/nothing', { host: 'evil.example' })).status).toBe(403);
  });
});

describe('CORS only for the configured origins', () => {
  it('answers a preflight from a configured origin with its CORS headers, and sends them with the answer', async () => {
    const preflight = await send('OPTIONS', '/mcp', {
      origin: APP,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(APP);
    expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    expect(String(preflight.headers['access-control-expose-headers']).toLowerCase()).toContain('mcp-session-id');
    const ping = await send(
      'POST',
      '/mcp',
      { origin: APP, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'browser', version: '1' } },
      }),
    );
    expect(ping.status).toBe(200);
    expect(ping.headers['access-control-allow-origin']).toBe(APP);
  });

  it('sends no CORS headers to an origin that is not configured, even one on an allowed host', async () => {
    const preflight = await send('OPTIONS', '/mcp', { origin: 'http://localhost:6274', 'access-control-request-method': 'POST' });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const foreign = await send('OPTIONS', '/mcp', { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});
