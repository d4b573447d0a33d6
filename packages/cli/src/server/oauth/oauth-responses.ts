import type { ServerResponse } from 'node:http';
import { pageSecurityHeaders } from './oauth-consent-page.js';

/** Answers `body` as JSON, never cached unless `headers` say otherwise. */
export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

/** A page for the person in the browser: plain text, so nothing in it is ever interpreted; never framed. */
export function page(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...pageSecurityHeaders() });
  response.end(`${text}\n`);
}

export function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location, 'cache-control': 'no-store' });
  response.end();
}

/** An OAuth error answer (RFC 6749 §5.2): 401 for `invalid_client`, else 400. */
export function oauthError(response: ServerResponse, error: string, description: string): void {
  json(response, error === 'invalid_client' ? 401 : 400, { error, error_description: description });
}

/** `base` with `params` (those defined) set on its query. */
export function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

/** Why the `resource` parameter names another resource than this server's, or `undefined` (also when left out). */
export function resourceProblem(resource: string, value: string | null): string | undefined {
  if (value === null) return undefined;
  const normal = value.replace(/\/+$/, '');
  return normal === resource ? undefined : `resource: this server issues tokens for ${resource} only`;
}
