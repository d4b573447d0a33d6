import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createTeamState, type TeamState } from '@teamstate/core';
import { createMcpHttpHandler, type McpHttpHandler } from '@teamstate/mcp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acmeBundle, actionsConnector, NOW, POLICY } from './fixtures/acme.js';
import { call, callError, connect } from './fixtures/connect.js';

const spans = new InMemorySpanExporter();
let ts: TeamState;
beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  ts = await createTeamState({ database: ':memory:', connectors: [actionsConnector([])], policy: POLICY, clock: () => NOW });
  await ts.import(acmeBundle());
});
afterAll(async () => {
  await ts.close();
  context.disable();
  trace.disable();
});
beforeEach(() => spans.reset());

const toolSpans = () => spans.getFinishedSpans().filter((span) => span.name.startsWith('tools/call '));

describe('MCP tools/call spans (issue 22)', () => {
  it('traces a call with the OpenTelemetry MCP attributes', async () => {
    const server = await connect(ts);
    try {
      await call(server.client, 'team_overview', { team: 'payments' });
    } finally {
      await server.close();
    }
    const [span] = toolSpans();
    expect(span?.name).toBe('tools/call team_overview');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'team_overview' });
    expect(span?.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('marks an answer with isError as an error', async () => {
    const server = await connect(ts);
    try {
      await callError(server.client, 'list_work_items', { limit: 1000 });
    } finally {
      await server.close();
    }
    const [span] = toolSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'limit: expected a whole number from 1 to 100, got 1000' });
    expect(span?.attributes['error.type']).toBe('tool_error');
  });

  it('holds the proposal the tool made, and the action it ran, as child spans', async () => {
    const server = await connect(ts);
    try {
      await call(server.client, 'propose_action', {
        type: 'test.note.add',
        target: 'notes',
        params: { key: 'acme/api#2', text: 'hi' },
        reason: 'asked',
      });
    } finally {
      await server.close();
    }
    const [tool] = toolSpans();
    const [propose] = spans.getFinishedSpans().filter((span) => span.name === 'teamstate.propose');
    expect(propose?.parentSpanContext?.spanId).toBe(tool?.spanContext().spanId);
    // test.note.add is auto: it ran during the call, under the proposal.
    const [execute] = spans.getFinishedSpans().filter((span) => span.name === 'teamstate.execute');
    expect(execute?.parentSpanContext?.spanId).toBe(propose?.spanContext().spanId);
    expect(execute?.attributes['teamstate.action.mode']).toBe('auto');
  });

  it('carries the session id over Streamable HTTP', async () => {
    const token = randomBytes(32).toString('base64url');
    const handler: McpHttpHandler = createMcpHttpHandler(ts, { token });
    const http: Server = createServer((req, res) => void handler.handle(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    const client = new Client({ name: 'otel-test', version: '1.0.0' });
    try {
      await client.connect(transport);
      const result = (await client.callTool({ name: 'list_people', arguments: { limit: 1 } })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      const [span] = toolSpans();
      expect(span?.attributes['mcp.session.id']).toBe(transport.sessionId);
      expect(transport.sessionId).toBeTruthy();
    } finally {
      await client.close();
      await handler.close();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
