import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createTeamState, type TeamState } from '@teamstate/core';
import { createMcpHttpHandler, type McpHttpHandler } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeBundle, NOW } from './fixtures/acme.js';

const TOKEN = randomBytes(32).toString('base64url');
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
};

let ts: TeamState;
let server: Server;
let handler: McpHttpHandler;
let port: number;
let endpoint: URL;

async function listen(mcp: McpHttpHandler): Promise<Server> {
  const http = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname === '/mcp') void mcp.handle(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return http;
}

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW });
  await ts.import(acmeBundle());
  handler = createMcpHttpHandler(ts, { token: TOKEN });
  server = await listen(handler);
  port = (server.address() as AddressInfo).port;
  endpoint = new URL(`http://127.0.0.1:${port}/mcp`);
});
afterAll(async () => {
  await handler.close();
  await new Promise((resolve) => server.close(resolve));
  await ts.close();
});

const post = (headers: Record<string, string>, body: unknown = INITIALIZE) =>
  fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });

const errorMessage = async (response: Response) => ((await response.json()) as { error: { message: string } }).error.message;

/** A request with a Host header of our choosing (fetch does not allow setting it). */
function withHost(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method: 'POST',
        headers: {
          host,
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(INITIALIZE));
  });
}

async function connectClient(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const transport = new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } });
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

describe('Streamable HTTP', () => {
  it('answers 401 without a token, and with a wrong one', async () => {
    const missing = await post({});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="teamstate"');
    expect(await errorMessage(missing)).toContain('Authorization: Bearer');
    expect((await post({ authorization: `Bearer ${TOKEN.slice(1)}x` })).status).toBe(401);
    expect((await post({ authorization: TOKEN })).status).toBe(401);
  });

  it('answers 403 to a foreign Origin or Host (DNS rebinding), even with the token', async () => {
    const foreign = await post({ authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await errorMessage(foreign)).toContain('Origin "http://evil.example" is not allowed');
    expect((await post({ authorization: `Bearer ${TOKEN}`, origin: 'null' })).status).toBe(403);
    expect(await withHost('evil.example')).toBe(403);
    expect(await withHost(`evil.example:${port}`)).toBe(403);
    expect(await withHost(`localhost:${port}`)).toBe(200);
  });

  it('serves a client that sends the token: initialize, tools/list, tools/call; the session id is a random UUID', async () => {
    const { client, transport } = await connectClient();
    expect(transport.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('team_overview');
    const result = await client.callTool({ name: 'team_overview', arguments: { team: 'payments' } });
    expect(result.structuredContent).toMatchObject({ teams: [{ id: 'payments' }] });
    await client.close();
  });

  it('refuses an allowed origin that is not an exact origin, naming it and the form expected', () => {
    expect(() => createMcpHttpHandler(ts, { token: TOKEN, allowedOrigins: ['https://app.example', 'https://app.example/'] })).toThrow(
      'allowedOrigins[1]: expected an origin such as https://app.example (scheme, host and port, no path or trailing slash), got "https://app.example/"',
    );
  });

  it('accepts a browser origin on a loopback host (the MCP Inspector)', async () => {
    const response = await post({ authorization: `Bearer ${TOKEN}`, origin: 'http://localhost:6274' });
    expect(response.status).toBe(200);
  });

  it('never takes a session id as authentication', async () => {
    const { client, transport } = await connectClient();
    const sessionId = transport.sessionId!;
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    expect((await post({ 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' }, list)).status).toBe(401);
    const allowed = await post(
      { authorization: `Bearer ${TOKEN}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
      list,
    );
    expect(allowed.status).toBe(200);
    await client.close();
  });

  it('answers 404 to an unknown session and 400 to a first request that is not initialize', async () => {
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    expect((await post({ authorization: `Bearer ${TOKEN}`, 'mcp-session-id': 'f'.repeat(36) }, list)).status).toBe(404);
    expect((await post({ authorization: `Bearer ${TOKEN}` }, list)).status).toBe(400);
    const bad = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{',
    });
    expect(bad.status).toBe(400);
  });

  it('answers a GET with 405 (no stream: nothing is sent outside an answer), after the Host/Origin check and authentication; the client goes on', async () => {
    const { client, transport } = await connectClient();
    const get = (headers: Record<string, string>) =>
      fetch(endpoint, { headers: { accept: 'text/event-stream', 'mcp-session-id': transport.sessionId!, ...headers } });
    expect((await get({})).status).toBe(401);
    // DNS rebinding is refused first, as for every request.
    const foreign = await get({ authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await errorMessage(foreign)).toContain('Origin "http://evil.example" is not allowed');
    const refused = await get({ authorization: `Bearer ${TOKEN}`, 'mcp-protocol-version': '2025-06-18' });
    expect([refused.status, refused.headers.get('allow')]).toEqual([405, 'POST, DELETE']);
    expect(await errorMessage(refused)).toBe('this server sends nothing outside its answers: no stream to open with GET; use POST');
    // The client opened (and was refused) its own GET stream after initialize; its requests are served as before.
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('team_overview');
    await client.close();
  });

  it('closes the least recently used session past maxSessions', async () => {
    const small = createMcpHttpHandler(ts, { token: TOKEN, maxSessions: 1 });
    const http = await listen(small);
    const url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
    const open = async () => {
      const client = new Client({ name: 'lru', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
      return client;
    };
    const first = await open();
    const second = await open();
    await expect(first.listTools()).rejects.toThrow();
    expect((await second.listTools()).tools.length).toBeGreaterThan(0);
    await second.close();
    await small.close();
    await new Promise((resolve) => http.close(resolve));
  });

  it('refuses a short token when created', () => {
    expect(() => createMcpHttpHandler(ts, { token: 'secret' })).toThrow('token: expected a bearer token of at least 32 characters');
  });
});
