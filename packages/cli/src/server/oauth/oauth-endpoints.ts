import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AuthorizationRequest,
  type Logger,
  OAUTH_SCOPES,
  OAuthRequestError,
  parseOAuthScopes,
  redactSecrets,
  silentLogger,
  type TeamState,
} from '@teamstate/core';
import type { RouteHandler } from '../create-http-server.js';
import { type AuthConfig, type IdentityProvider, identityProvider, type SignedInAccount } from './identity-provider.js';

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

/** A client: registered here (`tsc_…`) or described by its client ID metadata document (an https URL). */
interface ClientInfo {
  clientId: string;
  name?: string;
  redirectUris: string[];
}

const METADATA_CACHE_MS = 5 * 60_000;
const METADATA_MAX_BYTES = 64 * 1024;
const METADATA_CACHE_ENTRIES = 500;
const MAX_REDIRECT_URIS = 10;
const MAX_URI_LENGTH = 2000;
/** Addresses whose registrations are counted at most (the oldest window is dropped beyond). */
const REGISTRATION_ADDRESSES = 10_000;

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

/** A page for the person in the browser: plain text, so nothing in it is ever interpreted. */
function page(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(`${text}\n`);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location, 'cache-control': 'no-store' });
  response.end();
}

function oauthError(response: ServerResponse, error: string, description: string): void {
  json(response, error === 'invalid_client' ? 401 : 400, { error, error_description: description });
}

/**
 * A redirect URI a client may register: https, http on a loopback address (native apps, RFC 8252), or a private-use
 * scheme (`cursor://…`); never `javascript:`, `data:`, `file:` or a fragment. Returns why not, or `undefined`.
 */
export function redirectUriProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URI_LENGTH)
    return `expected an absolute URI of at most ${MAX_URI_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${JSON.stringify(value.slice(0, 100))} is not an absolute URI`;
  }
  if (url.hash) return 'must not have a fragment';
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (['javascript', 'data', 'file', 'vbscript', 'blob', 'about', 'ws', 'wss', 'ftp'].includes(scheme))
    return `the ${scheme}: scheme is not allowed`;
  if (scheme === 'http' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname.toLowerCase()))
    return 'http is allowed only on localhost, 127.0.0.1 or [::1]; use https';
  return undefined;
}

function isMetadataUrl(clientId: string): boolean {
  try {
    const url = new URL(clientId);
    return url.protocol === 'https:' && url.pathname !== '/' && url.hash === '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

async function readLimited(response: Response, limit: number): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The OAuth 2.1 authorization server and protected resource metadata of the remote MCP endpoint (docs/remote-mcp.md):
 * `/.well-known/oauth-protected-resource`, `/.well-known/oauth-authorization-server`, `/oauth/register` (dynamic client
 * registration), `/oauth/authorize` (PKCE S256 only; the person signs in at GitHub or Slack), `/oauth/callback` (the
 * provider's return; the account must be linked to a person), `/oauth/token` (codes and rotating refresh tokens) and
 * `/oauth/revoke` (token revocation, RFC 7009).
 * Clients are registered ones or client ID metadata documents (an https `client_id`); redirect URIs match exactly.
 */
export function createOAuthEndpoints(ts: TeamState, options: OAuthEndpointsOptions): OAuthEndpoints {
  const issuer = options.publicUrl.replace(/\/+$/, '');
  const resource = `${issuer}/mcp`;
  const callbackUrl = `${issuer}/oauth/callback`;
  const fetchFn = options.fetch ?? fetch;
  const log = options.log ?? silentLogger;
  const provider: IdentityProvider = identityProvider(options.auth, fetchFn);
  const metadataCache = new Map<string, { client: ClientInfo | string; until: number }>();
  const clock = options.clock ?? (() => new Date());
  const maxPerAddress = options.registration?.maxPerAddress ?? 30;
  const windowMs = (options.registration?.windowSeconds ?? 600) * 1000;
  const maxUnusedClients = options.registration?.maxUnusedClients;
  /** Registrations per address in the current fixed window. */
  const registrations = new Map<string, { count: number; resetAt: number }>();

  const protectedResource = {
    resource,
    authorization_servers: [issuer],
    scopes_supported: [...OAUTH_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'teamstate',
    resource_documentation: 'https://github.com/teamstate/teamstate/blob/main/docs/remote-mcp.md',
  };
  const authorizationServer = {
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

  /** A client document fetched from its https `client_id` (cached 5 minutes), or why it cannot be used. */
  async function metadataClient(clientId: string): Promise<ClientInfo | string> {
    const now = clock().getTime();
    const cached = metadataCache.get(clientId);
    if (cached && cached.until > now) return cached.client;
    let client: ClientInfo | string;
    try {
      const response = await fetchFn(clientId, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(5_000),
      });
      const text = response.ok ? await readLimited(response, METADATA_MAX_BYTES) : undefined;
      const document = text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
      if (!response.ok) client = `client_id: the client ID metadata document answered ${response.status}`;
      else if (!document || typeof document !== 'object')
        client = `client_id: the client ID metadata document is larger than ${METADATA_MAX_BYTES} bytes or not JSON`;
      else if (document.client_id !== clientId) client = 'client_id: the metadata document names another client_id than its own URL';
      else {
        const uris = Array.isArray(document.redirect_uris) ? document.redirect_uris : [];
        const problem = uris.length === 0 ? 'none given' : uris.map(redirectUriProblem).find((p) => p !== undefined);
        client = problem
          ? `client_id: the metadata document's redirect_uris are not usable (${problem})`
          : {
              clientId,
              redirectUris: uris as string[],
              ...(typeof document.client_name === 'string' ? { name: document.client_name.slice(0, 200) } : {}),
            };
      }
    } catch (error) {
      client = `client_id: the client ID metadata document could not be read (${error instanceof Error ? error.message.slice(0, 200) : 'error'})`;
    }
    if (metadataCache.size >= METADATA_CACHE_ENTRIES) metadataCache.delete(metadataCache.keys().next().value!);
    metadataCache.set(clientId, { client, until: now + METADATA_CACHE_MS });
    return client;
  }

  async function resolveClient(clientId: unknown): Promise<ClientInfo | string> {
    if (typeof clientId !== 'string' || clientId.length === 0) return 'client_id: required';
    if (clientId.length > MAX_URI_LENGTH) return 'client_id: too long';
    if (isMetadataUrl(clientId)) return metadataClient(clientId);
    const registered = await ts.oauth.client(clientId);
    if (!registered)
      return `client_id: unknown client ${JSON.stringify(clientId.slice(0, 80))}; register at ${issuer}/oauth/register or use a client ID metadata document (an https URL)`;
    return { clientId: registered.clientId, redirectUris: registered.redirectUris, ...(registered.name ? { name: registered.name } : {}) };
  }

  function withParams(base: string, params: Record<string, string | undefined>): string {
    const url = new URL(base);
    for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
    return url.toString();
  }

  function resourceProblem(value: string | null): string | undefined {
    if (value === null) return undefined;
    const normal = value.replace(/\/+$/, '');
    return normal === resource ? undefined : `resource: this server issues tokens for ${resource} only`;
  }

  async function authorize(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET') return page(response, 405, 'Use GET.');
    const q = new URL(request.url ?? '/', issuer).searchParams;
    // Until the client and its redirect URI are known to match, errors go to the person, never to a redirect.
    const client = await resolveClient(q.get('client_id'));
    if (typeof client === 'string') return page(response, 400, `Sign-in refused. ${client}`);
    const redirectUri = q.get('redirect_uri');
    if (redirectUri === null) return page(response, 400, 'Sign-in refused. redirect_uri: required');
    if (!client.redirectUris.includes(redirectUri))
      return page(response, 400, 'Sign-in refused. redirect_uri: not registered for this client (redirect URIs must match exactly)');
    const state = q.get('state') ?? undefined;
    const back = (error: string, description: string) =>
      redirect(response, withParams(redirectUri, { error, error_description: description, state, iss: issuer }));
    if (q.get('response_type') !== 'code') return back('unsupported_response_type', 'response_type: expected code');
    const challenge = q.get('code_challenge');
    if (challenge === null) return back('invalid_request', 'code_challenge: required (PKCE with S256)');
    if (q.get('code_challenge_method') !== 'S256')
      return back('invalid_request', 'code_challenge_method: must be S256 (plain and a missing method are refused)');
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge))
      return back('invalid_request', 'code_challenge: expected the base64url SHA-256 of the verifier (43 characters)');
    const target = resourceProblem(q.get('resource'));
    if (target) return back('invalid_target', target);
    let scopes: AuthorizationRequest['scopes'];
    try {
      scopes = parseOAuthScopes(q.get('scope') ?? undefined);
    } catch (error) {
      if (error instanceof OAuthRequestError) return back(error.error, error.message);
      throw error;
    }
    const pending: AuthorizationRequest = {
      clientId: client.clientId,
      ...(client.name ? { clientName: client.name } : {}),
      redirectUri,
      codeChallenge: challenge,
      scopes,
      ...(state === undefined ? {} : { state: state.slice(0, 500) }),
      resource,
    };
    const handle = await ts.oauth.beginAuthorization(pending);
    redirect(response, provider.authorizeUrl({ state: handle, redirectUri: callbackUrl }));
  }

  async function personOf(account: SignedInAccount): Promise<string | undefined> {
    const linked = await ts.people.linkedTo({ provider: account.provider, id: account.id });
    if (linked || account.provider !== 'github' || !account.login) return linked;
    // An identity override in the config (`people: [{ id: ana, github: anag }]`) names the account by its login.
    return ts.people.linkedTo({ provider: 'github', id: account.login });
  }

  function unlinkedMessage(account: SignedInAccount): string {
    const shown = account.login ? `${account.login} (id ${account.id})` : account.id;
    const override = account.provider === 'github' ? `github: ${account.login ?? account.id}` : `slack: ${account.id}`;
    return [
      `Sign-in refused: the ${provider.name} account ${shown} is not linked to a person in teamstate.`,
      'Ask whoever runs teamstate to link it, then sign in again:',
      `  - add "${override}" to your entry under people: in the teamstate config (e.g. people: [{ id: ana, name: Ana, ${override} }]) and run teamstate sync --only config, or`,
      `  - run: teamstate people link ${account.provider}:${account.id} <your person id>   (when teamstate already knows the account from a sync)`,
    ].join('\n');
  }

  async function callback(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET') return page(response, 405, 'Use GET.');
    const q = new URL(request.url ?? '/', issuer).searchParams;
    const pending = await ts.oauth.takeAuthorization(q.get('state') ?? '');
    if (!pending) return page(response, 400, 'This sign-in expired or was already used. Start again from your assistant.');
    const back = (params: Record<string, string | undefined>) =>
      redirect(response, withParams(pending.redirectUri, { ...params, state: pending.state, iss: issuer }));
    if (q.get('error') !== null)
      return back({ error: 'access_denied', error_description: `the sign-in at ${provider.name} was cancelled or refused` });
    const code = q.get('code');
    if (!code) return page(response, 400, `Sign-in refused: ${provider.name} returned no code. Start again from your assistant.`);
    let account: SignedInAccount;
    try {
      account = await provider.signIn({ code, redirectUri: callbackUrl });
    } catch (error) {
      log.warn(`oauth: sign-in at ${provider.name} failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
      return page(response, 502, `Sign-in failed: ${provider.name} did not confirm who you are. Try again in a moment.`);
    }
    const person = await personOf(account);
    if (!person) {
      log.info(`oauth: refused ${provider.name} account ${account.id}: not linked to a person`);
      return page(response, 403, unlinkedMessage(account));
    }
    const issued = await ts.oauth.issueCode(pending, { person, account: `${account.provider}:${account.id}` });
    back({ code: issued });
  }

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

  async function token(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
    if (request.method !== 'POST') return oauthError(response, 'invalid_request', 'use POST with application/x-www-form-urlencoded');
    let params: Record<string, string>;
    try {
      params = await readParams(request, body);
    } catch {
      return oauthError(response, 'invalid_request', 'the body is not valid JSON');
    }
    const clientId = clientIdOf(request, params);
    const client = await resolveClient(clientId);
    if (typeof client === 'string') return oauthError(response, 'invalid_client', client);
    const target = resourceProblem(params.resource ?? null);
    if (target) return oauthError(response, 'invalid_target', target);
    try {
      if (params.grant_type === 'authorization_code') {
        const issued = await ts.oauth.exchangeCode({
          code: params.code ?? '',
          clientId: client.clientId,
          redirectUri: params.redirect_uri,
          codeVerifier: params.code_verifier,
        });
        return json(response, 200, issued, { pragma: 'no-cache' });
      }
      if (params.grant_type === 'refresh_token') {
        const scopes = params.scope?.split(' ').filter(Boolean);
        const issued = await ts.oauth.refresh({ refreshToken: params.refresh_token ?? '', clientId: client.clientId, scopes });
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
  async function revoke(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
    if (request.method !== 'POST') return oauthError(response, 'invalid_request', 'use POST with application/x-www-form-urlencoded');
    let params: Record<string, string>;
    try {
      params = await readParams(request, body);
    } catch {
      return oauthError(response, 'invalid_request', 'the body is not valid JSON');
    }
    const client = await resolveClient(clientIdOf(request, params));
    if (typeof client === 'string') return oauthError(response, 'invalid_client', client);
    if (!params.token) return oauthError(response, 'invalid_request', 'token: required (the access or refresh token to revoke)');
    try {
      // token_type_hint is optional and only a hint: both kinds are looked up.
      if (await ts.oauth.revokeToken({ token: params.token, clientId: client.clientId }))
        log.info(`oauth: client ${client.clientId} revoked a sign-in`);
    } catch (error) {
      if (error instanceof OAuthRequestError) return oauthError(response, error.error, error.message);
      throw error;
    }
    response.writeHead(200, { 'cache-control': 'no-store' });
    response.end();
  }

  /** The window of `address`, started now when it has none or its last one ended. */
  function registrationWindow(address: string, now: number): { count: number; resetAt: number } {
    const current = registrations.get(address);
    if (current && current.resetAt > now) return current;
    registrations.delete(address);
    if (registrations.size >= REGISTRATION_ADDRESSES) {
      for (const [key, entry] of registrations) if (entry.resetAt <= now) registrations.delete(key);
      if (registrations.size >= REGISTRATION_ADDRESSES) registrations.delete(registrations.keys().next().value!);
    }
    const fresh = { count: 0, resetAt: now + windowMs };
    registrations.set(address, fresh);
    return fresh;
  }

  async function register(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
    if (request.method !== 'POST') return json(response, 405, { error: 'invalid_request', error_description: 'use POST with a JSON body' });
    const now = clock().getTime();
    const slot = registrationWindow(request.socket.remoteAddress ?? '', now);
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
    let metadata: Record<string, unknown>;
    try {
      const parsed = JSON.parse(body.toString('utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      metadata = parsed as Record<string, unknown>;
    } catch {
      return json(response, 400, { error: 'invalid_client_metadata', error_description: 'the body must be a JSON object (RFC 7591)' });
    }
    const uris = metadata.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0 || uris.length > MAX_REDIRECT_URIS)
      return json(response, 400, {
        error: 'invalid_redirect_uri',
        error_description: `redirect_uris: give 1 to ${MAX_REDIRECT_URIS} redirect URIs`,
      });
    for (const [i, uri] of uris.entries()) {
      const problem = redirectUriProblem(uri);
      if (problem) return json(response, 400, { error: 'invalid_redirect_uri', error_description: `redirect_uris[${i}]: ${problem}` });
    }
    const grantTypes = metadata.grant_types;
    if (grantTypes !== undefined && (!Array.isArray(grantTypes) || !grantTypes.includes('authorization_code')))
      return json(response, 400, { error: 'invalid_client_metadata', error_description: 'grant_types: must include authorization_code' });
    const name = typeof metadata.client_name === 'string' ? metadata.client_name.slice(0, 200) : undefined;
    slot.count++;
    const registered = await ts.oauth.registerClient({
      redirectUris: uris as string[],
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

  const metadataRoute =
    (document: unknown): RouteHandler =>
    async (request, response) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return json(response, 405, { error: 'use GET' });
      json(response, 200, document, { 'cache-control': 'public, max-age=300' });
    };

  return {
    resource,
    resourceMetadataUrl: `${issuer}/.well-known/oauth-protected-resource`,
    routes: {
      '/.well-known/oauth-protected-resource': metadataRoute(protectedResource),
      // RFC 9728: the metadata of the resource at /mcp may also be asked for with the resource's path appended.
      '/.well-known/oauth-protected-resource/mcp': metadataRoute(protectedResource),
      '/.well-known/oauth-authorization-server': metadataRoute(authorizationServer),
      '/oauth/authorize': authorize,
      '/oauth/callback': callback,
      '/oauth/token': token,
      '/oauth/register': register,
      '/oauth/revoke': revoke,
    },
  };
}
