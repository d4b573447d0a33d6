import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeMcpRequestHandler, NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler, type McpServer, preloadSchemas } from '@modelcontextprotocol/server';
import { type TeamState, TeamStateError } from '@teamstate/core';
import { createMcpServer, type McpServerOptions } from '../create-mcp-server.js';
import { parseToolsets } from '../tools/toolsets.js';
import { isLegacyPost } from './legacy-request.js';
import { bearerToken, checkRequest, isSharedToken, LOOPBACK_HOSTS } from './request-guard.js';

/** Options of {@link createMcpHttpHandler}. */
export interface McpHttpOptions extends McpServerOptions {
  /** The bearer token every request must carry (`Authorization: Bearer <token>`); at least 32 characters. */
  token: string;
  /** Host names (no port) accepted in `Host` and as the host of `Origin`; default `localhost`, `127.0.0.1`, `[::1]`. */
  allowedHosts?: readonly string[];
  /**
   * Exact origins accepted besides those on an allowed host, e.g. `https://inspector.example`: the only origins sent
   * CORS headers (a browser page on another origin cannot read the answers, whatever its host).
   */
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
  /**
   * The Host/Origin checks and CORS of a host server's every route but `/healthz` (`teamstate serve`), see
   * {@link HttpAccess}.
   */
  readonly access: HttpAccess;
  /** Closes every open session. */
  close(): Promise<void>;
}

/**
 * What every HTTP route of teamstate but `/healthz` applies first: a request whose `Host` is not an allowed host, or
 * whose `Origin` is neither on one nor configured, is answered 403 (DNS rebinding); a request from a configured origin
 * gets CORS headers, and its preflight (`OPTIONS`) is answered here. `refuse` returns true when it answered.
 */
export interface HttpAccess {
  refuse(request: IncomingMessage, response: ServerResponse): boolean;
}

/** What a browser client of MCP sends besides the CORS-safelisted headers, and what it reads back. */
const CORS_ALLOW_HEADERS = 'authorization, content-type, accept, last-event-id, mcp-session-id, mcp-protocol-version';
const CORS_EXPOSE_HEADERS = 'mcp-session-id, mcp-protocol-version, www-authenticate';

/** An exact origin: scheme, host and port, nothing else (`https://app.example`, `http://localhost:6274`). */
function checkOrigins(origins: readonly string[]): void {
  origins.forEach((origin, i) => {
    let exact = false;
    try {
      const url = new URL(origin);
      exact = (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin;
    } catch {}
    if (!exact)
      throw new TeamStateError(
        'invalid_config',
        `allowedOrigins[${i}]: expected an origin such as https://app.example (scheme, host and port, no path or trailing slash), got ${JSON.stringify(origin)}`,
      );
  });
}

interface Session {
  transport: NodeStreamableHTTPServerTransport;
  server: McpServer;
  lastUsed: number;
  /** Who opened it: requests on the session must authenticate as the same caller. */
  caller: string;
}

/** Who a request authenticated as: the shared token (its person, if configured) or a person's token. */
type Caller = Admitted | { refusal: { status: 401 | 403; message: string; invalidToken?: true } };
type Admitted = { key: string; person?: string; scopes?: readonly string[] };

/** The SDK's Node adapter, loaded with the first HTTP request: a stdio server never loads it (nor its HTTP server). */
let nodeAdapter: Promise<typeof import('@modelcontextprotocol/node')> | undefined;
const loadNodeAdapter = () => (nodeAdapter ??= import('@modelcontextprotocol/node'));

/** The most 2026-07-28 servers kept for a caller between requests: as many as it sends at once, up to this. */
const IDLE_SERVERS_PER_CALLER = 16;

/** The largest request body read for `/mcp` (the SDK's default bound). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The request's body, or `undefined` when it is larger than {@link MAX_BODY_BYTES}. */
async function readLimited(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function reply(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: status === 400 ? -32600 : -32000, message }, id: null }));
}

/**
 * The MCP Streamable HTTP transport behind a bearer token, with Host and Origin validation against
 * DNS rebinding. Each client session gets its own MCP server over the shared `TeamState`; session ids
 * come from `crypto.randomUUID()` and only route requests (every request is authenticated by the token). What every
 * session needs is built as the handler is created, and options no session could be served with are refused there.
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
  checkOrigins(options.allowedOrigins ?? []);
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

  const serverFor = (caller: Admitted) =>
    createMcpServer(teamState, { ...options, onBehalfOf: caller.person, scopes: caller.scopes, readAsCaller: true });
  // What every session needs is ready now, not made by the first requests, which a company's clients send all at once:
  // the SDK's message schemas (built on first use otherwise), the tools' JSON Schemas (kept from the first server) and
  // the Node adapter of the sessions (a failed import fails the first session that needs it).
  preloadSchemas();
  serverFor({ key: 'shared', person: options.onBehalfOf });
  loadNodeAdapter().catch(() => undefined);

  // 2026-07-28 clients: no sessions, a server per request for the caller the request authenticated as. Once its
  // exchange is over (the SDK closes it), it waits to serve the same caller's next request: building one (its tools,
  // prompts and their schemas) took about a millisecond of the event loop per request under load.
  const idle = new Map<string, McpServer[]>();
  const modernServerFor = (caller: Admitted): McpServer => {
    const spare = idle.get(caller.key)?.pop();
    if (spare) return spare;
    const server = serverFor(caller);
    server.server.onclose = () => {
      const waiting = idle.get(caller.key) ?? [];
      // The callers most recently served last: the first is forgotten beyond the limit.
      idle.delete(caller.key);
      idle.set(caller.key, waiting);
      if (waiting.length < IDLE_SERVERS_PER_CALLER) waiting.push(server);
      if (idle.size > maxSessions) idle.delete(idle.keys().next().value!);
    };
    return server;
  };
  const modern = createMcpHandler((context) => modernServerFor(context.authInfo?.extra?.caller as Admitted), {
    legacy: 'reject',
    onerror: (error) => options.logger?.debug('MCP request refused', { message: error.message }),
  });
  let serveModern: NodeMcpRequestHandler | undefined;

  async function open(caller: Admitted): Promise<Session> {
    const server = serverFor(caller);
    // The callbacks run once the initialize request is handled, after `session` exists.
    const { NodeStreamableHTTPServerTransport } = await loadNodeAdapter();
    const transport = new NodeStreamableHTTPServerTransport({
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

  const access: HttpAccess = {
    refuse(request, response) {
      const refusal = checkRequest(request, guard);
      if (refusal) {
        reply(response, refusal.status, refusal.message);
        return true;
      }
      const origin = request.headers.origin;
      if (origin === undefined || !guard.allowedOrigins.has(origin)) return false;
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('vary', 'Origin');
      response.setHeader('access-control-expose-headers', CORS_EXPOSE_HEADERS);
      if (request.method !== 'OPTIONS') return false;
      response.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': CORS_ALLOW_HEADERS,
        'access-control-max-age': '600',
      });
      response.end();
      return true;
    },
  };

  /** The caller of a request that passes the Host/Origin checks and authentication; otherwise answers it and returns undefined. */
  async function admit(request: IncomingMessage, response: ServerResponse): Promise<Admitted | undefined> {
    if (access.refuse(request, response)) return undefined;
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
    // The server sends nothing outside the answer to a request (no list changes, no logging, no resource updates), so
    // it offers no stream to open with GET: a session's stream would only hold one idle connection open per client.
    if (request.method === 'GET')
      return reply(response, 405, 'this server sends nothing outside its answers: no stream to open with GET; use POST', {
        allow: 'POST, DELETE',
      });
    // A body already read by the host server (`teamstate serve`) is handed over parsed; otherwise it is read here.
    if (body === undefined && request.method === 'POST') body = await readLimited(request);
    if (body === undefined) return reply(response, 413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    let parsed: unknown;
    if (body.length > 0) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return reply(response, 400, 'Parse error: the request body is not valid JSON');
      }
    }
    const sessionId = request.headers['mcp-session-id'];
    // A request carrying the 2026-07-28 envelope (`_meta` with its protocol version) is served without a session.
    if (sessionId === undefined && request.method === 'POST' && parsed !== undefined && !isLegacyPost(request, parsed)) {
      const authInfo: AuthInfo = { token: 'caller', clientId: caller.key, scopes: [...(caller.scopes ?? [])], extra: { caller } };
      serveModern ??= (await loadNodeAdapter()).toNodeHandler(modern);
      return serveModern(Object.assign(request, { auth: authInfo }), response, parsed);
    }
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
    access,
    route: {
      refuse: async (request, response) => (await admit(request, response)) === undefined,
      handle,
    },
    async close() {
      const open = [...sessions.values()];
      sessions.clear();
      idle.clear();
      await Promise.all([modern.close(), ...open.map((session) => session.server.close())]);
    },
  };
}
