import type { IncomingMessage } from 'node:http';
import { constantTimeEqual } from '@teamstate/core';

/** Host names a loopback server answers to by default. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Why a request is refused before it reaches MCP: the HTTP status and a sentence for the caller. */
export interface Refusal {
  status: 401 | 403;
  message: string;
}

/** What {@link checkRequest} compares against. */
export interface GuardSettings {
  token: string;
  /** Lower-case host names (no port), IPv6 in brackets. */
  allowedHosts: ReadonlySet<string>;
  /** Exact origins (`https://app.example`) accepted besides those on an allowed host. */
  allowedOrigins: ReadonlySet<string>;
}

function hostnameOf(value: string): string | undefined {
  try {
    return new URL(`http://${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Refuses a request whose Host is not one of ours or whose Origin is foreign (403: a DNS-rebinding page in
 * a browser has the attacker's name in both). Authentication (the bearer token) comes next, in the handler.
 * The session id is never consulted: it routes a request, it does not authenticate it.
 */
export function checkRequest(request: IncomingMessage, settings: GuardSettings): Refusal | undefined {
  const host = request.headers.host;
  const hostname = host === undefined ? undefined : hostnameOf(host);
  if (hostname === undefined || !settings.allowedHosts.has(hostname)) {
    return { status: 403, message: `Host ${JSON.stringify(host ?? '')} is not allowed (DNS rebinding protection)` };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !settings.allowedOrigins.has(origin)) {
    let allowed = false;
    try {
      const url = new URL(origin);
      allowed = (url.protocol === 'http:' || url.protocol === 'https:') && settings.allowedHosts.has(url.hostname.toLowerCase());
    } catch {}
    if (!allowed) return { status: 403, message: `Origin ${JSON.stringify(origin)} is not allowed (DNS rebinding protection)` };
  }
  return undefined;
}

/** The bearer token of a request, or `undefined` when it has no `Authorization: Bearer <token>` header. */
export function bearerToken(request: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** True when `token` is the server's shared token (compared in constant time). */
export function isSharedToken(token: string, settings: GuardSettings): boolean {
  return constantTimeEqual(token, settings.token);
}
