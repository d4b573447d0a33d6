import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AuthInfo, type McpServer, preloadSchemas } from '@modelcontextprotocol/server';
import { type TeamState, TeamStateError } from '@teamstate/core';
import { createMcpServer, type McpServerOptions } from '../create-mcp-server.js';
import { parseToolsets } from '../tools/toolsets.js';
import { checkOrigins, type HttpAccess, httpAccess } from './http-access.js';
import { type Admitted, admit, bearerChallenges, type Gate } from './http-callers.js';
import { reply } from './http-reply.js';
import { loadNodeAdapter, openSession, type SessionPool } from './http-sessions.js';
import { isLegacyPost } from './legacy-request.js';
import { type ModernServers, modernServers } from './modern-servers.js';
import { LOOPBACK_HOSTS } from './request-guard.js';

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

/** The endpoint as it serves requests: made once, with the handler. */
interface Endpoint extends Gate {
  pool: SessionPool;
  modern: ModernServers;
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
  const serverFor = (caller: Admitted) =>
    createMcpServer(teamState, { ...options, onBehalfOf: caller.person, scopes: caller.scopes, readAsCaller: true });
  warmUp(serverFor, options);
  const endpoint: Endpoint = {
    teamState,
    guard,
    access: httpAccess(guard),
    onBehalfOf: options.onBehalfOf,
    ...bearerChallenges(options.resourceMetadataUrl),
    pool: { sessions: new Map(), maxSessions, serverFor },
    modern: modernServers(serverFor, maxSessions, options),
  };
  const handle = (request: IncomingMessage, response: ServerResponse, body?: Buffer) => handleRequest(endpoint, request, response, body);
  return {
    handle,
    access: endpoint.access,
    route: {
      refuse: async (request, response) => (await admit(endpoint, request, response)) === undefined,
      handle,
    },
    close: () => closeEndpoint(endpoint),
  };
}

/**
 * What every session needs is ready now, not made by the first requests, which a company's clients send all at once:
 * the SDK's message schemas (built on first use otherwise), the tools' JSON Schemas (kept from the first server) and
 * the Node adapter of the sessions (a failed import fails the first session that needs it).
 */
function warmUp(serverFor: (caller: Admitted) => McpServer, options: McpHttpOptions): void {
  preloadSchemas();
  serverFor({ key: 'shared', person: options.onBehalfOf });
  loadNodeAdapter().catch(() => undefined);
}

async function handleRequest(endpoint: Endpoint, request: IncomingMessage, response: ServerResponse, body?: Buffer): Promise<void> {
  const caller = await admit(endpoint, request, response);
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
  if (sessionId === undefined && request.method === 'POST' && parsed !== undefined && !isLegacyPost(request, parsed))
    return serveModern(endpoint.modern, caller, request, response, parsed);
  if (typeof sessionId === 'string') return serveInSession(endpoint.pool, caller, sessionId, request, response, parsed);
  if (request.method !== 'POST') return reply(response, 400, 'no mcp-session-id header: start with an initialize request');
  // A new session; the transport answers 400 unless this request is an initialize.
  const session = await openSession(endpoint.pool, caller);
  await session.transport.handleRequest(request, response, parsed);
}

/** Serves a request of a 2026-07-28 client with a server for its caller. */
async function serveModern(
  modern: ModernServers,
  caller: Admitted,
  request: IncomingMessage,
  response: ServerResponse,
  parsed: unknown,
): Promise<void> {
  const authInfo: AuthInfo = { token: 'caller', clientId: caller.key, scopes: [...(caller.scopes ?? [])], extra: { caller } };
  modern.serve ??= (await loadNodeAdapter()).toNodeHandler(modern.handler);
  return modern.serve(Object.assign(request, { auth: authInfo }), response, parsed);
}

/** Serves a request on the open session `sessionId`, which its caller must have opened. */
function serveInSession(
  pool: SessionPool,
  caller: Admitted,
  sessionId: string,
  request: IncomingMessage,
  response: ServerResponse,
  parsed: unknown,
): Promise<void> | void {
  const session = pool.sessions.get(sessionId);
  if (!session) return reply(response, 404, 'unknown or expired session; initialize a new one');
  if (session.caller !== caller.key) return reply(response, 403, 'this session belongs to another caller');
  session.lastUsed = Date.now();
  return session.transport.handleRequest(request, response, parsed);
}

/** Closes every open session and forgets the idle servers. */
async function closeEndpoint({ pool, modern }: Endpoint): Promise<void> {
  const open = [...pool.sessions.values()];
  pool.sessions.clear();
  modern.idle.clear();
  await Promise.all([modern.handler.close(), ...open.map((session) => session.server.close())]);
}
