import type { IncomingMessage, ServerResponse } from 'node:http';
import { OAuthRequestError } from '@teamstate/core';
import { resolveClient } from './oauth-clients.js';
import type { ClientInfo, OAuthContext } from './oauth-context.js';
import { json, oauthError, resourceProblem } from './oauth-responses.js';

async function readParams(request: IncomingMessage, body: Buffer): Promise<Record<string, string>> {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  const text = body.toString('utf8');
  if (type.startsWith('application/json')) {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** `client_id` of the body, or of `Authorization: Basic` (a public client with an empty secret). */
function clientIdOf(request: IncomingMessage, params: Record<string, string>): string | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const id = decoded.slice(0, decoded.includes(':') ? decoded.indexOf(':') : undefined);
    try {
      return decodeURIComponent(id);
    } catch {
      return undefined;
    }
  }
  return params.client_id;
}

/**
 * The parameters of a POST to the token or revocation endpoint and the client that sent them, or `undefined` once it
 * has answered the error.
 */
async function clientRequest(
  ctx: OAuthContext,
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
): Promise<{ params: Record<string, string>; client: ClientInfo } | undefined> {
  if (request.method !== 'POST') {
    oauthError(response, 'invalid_request', 'use POST with application/x-www-form-urlencoded');
    return undefined;
  }
  let params: Record<string, string>;
  try {
    params = await readParams(request, body);
  } catch {
    oauthError(response, 'invalid_request', 'the body is not valid JSON');
    return undefined;
  }
  const client = await resolveClient(ctx, clientIdOf(request, params));
  if (typeof client === 'string') {
    oauthError(response, 'invalid_client', client);
    return undefined;
  }
  return { params, client };
}

/** `/oauth/token`: exchanges a code, or a refresh token (rotated), for tokens. */
export async function token(ctx: OAuthContext, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  const asked = await clientRequest(ctx, request, response, body);
  if (!asked) return;
  const { params, client } = asked;
  const target = resourceProblem(ctx.resource, params.resource ?? null);
  if (target) return oauthError(response, 'invalid_target', target);
  try {
    if (params.grant_type === 'authorization_code') {
      const issued = await ctx.ts.oauth.exchangeCode({
        code: params.code ?? '',
        clientId: client.clientId,
        redirectUri: params.redirect_uri,
        codeVerifier: params.code_verifier,
      });
      return json(response, 200, issued, { pragma: 'no-cache' });
    }
    if (params.grant_type === 'refresh_token') {
      const scopes = params.scope?.split(' ').filter(Boolean);
      const issued = await ctx.ts.oauth.refresh({ refreshToken: params.refresh_token ?? '', clientId: client.clientId, scopes });
      return json(response, 200, issued, { pragma: 'no-cache' });
    }
    return oauthError(response, 'unsupported_grant_type', 'grant_type: expected authorization_code or refresh_token');
  } catch (error) {
    if (error instanceof OAuthRequestError) return oauthError(response, error.error, error.message);
    throw error;
  }
}

/**
 * Token revocation (RFC 7009): the client authenticates as at the token endpoint; revoking its access or refresh
 * token ends the whole sign-in. An unknown, expired or already revoked token answers 200 too, as the RFC says.
 */
export async function revoke(ctx: OAuthContext, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  const asked = await clientRequest(ctx, request, response, body);
  if (!asked) return;
  const { params, client } = asked;
  if (!params.token) return oauthError(response, 'invalid_request', 'token: required (the access or refresh token to revoke)');
  try {
    // token_type_hint is optional and only a hint: both kinds are looked up.
    if (await ctx.ts.oauth.revokeToken({ token: params.token, clientId: client.clientId }))
      ctx.log.info(`oauth: client ${client.clientId} revoked a sign-in`);
  } catch (error) {
    if (error instanceof OAuthRequestError) return oauthError(response, error.error, error.message);
    throw error;
  }
  response.writeHead(200, { 'cache-control': 'no-store' });
  response.end();
}
