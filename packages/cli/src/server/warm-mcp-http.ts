import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTeamState, type MetricCalculator } from '@teamstate/core';
import type { McpHttpHandler, McpHttpOptions } from '@teamstate/mcp-server';

/** The protocols of the MCP clients a server meets: the session-based one, then the stateless one. */
const SESSION_PROTOCOL = '2025-11-25';
const STATELESS_PROTOCOL = '2026-07-28';

/** What {@link warmMcpHttp} needs: the handler factory of `@teamstate/mcp-server` (loaded lazily by the caller) and the metrics. */
export interface WarmMcpHttpOptions {
  createMcpHttpHandler: (teamState: Awaited<ReturnType<typeof createTeamState>>, options: McpHttpOptions) => McpHttpHandler;
  metrics: readonly MetricCalculator[];
  /** The offer of the real server: the same tools are registered and compiled. */
  offer?: Pick<McpHttpOptions, 'toolsets' | 'readOnly'>;
  /** The real server's clock, for the scratch store's windows. */
  clock?: () => Date;
}

/**
 * Runs the code a remote MCP server's first requests run (HTTP, sessions of both protocols, the tool call and the
 * metrics' code), once, before the real server accepts a connection: on a throwaway handler over an empty in-memory
 * store, on a loopback port of its own, so that no query of the real database runs and nothing of it is read. A server
 * just started otherwise compiles that code while the first burst of sessions waits (50 sessions × 20 calls at 10,000
 * engineers: a first-round p99 about 2.5× the running server's). Whatever fails here is ignored: the warm-up only makes
 * the first requests faster.
 */
export async function warmMcpHttp(options: WarmMcpHttpOptions): Promise<void> {
  const scratch = await createTeamState({
    database: ':memory:',
    metrics: options.metrics,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const token = randomBytes(32).toString('base64url');
  const handler = options.createMcpHttpHandler(scratch, { token, ...options.offer });
  const server = createServer((request, response) => {
    handler.handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
    await Promise.allSettled([sessionCalls(url, token), statelessCall(url, token)]);
  } catch {
    // Not warmed: the first requests compile what they run, as without a warm-up.
  } finally {
    await handler.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await scratch.close();
  }
}

const headers = (token: string, protocol: string, session?: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': protocol,
  ...(session ? { 'mcp-session-id': session } : {}),
});

const clientInfo = { name: 'teamstate-warm-up', version: '1' };

/** A session of the 2025-11-25 protocol: initialize, a get_metrics call, tools/list, then the session ended. */
async function sessionCalls(url: string, token: string): Promise<void> {
  const post = async (body: unknown, session?: string) => {
    const response = await fetch(url, { method: 'POST', headers: headers(token, SESSION_PROTOCOL, session), body: JSON.stringify(body) });
    await response.text();
    return response;
  };
  const opened = await post({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: SESSION_PROTOCOL, capabilities: {}, clientInfo },
  });
  const session = opened.headers.get('mcp-session-id') ?? undefined;
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session);
  await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_metrics', arguments: {} } }, session);
  await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, session);
  if (session) await (await fetch(url, { method: 'DELETE', headers: headers(token, SESSION_PROTOCOL, session) })).text();
}

/** One request of the 2026-07-28 protocol (no session): a get_metrics call. */
async function statelessCall(url: string, token: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...headers(token, STATELESS_PROTOCOL), 'mcp-method': 'tools/call', 'mcp-name': 'get_metrics' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'get_metrics',
        arguments: {},
        _meta: {
          'io.modelcontextprotocol/protocolVersion': STATELESS_PROTOCOL,
          'io.modelcontextprotocol/clientCapabilities': {},
          'io.modelcontextprotocol/clientInfo': clientInfo,
        },
      },
    }),
  });
  await response.text();
}
