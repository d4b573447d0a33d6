import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { context, TraceFlags, trace } from '@opentelemetry/api';
import type { TeamState } from '@teamstate/core';
import type { McpHttpHandler } from '@teamstate/mcp-server';
import { nodeHttp } from './node-servers.js';

/** The protocols of the MCP clients a server meets: the session-based one, then the stateless one. */
const SESSION_PROTOCOL = '2025-11-25';
const STATELESS_PROTOCOL = '2026-07-28';
/** The burst the warm-up plays: up to this many clients at once, half of each protocol, each calling get_metrics this many times. */
const CLIENTS = 50;
const CALLS = 20;
/** The longest a server waits for its warm-up before it listens. */
const WAIT_MS = 10_000;
const DAY_MS = 86_400_000;

/** What {@link warmMcpHttp} needs: the server's own handler and store, and the bearer token the handler accepts. */
export interface WarmMcpHttpOptions {
  teamState: TeamState;
  handler: McpHttpHandler;
  /** Without one (sign-in by OAuth only), nothing is warmed. */
  token: string | undefined;
  /** How long the server waits for the warm-up at most (default 10 s); it listens then whatever is left. */
  waitMs?: number;
}

/**
 * Plays a company's reconnect burst on the server's own handler and store before it accepts a connection: one client
 * for each of the first 50 teams (two at least), all at once, half of each protocol, each calling `get_metrics` 20
 * times for its team over the first 30 days of 1970, which hold no record: every answer is empty and nothing of the
 * database is read but the team list.
 * A loopback port of its own carries it, and its calls' spans are not sampled. A server just started otherwise runs
 * that code for the first time while the first burst waits (at 10,000 engineers, a first round's p99 about 1.5 times
 * a running server's). The same calls on a throwaway handler and store warmed nothing that counts: what V8 learns
 * of a burst stays with the handler, the facade and the read pool that ran it. Whatever fails here is ignored: the
 * warm-up only makes the first requests faster.
 */
export async function warmMcpHttp(options: WarmMcpHttpOptions): Promise<void> {
  const { teamState, handler, token, waitMs = WAIT_MS } = options;
  if (token === undefined) return;
  // Under a parent span that is not sampled: a sampler that follows its parent (the SDK's default) records nothing.
  const unsampled = trace.setSpanContext(context.active(), {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: TraceFlags.NONE,
    isRemote: true,
  });
  const server = nodeHttp().createServer((request, response) => {
    context
      .with(unsampled, () => handler.handle(request, response))
      .catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
      });
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
    const teams = (await teamState.teams.list()).map((team) => team.id);
    const window = { from: new Date(0).toISOString(), to: new Date(30 * DAY_MS).toISOString() };
    // One client per team, up to CLIENTS, and one of each protocol at least: a small workspace's start stays quick.
    const clients = Array.from({ length: Math.max(2, Math.min(CLIENTS, teams.length)) }, (_, i) => {
      const args = teams.length > 0 ? { ...window, team: teams[i % teams.length]! } : window;
      return i % 2 === 0 ? sessionCalls(url, token, args) : statelessCalls(url, token, args);
    });
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([Promise.allSettled(clients), waited]);
  } catch {
    // Not warmed: the first requests run that code for the first time, as without a warm-up.
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
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

/** A session of the 2025-11-25 protocol: initialize, the get_metrics calls, tools/list, then the session ended. */
async function sessionCalls(url: string, token: string, args: Record<string, string>): Promise<void> {
  const post = async (body: unknown, session?: string) => {
    const response = await fetch(url, { method: 'POST', headers: headers(token, SESSION_PROTOCOL, session), body: JSON.stringify(body) });
    await response.text();
    return response;
  };
  const opened = await post({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: SESSION_PROTOCOL, capabilities: {}, clientInfo },
  });
  const session = opened.headers.get('mcp-session-id') ?? undefined;
  try {
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session);
    for (let id = 1; id <= CALLS; id++)
      await post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get_metrics', arguments: args } }, session);
    await post({ jsonrpc: '2.0', id: CALLS + 1, method: 'tools/list' }, session);
  } finally {
    if (session) await (await fetch(url, { method: 'DELETE', headers: headers(token, SESSION_PROTOCOL, session) })).text();
  }
}

/** Requests of the 2026-07-28 protocol (no session): the get_metrics calls. */
async function statelessCalls(url: string, token: string, args: Record<string, string>): Promise<void> {
  for (let id = 1; id <= CALLS; id++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...headers(token, STATELESS_PROTOCOL), 'mcp-method': 'tools/call', 'mcp-name': 'get_metrics' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: {
          name: 'get_metrics',
          arguments: args,
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
}
