import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpTransportV2 } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createTeamState, type TeamState } from '@teamstate/core';
import { createMcpHttpHandler, type McpHttpHandler } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeBundle, actionsConnector, NOW, POLICY } from './fixtures/acme.js';

// MCP over HTTP with per-person tokens (docs/mcp.md#streamable-http-and-its-safety). The caller's person is `onBehalfOf` of their
// proposals; a token that can decide is refused (an assistant never holds a deciding credential).
const SHARED = randomBytes(32).toString('base64url');
let ts: TeamState;
let server: Server;
let handler: McpHttpHandler;
let endpoint: URL;

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW, connectors: [actionsConnector()], policy: POLICY });
  await ts.import(acmeBundle());
  handler = createMcpHttpHandler(ts, { token: SHARED, onBehalfOf: 'dev' });
  server = createServer((req, res) => void handler.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
});
afterAll(async () => {
  await handler.close();
  await new Promise((resolve) => server.close(resolve));
  await ts.close();
});

async function connect(token: string) {
  const transport = new StreamableHTTPClientTransport(endpoint, { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  const client = new Client({ name: 'person-token-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}
const merge = { type: 'test.pr.merge', target: 'acme/api#9', params: { repository: 'acme/api', number: 9 }, reason: 'asked to' };
const initialize = (token: string) =>
  fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
    }),
  });

describe('MCP over HTTP with per-person tokens', () => {
  it("records the token's person as onBehalfOf of proposals, still requested by the assistant", async () => {
    const { token } = await ts.tokens.create({ person: 'ana' });
    const { client } = await connect(token);
    const result = await client.callTool({ name: 'propose_action', arguments: merge });
    expect(result.structuredContent).toMatchObject({ requestedBy: 'assistant', onBehalfOf: 'ana', status: 'pending' });
    await client.close();
  });

  it("writes the token's person's report with the write scope, and refuses to write or propose without it (issue 18)", async () => {
    const writer = await connect((await ts.tokens.create({ person: 'ana' })).token);
    const filed = await writer.client.callTool({ name: 'submit_daily_report', arguments: { text: 'Shipped the retry.' } });
    expect(filed.structuredContent).toMatchObject({ report: { person: 'ana', source: 'mcp' } });
    await writer.client.close();
    const reader = await connect((await ts.tokens.create({ person: 'ben', scopes: ['read'] })).token);
    const refused = (await reader.client.callTool({ name: 'submit_daily_report', arguments: { text: 'x' } })) as {
      isError?: boolean;
      content: { text: string }[];
    };
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toMatch(/^this token has no write scope/);
    const proposal = (await reader.client.callTool({ name: 'propose_action', arguments: merge })) as {
      isError?: boolean;
      content: { text: string }[];
    };
    expect(proposal.content[0]!.text).toMatch(/^this token has no propose scope/);
    expect((await ts.reports.list({ person: 'ben' })).items).toEqual([]);
    await reader.client.close();
  });

  it('takes the shared token as the configured person (mcp.person)', async () => {
    const { client } = await connect(SHARED);
    const result = await client.callTool({ name: 'propose_action', arguments: merge });
    expect(result.structuredContent).toMatchObject({ requestedBy: 'assistant', onBehalfOf: 'dev' });
    await client.close();
  });

  it('refuses a token that can decide, an unknown or revoked token, and a token without read', async () => {
    const decider = await ts.tokens.create({ person: 'ana', scopes: ['read', 'decide'] });
    const refused = await initialize(decider.token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      `token ${decider.id} can decide approvals; an assistant never holds such a token: create one without the decide scope for MCP`,
    );
    expect((await initialize(`tst_${randomBytes(32).toString('base64url')}`)).status).toBe(401);
    const revoked = await ts.tokens.create({ person: 'ben' });
    await ts.tokens.revoke(revoked.id);
    expect((await initialize(revoked.token)).status).toBe(401);
    const writeOnly = await ts.tokens.create({ person: 'ben', scopes: ['write'] });
    expect((await initialize(writeOnly.token)).status).toBe(403);
  });

  it('serves each 2026-07-28 request as the caller it authenticated as, however their requests interleave', async () => {
    const modern = async (token: string) => {
      const client = new ClientV2({ name: 'person-token-test', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new HttpTransportV2(endpoint, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
      return client;
    };
    const callers = [
      { person: 'ana', client: await modern((await ts.tokens.create({ person: 'ana' })).token) },
      { person: 'ben', client: await modern((await ts.tokens.create({ person: 'ben' })).token) },
      { person: 'dev', client: await modern(SHARED) },
    ];
    const proposed = async ({ person, client }: (typeof callers)[number]) => {
      const result = await client.callTool({ name: 'propose_action', arguments: merge });
      return [person, (result.structuredContent as { onBehalfOf?: string }).onBehalfOf];
    };
    // One after the other, then all at once, several times: a server that served one caller never serves another.
    for (let round = 0; round < 3; round++) {
      for (const caller of callers) expect(await proposed(caller)).toEqual([caller.person, caller.person]);
      const together = await Promise.all([...callers, ...callers].map(proposed));
      for (const [person, onBehalfOf] of together) expect(onBehalfOf).toBe(person);
    }
    for (const { client } of callers) await client.close();
  });

  it("does not let another caller's token use a session", async () => {
    const ana = await ts.tokens.create({ person: 'ana' });
    const ben = await ts.tokens.create({ person: 'ben' });
    const { client, transport } = await connect(ana.token);
    const list = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${ben.token}`,
        'mcp-session-id': transport.sessionId!,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
    });
    expect(list.status).toBe(403);
    await client.close();
  });
});
