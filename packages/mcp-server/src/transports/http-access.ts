import type { IncomingMessage, ServerResponse } from 'node:http';
import { TeamStateError } from '@teamstate/core';
import { reply } from './http-reply.js';
import { checkRequest, type GuardSettings } from './request-guard.js';

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
export function checkOrigins(origins: readonly string[]): void {
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

/** The Host/Origin checks and CORS of `guard`. */
export function httpAccess(guard: GuardSettings): HttpAccess {
  return {
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
}
