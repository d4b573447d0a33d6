import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState, defaultMetricIds, type TeamState } from '@teamstate/core';
import { createMcpHttpHandler, type McpHttpHandler } from '@teamstate/mcp-server';
import { builtinMetrics } from '@teamstate/metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { warmMcpHttp } from '../src/server/warm-mcp-http.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const TOKEN = 'warm-up-token-0123456789abcdefghijklmnop';
const EPOCH_MONTH = { from: '1970-01-01T00:00:00.000Z', to: '1970-01-31T00:00:00.000Z' };

/** One get_metrics call of the 2026-07-28 protocol to `handler`, on a loopback port of its own. */
async function statelessCall(handler: McpHttpHandler): Promise<void> {
  const server = createServer((request, response) => void handler.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'get_metrics',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'get_metrics',
          arguments: {},
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientCapabilities': {},
            'io.modelcontextprotocol/clientInfo': { name: 'test', version: '1' },
          },
        },
      }),
    });
    expect(response.status).toBe(200);
    await response.text();
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

interface Seen {
  method: string;
  protocol: string;
  status: number;
  arguments?: Record<string, unknown>;
}

/** The server's own handler, each request it answered noted. */
function noting(ts: TeamState, seen: Seen[]): McpHttpHandler {
  const handler = createMcpHttpHandler(ts, { token: TOKEN });
  return {
    ...handler,
    async handle(request, response) {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const message =
        raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as { method?: string; params?: { arguments?: Record<string, unknown> } }) : {};
      response.once('finish', () =>
        seen.push({
          method: message.method ?? request.method ?? '',
          protocol: String(request.headers['mcp-protocol-version']),
          status: response.statusCode,
          ...(message.params?.arguments ? { arguments: message.params.arguments } : {}),
        }),
      );
      await handler.handle(request, response, raw);
    },
  };
}

/**
 * Long enough for every call of the warm-up to be answered on a slow, loaded machine: these tests check what it plays,
 * not how fast (its 10 s cap, the default, cut the burst short at 13 s on one CI run).
 */
const UNTIL_DONE = { waitMs: 120_000 };
/** The test's own limit, past {@link UNTIL_DONE}. */
const LONG = { timeout: 180_000 };

// A server just started runs the code of its first burst of sessions while they wait; the warm-up plays such a burst
// on the server's own handler and store first, over a window that holds no record.
describe('warming the remote MCP server', () => {
  let ts: TeamState;
  beforeEach(async () => {
    ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics, clock: () => NOW });
    const demo = demoBundle({ now: NOW });
    const extra = Array.from({ length: 60 }, (_, i) => ({ id: `extra-${String(i).padStart(2, '0')}`, name: `Extra ${i}` }));
    await ts.import({ ...demo, teams: [...(demo.teams ?? []), ...extra] });
  });
  afterEach(async () => {
    await ts.close();
  });

  it("plays 50 clients, half of each protocol, each calling get_metrics 20 times for a team over 1970's first 30 days", LONG, async () => {
    const seen: Seen[] = [];
    const handler = noting(ts, seen);
    await warmMcpHttp({ teamState: ts, handler, token: TOKEN, ...UNTIL_DONE });
    await handler.close();
    expect(seen.filter(({ status }) => status >= 400)).toEqual([]);
    const calls = seen.filter(({ method }) => method === 'tools/call');
    expect(calls.filter(({ protocol }) => protocol === '2025-11-25')).toHaveLength(25 * 20);
    expect(calls.filter(({ protocol }) => protocol === '2026-07-28')).toHaveLength(25 * 20);
    expect(seen.filter(({ method }) => method === 'initialize')).toHaveLength(25);
    expect(seen.filter(({ method }) => method === 'DELETE')).toHaveLength(25);
    // The first 50 teams, each by one client, over a window before any record.
    const teams = (await ts.teams.list()).map((team) => team.id);
    expect(new Set(calls.map((call) => call.arguments?.team))).toEqual(new Set(teams.slice(0, 50)));
    expect(new Set(calls.map((call) => JSON.stringify([call.arguments?.from, call.arguments?.to])))).toEqual(
      new Set([JSON.stringify([EPOCH_MONTH.from, EPOCH_MONTH.to])]),
    );
    // Nothing counted: the window holds no record.
    const results = await ts.metrics.compute(defaultMetricIds(ts.metrics.list()), { ...EPOCH_MONTH, team: teams[0]! });
    expect(Object.values(results).filter(({ value }) => value !== null && value !== 0)).toEqual([]);
  });

  it('records no span of its calls where the SDK samples as their parent says', LONG, async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    trace.setGlobalTracerProvider(provider);
    try {
      const handler = createMcpHttpHandler(ts, { token: TOKEN });
      await warmMcpHttp({ teamState: ts, handler, token: TOKEN, ...UNTIL_DONE });
      expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual([]);
      // A client's call afterwards is recorded: the check can fail.
      await statelessCall(handler);
      await handler.close();
      expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['tools/call get_metrics']);
    } finally {
      trace.disable();
      context.disable();
      await provider.shutdown();
    }
  });

  it('plays one client per team in a smaller workspace, and two in one without teams', LONG, async () => {
    for (const bundle of [demoBundle({ now: NOW }), { format: 'teamstate.bundle/v1' as const }]) {
      const small = await createTeamState({ database: ':memory:', metrics: builtinMetrics, clock: () => NOW });
      try {
        await small.import(bundle);
        const seen: Seen[] = [];
        const handler = noting(small, seen);
        await warmMcpHttp({ teamState: small, handler, token: TOKEN, ...UNTIL_DONE });
        await handler.close();
        const calls = seen.filter(({ method, status }) => method === 'tools/call' && status === 200);
        const teams = (await small.teams.list()).map((team) => team.id);
        expect(calls).toHaveLength(Math.max(2, teams.length) * 20);
        expect(new Set(calls.map((call) => call.arguments?.team))).toEqual(new Set(teams.length > 0 ? teams : [undefined]));
      } finally {
        await small.close();
      }
    }
  });

  it('warms nothing without a token, and waits for a handler that never answers only as long as it is told', async () => {
    let asked = 0;
    const silent = { ...createMcpHttpHandler(ts, { token: TOKEN }), handle: () => new Promise<void>(() => asked++) } as McpHttpHandler;
    await warmMcpHttp({ teamState: ts, handler: silent, token: undefined });
    expect(asked).toBe(0);
    await warmMcpHttp({ teamState: ts, handler: silent, token: TOKEN, waitMs: 300 });
    expect(asked).toBeGreaterThan(0);
  });
});
