import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpTransportV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createTeamState, type TeamState } from '@teamstate/core';
import { createMcpHttpHandler, type McpHttpHandler } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeBundle, NOW } from './fixtures/acme.js';
import { BIN } from './fixtures/cli.js';

// The server speaks the 2026-07-28 protocol to clients that ask for it (the v2 SDK client with versionNegotiation)
// and 2025-06-18 / 2025-11-25 to the rest (the v1 SDK client, the v2 client by default), over stdio and HTTP.
const TOKEN = randomBytes(32).toString('base64url');

/** What every client should see the same way, whatever protocol it speaks. */
interface Session {
  listTools(): Promise<{ tools: { name: string }[] }>;
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

async function toolsAndOverview(client: Session) {
  const { tools } = await client.listTools();
  const overview = (await client.callTool({ name: 'team_overview', arguments: { team: 'payments' } })) as {
    isError?: boolean;
    structuredContent?: unknown;
  };
  expect(overview.isError).toBeFalsy();
  return { names: tools.map((tool) => tool.name), overview: JSON.stringify(overview.structuredContent) };
}

let ts: TeamState;
let http: Server;
let handler: McpHttpHandler;
let endpoint: URL;
const dir = mkdtempSync(join(tmpdir(), 'teamstate-mcp-versions-'));
const database = join(dir, 'teamstate.db');

beforeAll(async () => {
  const seed = await createTeamState({ database: `file:${database}`, clock: () => NOW });
  await seed.import(acmeBundle());
  await seed.close();
  ts = await createTeamState({ database: ':memory:', clock: () => NOW });
  await ts.import(acmeBundle());
  handler = createMcpHttpHandler(ts, { token: TOKEN });
  http = createServer((req, res) => void handler.handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  endpoint = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
});
afterAll(async () => {
  await handler.close();
  await new Promise((resolve) => http.close(resolve));
  await ts.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } };

describe('protocol versions over Streamable HTTP', () => {
  it('serves the v1 SDK client (2025-11-25), the v2 client by default, and the v2 client on 2026-07-28 the same tools', async () => {
    const v1 = new ClientV1({ name: 'v1', version: '1.0.0' });
    await v1.connect(new HttpTransportV1(endpoint, auth));
    const legacy = new ClientV2({ name: 'v2-legacy', version: '1.0.0' });
    await legacy.connect(new HttpTransportV2(endpoint, auth));
    const modern = new ClientV2({ name: 'v2', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await modern.connect(new HttpTransportV2(endpoint, auth));
    try {
      expect(legacy.getProtocolEra()).toBe('legacy');
      expect(modern.getProtocolEra()).toBe('modern');
      expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const fromV1 = await toolsAndOverview(v1);
      expect(fromV1.overview).toContain('"payments"');
      expect(fromV1.names).toContain('get_metrics');
      expect(await toolsAndOverview(legacy)).toEqual(fromV1);
      expect(await toolsAndOverview(modern)).toEqual(fromV1);
    } finally {
      await Promise.all([v1.close(), legacy.close(), modern.close()]);
    }
  });

  it('negotiates 2025-06-18 and 2025-11-25 at initialize, and refuses a 2026-07-28 request without the token', async () => {
    for (const protocolVersion of ['2025-06-18', '2025-11-25']) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion, capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
        }),
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(`"protocolVersion":"${protocolVersion}"`);
    }
    const modern = new ClientV2({ name: 'v2', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await expect(modern.connect(new HttpTransportV2(endpoint))).rejects.toThrow(/401|Unauthorized/i);
  });
});

describe('protocol versions over stdio (the built CLI)', () => {
  const args = [BIN, 'mcp', '--db', database, '--now', NOW.toISOString()];

  it('serves the v1 SDK client, and the v2 client on 2026-07-28, the same tools', async () => {
    const v1 = new ClientV1({ name: 'v1', version: '1.0.0' });
    await v1.connect(new StdioTransportV1({ command: process.execPath, args, cwd: dir, stderr: 'ignore' }));
    const modern = new ClientV2({ name: 'v2', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await modern.connect(new StdioTransportV2({ command: process.execPath, args, cwd: dir, stderr: 'ignore' }));
    try {
      expect(modern.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect(v1.getServerVersion()).toMatchObject({ name: 'teamstate' });
      const fromV1 = await toolsAndOverview(v1);
      expect(fromV1.overview).toContain('"payments"');
      expect(await toolsAndOverview(modern)).toEqual(fromV1);
    } finally {
      await Promise.all([v1.close(), modern.close()]);
    }
  });
});
