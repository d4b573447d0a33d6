import { type Logger, OAUTH_SCOPES, silentLogger, type TeamState } from '@teamstate/core';
import type { RouteHandler } from '../create-http-server.js';
import { type AuthConfig, identityProviders } from './identity-provider.js';
import { consent } from './oauth-consent.js';
import type { OAuthContext } from './oauth-context.js';
import { register } from './oauth-registration.js';
import { json } from './oauth-responses.js';
import { authorize, callback, continueSignIn } from './oauth-sign-in.js';
import { revoke, token } from './oauth-tokens.js';

/** Options of {@link createOAuthEndpoints}. */
export interface OAuthEndpointsOptions {
  /** The `auth` section: where people sign in. */
  auth: AuthConfig;
  /** The public origin of the server, e.g. `https://teamstate.acme.example` (`server.publicUrl`). */
  publicUrl: string;
  /** The HTTP client for the identity provider and client ID metadata documents (default the global fetch). */
  fetch?: typeof fetch;
  log?: Logger;
  /** The clock of rate limits and caches (default the system clock). */
  clock?: () => Date;
  /** Bounds of dynamic client registration (`POST /oauth/register`). */
  registration?: {
    /** Registrations one address may make per window (default 30). Behind a reverse proxy, the proxy is the one address. */
    maxPerAddress?: number;
    /** The window, in seconds (default 600). */
    windowSeconds?: number;
    /** Registered clients nobody has signed in with, kept at most; the oldest are forgotten beyond (default 1000). */
    maxUnusedClients?: number;
  };
}

/** The OAuth 2.1 routes of `teamstate serve`, to mount next to `/mcp`. */
export interface OAuthEndpoints {
  routes: Record<string, RouteHandler>;
  /** The protected resource metadata URL, for `WWW-Authenticate: Bearer resource_metadata="…"` on `/mcp`. */
  resourceMetadataUrl: string;
  /** The resource (the `/mcp` URL) tokens are issued for. */
  resource: string;
}

/** The protected resource metadata (RFC 9728) of the `/mcp` resource. */
function protectedResourceMetadata(issuer: string, resource: string) {
  return {
    resource,
    authorization_servers: [issuer],
    scopes_supported: [...OAUTH_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'teamstate',
    resource_documentation: 'https://github.com/teamstate/teamstate/blob/main/docs/remote-mcp.md',
  };
}

/** The authorization server metadata (RFC 8414) of `issuer`. */
function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    registration_endpoint: `${issuer}/oauth/register`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    revocation_endpoint_auth_methods_supported: ['none'],
    scopes_supported: [...OAUTH_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}

/** A route answering `document` to GET and HEAD, cacheable for five minutes. */
function metadataRoute(document: unknown): RouteHandler {
  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return json(response, 405, { error: 'use GET' });
    json(response, 200, document, { 'cache-control': 'public, max-age=300' });
  };
}

function oauthContext(ts: TeamState, options: OAuthEndpointsOptions): OAuthContext {
  const issuer = options.publicUrl.replace(/\/+$/, '');
  const fetchFn = options.fetch ?? fetch;
  return {
    ts,
    issuer,
    resource: `${issuer}/mcp`,
    callbackUrl: `${issuer}/oauth/callback`,
    fetch: fetchFn,
    log: options.log ?? silentLogger,
    providers: identityProviders(options.auth, fetchFn, options.clock),
    clock: options.clock ?? (() => new Date()),
    metadataCache: new Map(),
    registration: {
      maxPerAddress: options.registration?.maxPerAddress ?? 30,
      windowMs: (options.registration?.windowSeconds ?? 600) * 1000,
      maxUnusedClients: options.registration?.maxUnusedClients,
      windows: new Map(),
    },
  };
}

/**
 * The OAuth 2.1 authorization server and protected resource metadata of the remote MCP endpoint (docs/remote-mcp.md):
 * `/.well-known/oauth-protected-resource`, `/.well-known/oauth-authorization-server`, `/oauth/register` (dynamic client
 * registration), `/oauth/authorize` (PKCE S256 only; the person signs in at GitHub, Slack or the OpenID Connect provider, choosing at `/oauth/sign-in` when several are configured), `/oauth/callback` (the
 * provider's return; the account must be linked to a person), `/oauth/consent` (the person's Allow or Deny at the
 * consent page, per client and scopes), `/oauth/token` (codes and rotating refresh tokens) and
 * `/oauth/revoke` (token revocation, RFC 7009).
 * Clients are registered ones or client ID metadata documents (an https `client_id`); redirect URIs match exactly.
 */
export function createOAuthEndpoints(ts: TeamState, options: OAuthEndpointsOptions): OAuthEndpoints {
  const ctx = oauthContext(ts, options);
  const { issuer, resource } = ctx;
  const protectedResource = protectedResourceMetadata(issuer, resource);
  return {
    resource,
    resourceMetadataUrl: `${issuer}/.well-known/oauth-protected-resource`,
    routes: {
      '/.well-known/oauth-protected-resource': metadataRoute(protectedResource),
      // RFC 9728: the metadata of the resource at /mcp may also be asked for with the resource's path appended.
      '/.well-known/oauth-protected-resource/mcp': metadataRoute(protectedResource),
      '/.well-known/oauth-authorization-server': metadataRoute(authorizationServerMetadata(issuer)),
      '/oauth/authorize': (request, response) => authorize(ctx, request, response),
      '/oauth/callback': (request, response) => callback(ctx, request, response),
      '/oauth/sign-in': (request, response) => continueSignIn(ctx, request, response),
      '/oauth/consent': (request, response, body) => consent(ctx, request, response, body),
      '/oauth/token': (request, response, body) => token(ctx, request, response, body),
      '/oauth/register': (request, response, body) => register(ctx, request, response, body),
      '/oauth/revoke': (request, response, body) => revoke(ctx, request, response, body),
    },
  };
}
