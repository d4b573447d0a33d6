import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { type TeamState, TeamStateError } from '@teamstate/core';
import { createMcpServer, type McpServerOptions } from '../create-mcp-server.js';
import { checkRequest, LOOPBACK_HOSTS } from './request-guard.js';

/** Options of {@link createMcpHttpHandler}. */
export interface McpHttpOptions extends McpServerOptions {
  /** The bearer token every request must carry (`Authorization: Bearer <token>`); at least 32 characters. */
  token: string;
  /** Host names (no port) accepted in `Host` and as the host of `Origin`; default `localhost`, `127.0.0.1`, `[::1]`. */
  allowedHosts?: readonly string[];
  /** Exact origins accepted besides those on an allowed host, e.g. `https://inspector.example`. */
  allowedOrigins?: readonly string[];
  /** Open sessions kept at most; the least recently used one is closed to admit a new one (default 100). */
  maxSessions?: number;
}

/** The Streamable HTTP endpoint, to mount at `/mcp` on any Node HTTP server. */
export interface McpHttpHandler {
  /** Handles one request to the endpoint; pass `body` when the raw body was already read. */
  handle(request: IncomingMessage, response: ServerResponse, body?: Buffer): Promise<void>;
  /** Closes every open session. */
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  lastUsed: number;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

function reply(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: status === 400 ? -32600 : -32000, message }, id: null }));
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The MCP Streamable HTTP transport behind a bearer token, with Host and Origin validation against
 * DNS rebinding. Each client session gets its own MCP server over the shared `TeamState`; session ids
 * come from `crypto.randomUUID()` and only route requests (every request is authenticated by the token).
 *
 * @example
 * const mcp = createMcpHttpHandler(ts, { token: process.env.TEAMSTATE_MCP_TOKEN! })
 * createServer((req, res) => (req.url === '/mcp' ? mcp.handle(req, res) : res.writeHead(404).end())).listen(8787, '127.0.0.1')
 */
export function createMcpHttpHandler(teamState: TeamState, options: McpHttpOptions): McpHttpHandler {
  if (typeof options.token !== 'string' || options.token.length < 32) {
    throw new TeamStateError('invalid_config', 'token: expected a bearer token of at least 32 characters (generate one with a CSPRNG)');
  }
  const guard = {
    token: options.token,
    allowedHosts: new Set((options.allowedHosts ?? LOOPBACK_HOSTS).map((host) => host.toLowerCase())),
    allowedOrigins: new Set(options.allowedOrigins ?? []),
  };
  const maxSessions = options.maxSessions ?? 100;
  const sessions = new Map<string, Session>();

  async function evictIfFull(): Promise<void> {
    if (sessions.size < maxSessions) return;
    const [oldest] = [...sessions.entries()].sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    if (oldest) {
      sessions.delete(oldest[0]);
      await oldest[1].server.close();
    }
  }

  async function open(): Promise<Session> {
    await evictIfFull();
    const server = createMcpServer(teamState, options);
    // The callbacks run once the initialize request is handled, after `session` exists.
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, session);
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    const session: Session = { server, transport, lastUsed: Date.now() };
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(session.transport);
    return session;
  }

  return {
    async handle(request, response, body) {
      const refusal = checkRequest(request, guard);
      if (refusal) {
        reply(response, refusal.status, refusal.message, refusal.status === 401 ? { 'www-authenticate': 'Bearer realm="teamstate"' } : {});
        return;
      }
      let parsed: unknown;
      if (request.method === 'POST') {
        const raw = body ?? (await readBody(request));
        if (raw === undefined) return reply(response, 413, `request body larger than ${MAX_BODY_BYTES} bytes`);
        try {
          parsed = JSON.parse(raw.toString('utf8'));
        } catch {
          return reply(response, 400, 'the request body is not valid JSON');
        }
      }
      const sessionId = request.headers['mcp-session-id'];
      if (typeof sessionId === 'string') {
        const session = sessions.get(sessionId);
        if (!session) return reply(response, 404, 'unknown or expired session; initialize a new one');
        session.lastUsed = Date.now();
        return session.transport.handleRequest(request, response, parsed);
      }
      if (request.method !== 'POST' || !isInitializeRequest(parsed)) {
        return reply(response, 400, 'no mcp-session-id header: start with an initialize request');
      }
      const session = await open();
      await session.transport.handleRequest(request, response, parsed);
    },
    async close() {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((session) => session.server.close()));
    },
  };
}
