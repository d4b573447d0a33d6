import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { type Logger, redactSecrets, silentLogger, type TeamState } from '@teamstate/core';
import { nodeHttp } from './node-servers.js';
import { type BodyRefusal, createBodyBudget, MAX_BODY_BYTES, readBody } from './read-body.js';
import { readiness } from './readiness.js';

/** Extra routes mounted by other packages (the MCP Streamable HTTP transport at `/mcp`). */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => Promise<void>;

/**
 * A mounted route that can refuse a request from its headers alone (`refuse` answers it and returns true), so an
 * unauthenticated caller never gets its body read.
 */
export interface Route {
  refuse(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  handle: RouteHandler;
}

/**
 * Host/Origin checks and CORS applied to every route but `/healthz` (the MCP handler's `access`): `refuse` answers a
 * request it refuses (403) or a CORS preflight, and returns true.
 */
export interface Access {
  refuse(request: IncomingMessage, response: ServerResponse): boolean;
}

/** Limits against slow or numerous clients. */
export interface HttpLimits {
  /** Concurrent connections; more are closed at once (default 256). */
  maxConnections?: number;
  /** How long a request body may take to arrive before 408 (default 15 s). */
  bodyTimeoutMs?: number;
  /**
   * Bytes of request bodies held at once, counted as they arrive (a declared length reserves nothing); the body whose
   * bytes do not fit is refused with 503 (default 64 MB). Webhook bodies are read before their signature is checked.
   */
  maxBodyBytesInFlight?: number;
  /** Of `maxBodyBytesInFlight`, the bytes only authenticated requests (`/mcp` with a valid token) may use (default a quarter). */
  authenticatedReserveBytes?: number;
  /** Bytes of unauthenticated bodies one remote address holds at once; past it, 429 (default 16 MB). */
  maxBodyBytesPerPeer?: number;
  /** How long a body may arrive at any pace before `minBodyBytesPerSecond` applies (default 2 s). */
  bodyGraceMs?: number;
  /** After the grace, a body arriving slower than this on average is refused with 408 (default 16 KB/s). */
  minBodyBytesPerSecond?: number;
}

const DEFAULT_MAX_CONNECTIONS = 256;
const DEFAULT_BODY_TIMEOUT_MS = 15_000;
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
const DEFAULT_BODY_BYTES_IN_FLIGHT = 64 * 1024 * 1024;
/** The share of the body budget kept for authenticated requests (16 of the default 64 MB). */
const AUTHENTICATED_RESERVE_SHARE = 1 / 4;
const DEFAULT_BODY_BYTES_PER_PEER = 16 * 1024 * 1024;
const DEFAULT_BODY_GRACE_MS = 2_000;
const DEFAULT_MIN_BODY_BYTES_PER_SECOND = 16 * 1024;

/**
 * A Node HTTP server with the limits every teamstate HTTP server keeps: a connection cap, headers and request
 * timeouts that are enforced (Node sweeps for them every 30 s by default; here at least once a second).
 */
export function createGuardedServer(listener: RequestListener, limits: HttpLimits = {}): Server {
  const bodyTimeoutMs = limits.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const headersTimeoutMs = Math.min(DEFAULT_HEADERS_TIMEOUT_MS, bodyTimeoutMs);
  const server = nodeHttp().createServer({ connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs) }, listener);
  server.maxConnections = limits.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  // Backstops for what a body timer does not see: slow headers, and a whole request (Node's default is 300 s).
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = bodyTimeoutMs * 2;
  // Longer than a client's idle keep-alive (undici: 4 s): a server that closes an idle connection first races the
  // client's next request on it, which then fails with ECONNRESET (a POST is not retried).
  server.keepAliveTimeout = 65_000;
  return server;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/** Answers and closes the connection: the rest of the body is never read. */
function sendAndClose(response: ServerResponse, status: number, body: unknown): void {
  response.setHeader('connection', 'close');
  send(response, status, body);
  response.once('finish', () => response.req.destroy());
}

/**
 * The `teamstate serve` HTTP server: `GET /healthz`, `GET /readyz` (200 when the database answers and its migrations are
 * current, else 503), `POST /webhooks/<path>` (signature checked over
 * the raw body by the connector, deduplicated and stored by core; interactions such as
 * `slack/interactivity` answered with the connector's answer, their work done after), and any mounted
 * routes (`/mcp`; a key ending in `/*` serves every path under it). Deliveries are answered 202 once stored (core processes them from its queue); an
 * unexpected failure is answered 500 and logged to `log`.
 */
export function createHttpServer(
  ts: TeamState,
  routes: Record<string, RouteHandler | Route> = {},
  log: Logger = silentLogger,
  limits: HttpLimits = {},
  access?: Access,
): Server {
  const bodyTimeoutMs = limits.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const bodyGraceMs = limits.bodyGraceMs ?? DEFAULT_BODY_GRACE_MS;
  const minBytesPerSecond = limits.minBodyBytesPerSecond ?? DEFAULT_MIN_BODY_BYTES_PER_SECOND;
  const total = limits.maxBodyBytesInFlight ?? DEFAULT_BODY_BYTES_IN_FLIGHT;
  const budget = createBodyBudget({
    total,
    reserve: limits.authenticatedReserveBytes ?? total * AUTHENTICATED_RESERVE_SHARE,
    perPeer: limits.maxBodyBytesPerPeer ?? DEFAULT_BODY_BYTES_PER_PEER,
  });
  const refusals: Record<BodyRefusal, [status: number, message: string]> = {
    too_large: [413, `request body larger than ${MAX_BODY_BYTES} bytes`],
    timeout: [408, `the request body did not arrive within ${bodyTimeoutMs / 1000} s`],
    too_slow: [408, `the request body arrived slower than ${minBytesPerSecond / 1024} KB/s`],
    server_full: [503, 'too many request bodies at once; retry shortly'],
    peer_full: [429, 'too many request bodies from your address at once; retry shortly'],
  };
  return createGuardedServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/healthz' && request.method === 'GET') return send(response, 200, { ok: true, workspace: ts.workspace });
      // Like /healthz, probed by an orchestrator on the pod's address: no Host check.
      if (url.pathname === '/readyz' && request.method === 'GET') {
        const ready = await readiness(ts);
        return send(response, ready.ready ? 200 : 503, ready.ready ? { ok: true } : { ok: false, message: ready.reason });
      }
      // DNS rebinding: a foreign Host or Origin is refused before anything else, its body never read.
      if (access) {
        response.setHeader('connection', 'close');
        if (access.refuse(request, response)) return void response.once('finish', () => request.destroy());
        response.removeHeader('connection');
      }
      const mounted = routeFor(routes, url.pathname);
      // Authenticate on the headers first: an unauthenticated caller's body is never read.
      const authenticated = mounted !== undefined && typeof mounted !== 'function';
      if (authenticated) {
        response.setHeader('connection', 'close');
        if (await mounted.refuse(request, response)) return void response.once('finish', () => request.destroy());
        response.removeHeader('connection');
      }
      const webhook = /^\/webhooks\/([a-z0-9/_-]+)$/i.exec(url.pathname);
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      // Nothing will use the body: answered without reading it.
      if (!mounted && !webhook) return (hasBody ? sendAndClose : send)(response, 404, notFound(request.method, url.pathname, routes));
      if (webhook && request.method !== 'POST') return (hasBody ? sendAndClose : send)(response, 405, { ok: false, message: 'use POST' });
      let body: Buffer | BodyRefusal = Buffer.alloc(0);
      if (hasBody) {
        const declared = Number(request.headers['content-length']);
        body =
          declared > MAX_BODY_BYTES
            ? 'too_large'
            : await readBody(request, {
                budget,
                // Behind a reverse proxy every request comes from the proxy: the per-address cap is then the proxy's.
                peer: request.socket.remoteAddress ?? '',
                authenticated,
                timeoutMs: bodyTimeoutMs,
                graceMs: bodyGraceMs,
                minBytesPerSecond,
              });
      }
      if (typeof body === 'string') {
        const [status, message] = refusals[body];
        if (status === 503 || status === 429) response.setHeader('retry-after', '5');
        return sendAndClose(response, status, { ok: false, message });
      }
      if (mounted) return await (typeof mounted === 'function' ? mounted : mounted.handle)(request, response, body);
      if (webhook) {
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]),
        );
        const result = await ts.webhooks.receive(webhook[1]!, { headers, rawBody: body });
        if (result.answer === undefined) return send(response, result.status, result.body);
        // Interactions: the provider's own answer (Slack wants an empty 200 for a click); core runs the rest after.
        if (result.answer === null) return void response.writeHead(result.status).end();
        return send(response, result.status, result.answer);
      }
    } catch (error) {
      // Details go to the server log (never the body or headers: they may carry secrets); the caller learns only that it failed.
      const delivery = request.headers['x-github-delivery'] ?? request.headers['x-atlassian-webhook-identifier'];
      log.error(
        `${request.method} ${url.pathname} failed${delivery ? ` (delivery ${String(delivery).slice(0, 100)})` : ''}: ${redactSecrets(error instanceof Error ? error.message : String(error))}`,
      );
      if (!response.headersSent) send(response, 500, { ok: false, message: 'internal error' });
    }
  }, limits);
}

/** A route mounted as `/prefix/*` (the REST API under `/v1/*`) that `pathname` falls under, if any. */
/**
 * The route mounted at `pathname`, else the one at the nearest `<prefix>/*` above it (`/approvals/*` answers
 * `/approvals/apr_1`); exact paths win.
 */
function routeFor<T>(routes: Readonly<Record<string, T>>, pathname: string): T | undefined {
  if (Object.hasOwn(routes, pathname)) return routes[pathname];
  for (let end = pathname.lastIndexOf('/'); end > 0; end = pathname.lastIndexOf('/', end - 1)) {
    const prefix = `${pathname.slice(0, end)}/*`;
    if (Object.hasOwn(routes, prefix)) return routes[prefix];
  }
  return undefined;
}

/**
 * The 404 body: an OAuth discovery URL on a server without remote sign-in says so and names the config that enables
 * it (an MCP client probes them first), anything else `no route`.
 */
function notFound(method: string | undefined, pathname: string, routes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const oauthMounted = Object.keys(routes).some((path) => path.startsWith('/.well-known/oauth-'));
  if (pathname.startsWith('/.well-known/oauth-') && !oauthMounted)
    return {
      ok: false,
      error: 'oauth_not_configured',
      message:
        'remote sign-in (OAuth) is not configured on this server: add auth: (github or slack, with clientId and clientSecret) and server.publicUrl to the config (docs/remote-mcp.md)',
    };
  return { ok: false, message: `no route for ${method} ${pathname}` };
}
