import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { type TeamState, TeamStateError } from '@teamstate/core';
import { createMcpServer, type McpServerOptions } from '../create-mcp-server.js';
import { parseToolsets } from '../tools/toolsets.js';
import { bearerToken, checkRequest, isSharedToken, LOOPBACK_HOSTS } from './request-guard.js';

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
  /**
   * With OAuth sign-in (`teamstate serve` with `auth:`): the protected resource metadata URL, sent as
   * `WWW-Authenticate: Bearer resource_metadata="…"` with every 401 so clients find the authorization server
   * (with `error="invalid_token"` when a token was presented but is invalid, expired or revoked).
   */
  resourceMetadataUrl?: string;
}

/** The Streamable HTTP endpoint, to mount at `/mcp` on any Node HTTP server. */
export interface McpHttpHandler {
  /** Handles one request to the endpoint; pass `body` when the raw body was already read. */
  handle(request: IncomingMessage, response: ServerResponse, body?: Buffer): Promise<void>;
  /**
   * The endpoint as a route of a host server that reads bodies itself (`teamstate serve`): `refuse` answers a
   * request that fails the Host/Origin checks or authentication from its headers alone, before its body is read.
   */
  readonly route: {
    refuse(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
    handle(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void>;
  };
  /** Closes every open session. */
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  lastUsed: number;
  /** Who opened it: requests on the session must authenticate as the same caller. */
  caller: string;
}

/** Who a request authenticated as: the shared token (its person, if configured) or a person's token. */
type Caller =
  | { key: string; person?: string; scopes?: readonly string[] }
  | { refusal: { status: 401 | 403; message: string; invalidToken?: true } };

function reply(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: status === 400 ? -32600 : -32000, message }, id: null }));
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
  // Each session gets its own server; a wrong toolset name is refused here, at start, not at the first request.
  parseToolsets(options.toolsets);
  const guard = {
    token: options.token,
    allowedHosts: new Set((options.allowedHosts ?? LOOPBACK_HOSTS).map((host) => host.toLowerCase())),
    allowedOrigins: new Set(options.allowedOrigins ?? []),
  };
  const maxSessions = options.maxSessions ?? 100;
  // RFC 6750 section 3.1: without a token the plain challenge; with one that failed, `error="invalid_token"` too.
  const metadata = options.resourceMetadataUrl ? `, resource_metadata="${options.resourceMetadataUrl.replace(/["\\]/g, '')}"` : '';
  const challenge = `Bearer realm="teamstate"${metadata}`;
  const invalidTokenChallenge = `Bearer realm="teamstate", error="invalid_token", error_description="the access token is invalid, expired or revoked"${metadata}`;
  const sessions = new Map<string, Session>();

  // Evicts once a new session exists, so a request that never initializes cannot push a live session out.
  async function evictBeyondLimit(): Promise<void> {
    const byAge = [...sessions.entries()].sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [id, session] of byAge.slice(0, Math.max(0, sessions.size - maxSessions))) {
      sessions.delete(id);
      await session.server.close();
    }
  }

  // The shared token (wave 1, single user: its person is `onBehalfOf`, if set) or a per-person token with
  // `read` and never `decide`: an assistant must not hold a credential that can approve.
  async function authenticate(request: IncomingMessage): Promise<Caller> {
    const token = bearerToken(request);
    if (token === undefined) return { refusal: { status: 401, message: 'missing "Authorization: Bearer <token>" header' } };
    if (isSharedToken(token, guard)) return { key: 'shared', person: options.onBehalfOf };
    const found = await teamState.tokens.authenticate(token);
    if (!found) return { refusal: { status: 401, message: 'the bearer token is not valid', invalidToken: true } };
    if (found.scopes.includes('decide')) {
      return {
        refusal: {
          status: 403,
          message: `token ${found.id} can decide approvals; an assistant never holds such a token: create one without the decide scope for MCP`,
        },
      };
    }
    if (!found.scopes.includes('read')) return { refusal: { status: 403, message: `token ${found.id} has no read scope` } };
    return { key: `token:${found.id}`, person: found.person, scopes: found.scopes };
  }

  async function open(caller: { key: string; person?: string; scopes?: readonly string[] }): Promise<Session> {
    const server = createMcpServer(teamState, { ...options, onBehalfOf: caller.person, scopes: caller.scopes, readAsCaller: true });
    // The callbacks run once the initialize request is handled, after `session` exists.
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: async (id) => {
        sessions.set(id, session);
        await evictBeyondLimit();
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    const session: Session = { server, transport, lastUsed: Date.now(), caller: caller.key };
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return session;
  }

  /** The caller of a request that passes the Host/Origin checks and authentication; otherwise answers it and returns undefined. */
  async function admit(request: IncomingMessage, response: ServerResponse): Promise<Exclude<Caller, { refusal: unknown }> | undefined> {
    const refusal = checkRequest(request, guard);
    if (refusal) return void reply(response, refusal.status, refusal.message);
    const caller = await authenticate(request);
    if ('refusal' in caller) {
      const { status, message, invalidToken } = caller.refusal;
      const header = invalidToken ? invalidTokenChallenge : challenge;
      return void reply(response, status, message, status === 401 ? { 'www-authenticate': header } : {});
    }
    return caller;
  }

  async function handle(request: IncomingMessage, response: ServerResponse, body?: Buffer): Promise<void> {
    const caller = await admit(request, response);
    if (!caller) return;
    // A body already read by the host server (`teamstate serve`) is handed over parsed; otherwise the
    // SDK transport reads it, with its own size limit and JSON-RPC parse errors.
    let parsed: unknown;
    if (body !== undefined && body.length > 0) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return reply(response, 400, 'Parse error: the request body is not valid JSON');
      }
    }
    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) return reply(response, 404, 'unknown or expired session; initialize a new one');
      if (session.caller !== caller.key) return reply(response, 403, 'this session belongs to another caller');
      session.lastUsed = Date.now();
      return session.transport.handleRequest(request, response, parsed);
    }
    if (request.method !== 'POST') return reply(response, 400, 'no mcp-session-id header: start with an initialize request');
    // A new session; the transport answers 400 unless this request is an initialize.
    const session = await open(caller);
    await session.transport.handleRequest(request, response, parsed);
  }

  return {
    handle,
    route: {
      refuse: async (request, response) => (await admit(request, response)) === undefined,
      handle,
    },
    async close() {
      const open = [...sessions.values()];
      sessions.clear();
      await Promise.all(open.map((session) => session.server.close()));
    },
  };
}
