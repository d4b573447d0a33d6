import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createTeamState, type TeamState } from '@teamstate/core';
import { createMcpHttpHandler } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acmeBundle, NOW } from './fixtures/acme.js';

// Every JSON Schema of a tool's input or output built in this process (the module is mocked: an isolated test file).
const built = vi.hoisted(() => ({ schemas: 0 }));
vi.mock('../src/tools/tool-json-schema.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/tools/tool-json-schema.js')>();
  return {
    ...actual,
    toolJsonSchema: (...args: Parameters<typeof actual.toolJsonSchema>) => {
      built.schemas++;
      return actual.toolJsonSchema(...args);
    },
  };
});

const TOKEN = randomBytes(32).toString('base64url');
let ts: TeamState;

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW });
  await ts.import(acmeBundle());
});
afterAll(() => ts.close());

describe('createMcpHttpHandler as it is created', () => {
  it("builds the tools' JSON Schemas then, not in the first session: a company's first requests come all at once", async () => {
    expect(built.schemas).toBe(0);
    const handler = createMcpHttpHandler(ts, { token: TOKEN });
    const atStart = built.schemas;
    expect(atStart).toBeGreaterThan(0);
    const http: Server = createServer((req, res) => void handler.handle(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const client = new Client({ name: 'first', version: '1' });
    try {
      const url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
      const { tools } = await client.listTools();
      expect(tools.find((tool) => tool.name === 'get_metrics')?.inputSchema.properties).toHaveProperty('team');
      expect(built.schemas).toBe(atStart);
    } finally {
      await client.close();
      await handler.close();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('refuses options no session could be served with then, not at the first request', () => {
    expect(() => createMcpHttpHandler(ts, { token: TOKEN, requestedBy: ' assistant' })).toThrow(
      'requestedBy: expected a non-empty id without surrounding spaces, got " assistant"',
    );
    expect(() => createMcpHttpHandler(ts, { token: TOKEN, onBehalfOf: '' })).toThrow('person: expected a person id, got ""');
  });
});
