import type { IncomingMessage, ServerResponse } from 'node:http';
import { OAUTH_SCOPES } from '@teamstate/core';
import { redirectUriProblem } from './oauth-clients.js';
import type { OAuthContext } from './oauth-context.js';
import { json } from './oauth-responses.js';

const MAX_REDIRECT_URIS = 10;
/** Addresses whose registrations are counted at most (the oldest window is dropped beyond). */
const REGISTRATION_ADDRESSES = 10_000;

/** The window of `address`, started now when it has none or its last one ended. */
function registrationWindow(ctx: OAuthContext, address: string, now: number): { count: number; resetAt: number } {
  const { windows, windowMs } = ctx.registration;
  const current = windows.get(address);
  if (current && current.resetAt > now) return current;
  windows.delete(address);
  if (windows.size >= REGISTRATION_ADDRESSES) {
    for (const [key, entry] of windows) if (entry.resetAt <= now) windows.delete(key);
    if (windows.size >= REGISTRATION_ADDRESSES) windows.delete(windows.keys().next().value!);
  }
  const fresh = { count: 0, resetAt: now + windowMs };
  windows.set(address, fresh);
  return fresh;
}

/** The client metadata of a registration (RFC 7591), or the error answer to give. */
function clientMetadata(body: Buffer): { redirectUris: string[]; name: string | undefined } | { error: string; description: string } {
  let metadata: Record<string, unknown>;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    metadata = parsed as Record<string, unknown>;
  } catch {
    return { error: 'invalid_client_metadata', description: 'the body must be a JSON object (RFC 7591)' };
  }
  const uris = metadata.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || uris.length > MAX_REDIRECT_URIS)
    return { error: 'invalid_redirect_uri', description: `redirect_uris: give 1 to ${MAX_REDIRECT_URIS} redirect URIs` };
  for (const [i, uri] of uris.entries()) {
    const problem = redirectUriProblem(uri);
    if (problem) return { error: 'invalid_redirect_uri', description: `redirect_uris[${i}]: ${problem}` };
  }
  const grantTypes = metadata.grant_types;
  if (grantTypes !== undefined && (!Array.isArray(grantTypes) || !grantTypes.includes('authorization_code')))
    return { error: 'invalid_client_metadata', description: 'grant_types: must include authorization_code' };
  const name = typeof metadata.client_name === 'string' ? metadata.client_name.slice(0, 200) : undefined;
  return { redirectUris: uris as string[], name };
}

/** `/oauth/register`: dynamic client registration (RFC 7591), a few per address and window. */
export async function register(ctx: OAuthContext, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  const { maxPerAddress, windowMs, maxUnusedClients } = ctx.registration;
  if (request.method !== 'POST') return json(response, 405, { error: 'invalid_request', error_description: 'use POST with a JSON body' });
  const now = ctx.clock().getTime();
  const slot = registrationWindow(ctx, request.socket.remoteAddress ?? '', now);
  if (slot.count >= maxPerAddress) {
    const wait = Math.max(1, Math.ceil((slot.resetAt - now) / 1000));
    return json(
      response,
      429,
      {
        error: 'rate_limited',
        error_description: `too many client registrations from your address (at most ${maxPerAddress} in ${windowMs / 1000} s); retry after ${wait} s, or use a client ID metadata document`,
      },
      { 'retry-after': String(wait) },
    );
  }
  const metadata = clientMetadata(body);
  if ('error' in metadata) return json(response, 400, { error: metadata.error, error_description: metadata.description });
  const { redirectUris, name } = metadata;
  slot.count++;
  const registered = await ctx.ts.oauth.registerClient({
    redirectUris,
    ...(name ? { name } : {}),
    ...(maxUnusedClients === undefined ? {} : { maxUnused: maxUnusedClients }),
  });
  json(response, 201, {
    client_id: registered.clientId,
    client_id_issued_at: Math.floor(Date.parse(registered.createdAt) / 1000),
    redirect_uris: registered.redirectUris,
    ...(name ? { client_name: name } : {}),
    // Every client is public: it proves itself with PKCE, not a secret.
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: OAUTH_SCOPES.join(' '),
  });
}
