import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as HttpTransportV2,
  type OAuthClientProvider as OAuthClientProviderV2,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
  UnauthorizedError as UnauthorizedErrorV2,
} from '@modelcontextprotocol/client';
import { type OAuthClientProvider, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Connector, createTeamState, defineActionType, type TeamState } from '@teamstate/core';
import { createMcpHttpHandler, type McpHttpHandler } from '@teamstate/mcp-server';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpServer, type Route, type RouteHandler } from '../src/server/create-http-server.js';
import { identityProvider } from '../src/server/oauth/identity-provider.js';
import { createOAuthEndpoints, type OAuthEndpoints } from '../src/server/oauth/oauth-endpoints.js';

// Remote MCP with OAuth 2.1 sign-in (docs/remote-mcp.md): the real v1 and v2 SDK clients' OAuth support against
// `teamstate serve`'s HTTP server, with people signing in at a fake GitHub (Enterprise layout: web at /, API at /api/v3) that is a
// real local HTTP server answering with GitHub's payloads. Real store, real client, real HTTP.

const fixture = (name: string) => readFileSync(new URL(`__fixtures__/oauth/${name}`, import.meta.url), 'utf8');
const GITHUB_USER = JSON.parse(fixture('github-user.json')) as { login: string; id: number };
const REDIRECT = 'http://127.0.0.1:33418/oauth/callback';
const CLIENT_DOCUMENT_URL = 'https://assistant.example/clients/teamstate.json';
const SHARED = randomBytes(32).toString('base64url');
const GITHUB_APP = { clientId: 'Iv1.8a61f9b3a7aba766', clientSecret: randomBytes(20).toString('hex') };

/** A fake GitHub OAuth app host and Slack OpenID Connect host, and the assistant's client ID metadata document. */
interface FakeProviders {
  base: string;
  /** Who signs in at the next authorize. */
  signInAs(user: { login: string; id: number }): void;
  close(): Promise<void>;
}

async function fakeProviders(): Promise<FakeProviders> {
  let next = { login: GITHUB_USER.login, id: GITHUB_USER.id };
  const codes = new Map<string, { login: string; id: number }>();
  const tokens = new Map<string, { login: string; id: number }>();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const json = (status: number, body: string): void =>
      void response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    if (url.pathname === '/login/oauth/authorize') {
      // The person is signed in at GitHub and has authorized the app before: GitHub redirects straight back.
      if (url.searchParams.get('client_id') !== GITHUB_APP.clientId) return json(404, '{"message":"Not Found"}');
      const code = randomBytes(10).toString('hex');
      codes.set(code, next);
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state')!);
      return void response.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/login/oauth/access_token' && request.method === 'POST') {
      const user = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!user || form.get('client_secret') !== GITHUB_APP.clientSecret) return json(200, fixture('github-bad-code.json'));
      const answer = JSON.parse(fixture('github-access-token.json')) as { access_token: string };
      answer.access_token = `gho_${randomBytes(18).toString('hex')}`;
      tokens.set(answer.access_token, user);
      return json(200, JSON.stringify(answer));
    }
    if (url.pathname === '/api/v3/user') {
      const user = tokens.get(/^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
      if (!user) return json(401, '{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}');
      return json(200, JSON.stringify({ ...JSON.parse(fixture('github-user.json')), login: user.login, id: user.id }));
    }
    if (url.pathname === '/openid/connect/authorize') {
      // Sign in with Slack, already consented: straight back with a code.
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', 'slack-code');
      back.searchParams.set('state', url.searchParams.get('state')!);
      return void response.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/api/openid.connect.token' && request.method === 'POST') {
      if (form.get('code') !== 'slack-code' || form.get('client_secret') !== 'slack-secret')
        return json(200, '{"ok":false,"error":"invalid_code"}');
      return json(200, fixture('slack-openid-token.json'));
    }
    if (url.pathname === '/api/openid.connect.userInfo') return json(200, fixture('slack-openid-userinfo.json'));
    if (url.pathname === '/clients/teamstate.json')
      return json(
        200,
        JSON.stringify({
          client_id: CLIENT_DOCUMENT_URL,
          client_name: 'Acme Assistant',
          client_uri: 'https://assistant.example',
          redirect_uris: [REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        }),
      );
    return json(404, '{"message":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    signInAs: (user) => {
      next = user;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An MCP client's OAuth state, in memory, as a desktop assistant keeps it. */
class AssistantAuth implements OAuthClientProvider {
  readonly redirectUrl = REDIRECT;
  authorizationUrl?: URL;
  information?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  #verifier = '';
  constructor(readonly clientMetadataUrl?: string) {}
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Acme Assistant',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: OAuthClientInformationMixed) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.#verifier = verifier;
  }
  codeVerifier() {
    return this.#verifier;
  }
}

/** The same assistant state for the v2 SDK client, whose stored tokens and client information carry the issuer. */
class AssistantAuthV2 implements OAuthClientProviderV2 {
  readonly redirectUrl = REDIRECT;
  authorizationUrl?: URL;
  information?: StoredOAuthClientInformation;
  saved?: StoredOAuthTokens;
  discovered?: OAuthDiscoveryState;
  #verifier = '';
  get clientMetadata() {
    return new AssistantAuth().clientMetadata;
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: StoredOAuthClientInformation) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.#verifier = verifier;
  }
  codeVerifier() {
    return this.#verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovered = state;
  }
  discoveryState() {
    return this.discovered;
  }
}

/** A merge that needs an approval: what an assistant proposes for the signed-in person. */
const merges: Connector = {
  specificationVersion: 'v1',
  id: 'test',
  async sync() {},
  actions: [
    defineActionType({
      type: 'test.pr.merge',
      description: 'Merge a pull request',
      risk: 'high',
      params: z.strictObject({ repository: z.string(), number: z.int().positive() }),
      execute: async () => ({ merged: true }),
    }),
  ],
};

let now = Date.parse('2026-11-20T09:00:00Z');
let ts: TeamState;
let fake: FakeProviders;
let http: Server;
let base: string;
let endpoint: URL;
let oauth: OAuthEndpoints;
let mcp: McpHttpHandler;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  fake = await fakeProviders();
  ts = await createTeamState({
    database: ':memory:',
    clock: () => new Date(now),
    connectors: [merges],
    policy: { actions: { 'test.pr.merge': { risk: 'high', mode: 'require_approval' } }, approvers: { high: ['ben'] } },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'pay', name: 'Payments' },
      { id: 'growth', name: 'Growth' },
    ],
    people: [
      { id: 'ana', name: 'Ana', teams: ['pay'] },
      { id: 'ben', name: 'Ben', teams: ['pay'] },
      { id: 'gus', name: 'Gus', teams: ['growth'] },
    ],
    reports: [{ person: 'ben', day: '2026-11-19', text: 'Refund retries behind the acquirer sandbox' }],
  });
  await ts.people.resolve([
    { provider: 'github', id: '1001', login: 'anag', person: 'ana' },
    { provider: 'github', id: '1004', login: 'gusg', person: 'gus' },
    { provider: 'slack', id: 'U01BEN', person: 'ben' },
  ]);
  const routes: Record<string, RouteHandler | Route> = {};
  http = createHttpServer(ts, routes);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  endpoint = new URL(`${base}/mcp`);
  // The assistant's metadata document lives at an https URL; its bytes come from the fake host over real HTTP.
  const viaFake: typeof fetch = (input, init) =>
    fetch(
      String(input).startsWith('https://assistant.example/') ? String(input).replace('https://assistant.example', fake.base) : input,
      init,
    );
  oauth = createOAuthEndpoints(ts, {
    auth: { github: { ...GITHUB_APP, baseUrl: `${fake.base}/api/v3` } },
    publicUrl: base,
    fetch: viaFake,
  });
  mcp = createMcpHttpHandler(ts, { token: SHARED, resourceMetadataUrl: oauth.resourceMetadataUrl });
  Object.assign(routes, { '/mcp': mcp.route, ...oauth.routes });
});
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  await mcp.close();
  await new Promise((resolve) => http.close(resolve));
  await ts.close();
  await fake.close();
});

/** Where a browser ended: the client's redirect URI it was sent to, or a page (the consent page has a form). */
interface Visit {
  landed?: URL;
  status: number;
  text: string;
  headers?: Headers;
  /** The consent page's CSRF token and form action, when the page is the consent page. */
  csrf?: string;
  action?: string;
}

/** A person's browser: follows redirects and keeps the cookies the server sets, as a browser does. */
class Browser {
  readonly cookies = new Map<string, string>();
  #keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (/;\s*Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async #read(response: Response): Promise<Visit> {
    const text = await response.text();
    const csrf = /<input type="hidden" name="csrf_token" value="([^"]*)">/.exec(text)?.[1];
    const action = /<form method="post" action="([^"]*)">/.exec(text)?.[1];
    return { status: response.status, text, headers: response.headers, ...(csrf ? { csrf, action } : {}) };
  }
  async #follow(first: Response, until: string): Promise<Visit> {
    let response = first;
    for (let hop = 0; hop < 10; hop++) {
      this.#keep(response);
      if (response.status !== 302) return this.#read(response);
      const url = new URL(response.headers.get('location')!, response.url || base).toString();
      if (url.startsWith(until)) return { landed: new URL(url), status: 302, text: '' };
      response = await fetch(url, { redirect: 'manual', headers: this.cookies.size > 0 ? { cookie: this.cookieHeader } : {} });
    }
    throw new Error('too many redirects');
  }
  /** Opens `start` and follows redirects until one leaves for `until` (the client's redirect URI) or a page answers. */
  async visit(start: string | URL, until = REDIRECT): Promise<Visit> {
    if (String(start).startsWith(until)) return { landed: new URL(String(start)), status: 302, text: '' };
    const response = await fetch(String(start), {
      redirect: 'manual',
      headers: this.cookies.size > 0 ? { cookie: this.cookieHeader } : {},
    });
    return this.#follow(response, until);
  }
  /** Clicks Allow or Deny on the consent page `page`; `forge` changes what a forged answer would send instead. */
  async answer(
    page: Visit,
    decision: 'allow' | 'deny',
    forge: { csrf?: string | null; cookie?: string | null; origin?: string } = {},
    until = REDIRECT,
  ): Promise<Visit> {
    const form = new URLSearchParams({ decision });
    const csrf = forge.csrf === undefined ? page.csrf : forge.csrf;
    if (csrf !== null && csrf !== undefined) form.set('csrf_token', csrf);
    const cookie = forge.cookie === undefined ? this.cookieHeader : forge.cookie;
    const response = await fetch(page.action ?? `${base}/oauth/consent`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie ? { cookie } : {}),
        ...(forge.origin ? { origin: forge.origin } : {}),
      },
      body: form,
    });
    return this.#follow(response, until);
  }
}

/**
 * Follows redirects as a browser would, until one leaves for `until` (the assistant's redirect URI) or a page answers;
 * with `consent`, the person answers the consent page when it is shown.
 */
async function browse(start: string | URL, until = REDIRECT, consent?: 'allow' | 'deny'): Promise<Visit> {
  const browser = new Browser();
  const first = await browser.visit(start, until);
  return consent && first.csrf ? browser.answer(first, consent, {}, until) : first;
}

/** Signs in through the SDK client's OAuth flow as a GitHub user; returns the connected client. */
async function signIn(auth: AssistantAuth, user = GITHUB_USER): Promise<Client> {
  fake.signInAs(user);
  const first = new Client({ name: 'acme-assistant', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(endpoint, { authProvider: auth });
  await expect(first.connect(transport)).rejects.toThrow(UnauthorizedError);
  const { landed, text } = await browse(auth.authorizationUrl!, REDIRECT, 'allow');
  if (!landed) throw new Error(`sign-in stopped at a page: ${text}`);
  expect(landed.searchParams.get('iss')).toBe(base);
  await transport.finishAuth(landed.searchParams.get('code')!);
  const client = new Client({ name: 'acme-assistant', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(endpoint, { authProvider: auth }));
  closers.push(() => client.close());
  return client;
}

// biome-ignore lint/suspicious/noExplicitAny: each caller reads the fields of the tool's own output schema
async function tool(client: Client, name: string, args: Record<string, unknown>): Promise<{ error?: string; value?: any }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
  return result.isError ? { error: text } : { value: result.structuredContent };
}

/** A client registered through dynamic registration, for requests made by hand. */
async function registered(): Promise<string> {
  const response = await fetch(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'By hand', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { client_id: string }).client_id;
}

function authorizeUrl(params: Record<string, string>): string {
  return `${base}/oauth/authorize?${new URLSearchParams(params)}`;
}

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('remote MCP over OAuth 2.1 (docs/remote-mcp.md)', () => {
  it('answers /mcp without a token with 401 and resource_metadata, and publishes both metadata documents', async () => {
    const refused = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(
      `Bearer realm="teamstate", resource_metadata="${base}/.well-known/oauth-protected-resource"`,
    );
    const resource = await (await fetch(`${base}/.well-known/oauth-protected-resource`)).json();
    expect(resource).toMatchObject({
      resource: `${base}/mcp`,
      authorization_servers: [base],
      scopes_supported: ['read', 'propose', 'write'],
    });
    const server = await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json();
    expect(server).toMatchObject({
      issuer: base,
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/oauth/token`,
      registration_endpoint: `${base}/oauth/register`,
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: true,
      scopes_supported: ['read', 'propose', 'write'],
    });
  });

  it('signs in with dynamic registration through GitHub and runs every tool as the signed-in person', async () => {
    const auth = new AssistantAuth();
    const client = await signIn(auth);
    expect(auth.information?.client_id).toMatch(/^tsc_/);
    expect(auth.saved).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read propose write' });
    expect(auth.saved?.scope).not.toContain('decide');
    const filed = await tool(client, 'submit_daily_report', { text: 'Shipped the OAuth sign-in' });
    expect(filed.value).toMatchObject({ report: { person: 'ana', source: 'mcp', text: 'Shipped the OAuth sign-in' } });
    const proposed = await tool(client, 'propose_action', {
      type: 'test.pr.merge',
      target: 'acme/api#9',
      params: { repository: 'acme/api', number: 9 },
      reason: 'asked to',
    });
    expect(proposed.value).toMatchObject({ requestedBy: 'assistant', onBehalfOf: 'ana', status: 'pending' });
    const grants = (await ts.tokens.list()).filter((t) => t.kind === 'oauth');
    expect(grants).toEqual([
      expect.objectContaining({ person: 'ana', client: auth.information?.client_id, scopes: ['read', 'propose', 'write'] }),
    ]);
  });

  it('signs in with a client ID metadata document (an https client_id)', async () => {
    const auth = new AssistantAuth(CLIENT_DOCUMENT_URL);
    const client = await signIn(auth);
    expect(auth.information?.client_id).toBe(CLIENT_DOCUMENT_URL);
    const overview = await tool(client, 'team_overview', {});
    expect(overview.error).toBeUndefined();
    expect((await ts.oauth.grants()).some((g) => g.client === CLIENT_DOCUMENT_URL && g.clientName === 'Acme Assistant')).toBe(true);
  });

  it('refuses an authorization request without PKCE, with plain PKCE, or asking for decide, at the redirect URI', async () => {
    const clientId = await registered();
    const common = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, state: 'xyz' };
    const cases: [Record<string, string>, string, RegExp][] = [
      [common, 'invalid_request', /^code_challenge: required \(PKCE with S256\)/],
      [{ ...common, code_challenge: CHALLENGE, code_challenge_method: 'plain' }, 'invalid_request', /^code_challenge_method: must be S256/],
      [{ ...common, code_challenge: CHALLENGE }, 'invalid_request', /^code_challenge_method: must be S256/],
      [
        { ...common, code_challenge: CHALLENGE, code_challenge_method: 'S256', scope: 'read decide' },
        'invalid_scope',
        /decide is never granted/,
      ],
    ];
    for (const [params, error, description] of cases) {
      const { landed } = await browse(authorizeUrl(params));
      expect(landed?.searchParams.get('error')).toBe(error);
      expect(landed?.searchParams.get('error_description')).toMatch(description);
      expect(landed?.searchParams.get('state')).toBe('xyz');
      expect(landed?.searchParams.get('code')).toBeNull();
    }
  });

  it('refuses a redirect URI that is not exactly a registered one, without redirecting to it', async () => {
    const clientId = await registered();
    for (const redirectUri of [`${REDIRECT}/`, 'http://127.0.0.1:33419/oauth/callback', `${REDIRECT}?next=1`, 'https://evil.example/cb']) {
      const response = await fetch(
        authorizeUrl({
          response_type: 'code',
          client_id: clientId,
          redirect_uri: redirectUri,
          code_challenge: CHALLENGE,
          code_challenge_method: 'S256',
        }),
        { redirect: 'manual' },
      );
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toMatch(/redirect_uri: not registered for this client \(redirect URIs must match exactly\)/);
    }
    const refused = await fetch(`${base}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: ['javascript:alert(1)'] }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: 'invalid_redirect_uri',
      error_description: 'redirect_uris[0]: the javascript: scheme is not allowed',
    });
  });

  it('refuses a GitHub account that is not linked to a person, saying how to link it', async () => {
    const auth = new AssistantAuth();
    fake.signInAs({ login: 'ulla', id: 1009 });
    const first = new Client({ name: 'acme-assistant', version: '1.0.0' });
    await expect(first.connect(new StreamableHTTPClientTransport(endpoint, { authProvider: auth }))).rejects.toThrow(UnauthorizedError);
    const page = await browse(auth.authorizationUrl!);
    expect(page.landed).toBeUndefined();
    expect(page.status).toBe(403);
    expect(page.text).toContain('Sign-in refused: the GitHub account ulla (id 1009) is not linked to a person in teamstate.');
    expect(page.text).toContain('add "github: ulla" to your entry under people:');
    expect(page.text).toContain('teamstate people link github:1009 <your person id>');
  });

  it('refreshes an expired access token through the SDK, rotating the refresh token, and revokes the sign-in on reuse', async () => {
    const auth = new AssistantAuth();
    const client = await signIn(auth);
    const first = auth.saved!;
    now += 61 * 60_000;
    // The access token has expired: the SDK gets 401, refreshes, and retries.
    expect((await tool(client, 'team_overview', {})).error).toBeUndefined();
    const second = auth.saved!;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    // Past the 30 s in which a client refreshing from two requests at once may present it again.
    now += 31_000;
    const reuse = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token!,
        client_id: String(auth.information?.client_id),
      }),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/already used; this sign-in is revoked/),
    });
    const after = await fetch(endpoint, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${second.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(after.status).toBe(401);
  });

  it('ends a sign-in revoked through ts.tokens (teamstate tokens revoke), and personal tokens keep working', async () => {
    const auth = new AssistantAuth();
    const client = await signIn(auth);
    const grant = (await ts.tokens.authenticate(auth.saved!.access_token))!;
    await ts.tokens.revoke(grant.id);
    await expect(client.callTool({ name: 'team_overview', arguments: {} })).rejects.toThrow();
    const personal = await ts.tokens.create({ person: 'ana' });
    const byToken = new Client({ name: 'personal', version: '1.0.0' });
    await byToken.connect(
      new StreamableHTTPClientTransport(endpoint, { requestInit: { headers: { authorization: `Bearer ${personal.token}` } } }),
    );
    closers.push(() => byToken.close());
    expect((await tool(byToken, 'team_overview', {})).error).toBeUndefined();
  });

  it('reads as the signed-in person: a member of Growth cannot read the reports of Payments', async () => {
    const gus = await signIn(new AssistantAuth(), { login: 'gusg', id: 1004 });
    const ana = await signIn(new AssistantAuth());
    expect((await tool(gus, 'search_reports', { query: 'acquirer', team: 'pay' })).error).toBe(
      'forbidden: reports of team pay are visible to that team and its leads',
    );
    expect((await tool(gus, 'search_reports', { query: 'acquirer' })).value.reports).toEqual([]);
    expect((await tool(ana, 'search_reports', { query: 'acquirer' })).value.reports).toHaveLength(1);
  });

  it('signs in through Slack (OpenID Connect) as the person the Slack user is linked to', async () => {
    const slack = identityProvider({ slack: { clientId: '4242.1717', clientSecret: 'slack-secret', baseUrl: fake.base } });
    const url = new URL(slack.authorizeUrl({ state: 'h', redirectUri: `${base}/oauth/callback` }));
    expect(url.pathname).toBe('/openid/connect/authorize');
    expect(url.searchParams.get('scope')).toBe('openid profile');
    // A second server whose people sign in with Slack.
    const routes: Record<string, RouteHandler | Route> = {};
    const slackServer = createHttpServer(ts, routes);
    await new Promise<void>((resolve) => slackServer.listen(0, '127.0.0.1', resolve));
    const slackBase = `http://127.0.0.1:${(slackServer.address() as AddressInfo).port}`;
    const endpoints = createOAuthEndpoints(ts, {
      auth: { slack: { clientId: '4242.1717', clientSecret: 'slack-secret', baseUrl: fake.base } },
      publicUrl: slackBase,
    });
    const handler = createMcpHttpHandler(ts, { token: SHARED, resourceMetadataUrl: endpoints.resourceMetadataUrl });
    Object.assign(routes, { '/mcp': handler.route, ...endpoints.routes });
    closers.push(async () => {
      await handler.close();
      await new Promise((resolve) => slackServer.close(resolve));
    });
    const auth = new AssistantAuth();
    const transport = new StreamableHTTPClientTransport(new URL(`${slackBase}/mcp`), { authProvider: auth });
    await expect(new Client({ name: 'acme-assistant', version: '1.0.0' }).connect(transport)).rejects.toThrow(UnauthorizedError);
    const { landed } = await browse(auth.authorizationUrl!, REDIRECT, 'allow');
    await transport.finishAuth(landed!.searchParams.get('code')!);
    const client = new Client({ name: 'acme-assistant', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${slackBase}/mcp`), { authProvider: auth }));
    closers.push(() => client.close());
    const filed = await tool(client, 'submit_daily_report', { text: 'Signed in with Slack' });
    expect(filed.value).toMatchObject({ report: { person: 'ben', source: 'mcp' } });
    expect((await ts.oauth.grants()).find((g) => g.person === 'ben')).toMatchObject({ account: 'slack:U01BEN' });
  });

  it('answers a presented but invalid, expired or revoked token with error="invalid_token" (RFC 6750)', async () => {
    const ping = (token: string) =>
      fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
    const invalid = `Bearer realm="teamstate", error="invalid_token", error_description="the access token is invalid, expired or revoked", resource_metadata="${base}/.well-known/oauth-protected-resource"`;
    const unknown = await ping('tsa_not-a-token-this-server-issued');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe(invalid);
    const auth = new AssistantAuth();
    await signIn(auth);
    const token = auth.saved!.access_token;
    expect((await ping(token)).status).not.toBe(401);
    now += 61 * 60_000;
    const expired = await ping(token);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe(invalid);
  });

  it('revokes a sign-in at /oauth/revoke (RFC 7009): the client’s own tokens only, 200 for an unknown token', async () => {
    const server = (await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(server).toMatchObject({ revocation_endpoint: `${base}/oauth/revoke`, revocation_endpoint_auth_methods_supported: ['none'] });
    const auth = new AssistantAuth();
    await signIn(auth);
    const { access_token: access, refresh_token: refresh } = auth.saved!;
    const clientId = String(auth.information?.client_id);
    const revoke = (params: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${base}/oauth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(params),
      });
    const anonymous = await revoke({ token: refresh! });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: 'invalid_client', error_description: 'client_id: required' });
    const byOther = await revoke({ token: refresh!, client_id: await registered() });
    expect(byOther.status).toBe(400);
    expect(await byOther.json()).toMatchObject({ error: 'invalid_grant' });
    const noToken = await revoke({ client_id: clientId });
    expect(noToken.status).toBe(400);
    expect(await noToken.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/^token: required/) });
    expect((await revoke({ token: 'tsr_never-issued-by-this-server', client_id: clientId })).status).toBe(200);
    expect(await ts.tokens.authenticate(access)).toMatchObject({ person: 'ana' });
    // The client authenticates as at the token endpoint: client_id in the body, or HTTP Basic with an empty secret.
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:`).toString('base64');
    const revoked = await revoke({ token: refresh!, token_type_hint: 'refresh_token' }, { authorization: `Basic ${basic}` });
    expect(revoked.status).toBe(200);
    expect(await ts.tokens.authenticate(access)).toBeUndefined();
    const refreshed = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh!, client_id: clientId }),
    });
    expect(await refreshed.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/revoked/) });
    expect((await revoke({ token: refresh!, client_id: clientId })).status).toBe(200);
  });

  it('bounds dynamic registration: 429 with Retry-After per address, and the oldest unused clients are forgotten', async () => {
    let clock = Date.parse('2026-11-20T09:00:00Z');
    const routes: Record<string, RouteHandler | Route> = {};
    const server = createHttpServer(ts, routes);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const limitedBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const limited = createOAuthEndpoints(ts, {
      auth: { github: { ...GITHUB_APP, baseUrl: `${fake.base}/api/v3` } },
      publicUrl: limitedBase,
      clock: () => new Date(clock),
      registration: { maxPerAddress: 3, windowSeconds: 60, maxUnusedClients: 2 },
    });
    Object.assign(routes, limited.routes);
    const register = () =>
      fetch(`${limitedBase}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'Burst', redirect_uris: [REDIRECT] }),
      });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await register();
      expect(answer.status).toBe(201);
      ids.push(((await answer.json()) as { client_id: string }).client_id);
    }
    const refused = await register();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(await refused.json()).toEqual({
      error: 'rate_limited',
      error_description:
        'too many client registrations from your address (at most 3 in 60 s); retry after 60 s, or use a client ID metadata document',
    });
    clock += 45_000;
    expect((await register()).headers.get('retry-after')).toBe('15');
    clock += 15_000;
    const later = await register();
    expect(later.status).toBe(201);
    ids.push(((await later.json()) as { client_id: string }).client_id);
    // At most 2 clients nobody signed in with are kept: the oldest are forgotten, the newest stay.
    const kept = await Promise.all(ids.map(async (id) => (await ts.oauth.client(id)) !== undefined));
    expect(kept).toEqual([false, false, true, true]);
  });
  it('signs in with the v2 SDK client on the 2026-07-28 protocol, refreshes, and calls tools as the signed-in person', async () => {
    fake.signInAs({ login: 'gusg', id: 1004 });
    const auth = new AssistantAuthV2();
    const modern = { versionNegotiation: { mode: { pin: '2026-07-28' } } } as const;
    const first = new HttpTransportV2(endpoint, { authProvider: auth });
    await expect(new ClientV2({ name: 'acme-assistant-v2', version: '2.0.0' }, modern).connect(first)).rejects.toThrow(UnauthorizedErrorV2);
    expect(auth.authorizationUrl?.searchParams.get('code_challenge_method')).toBe('S256');
    const { landed, text } = await browse(auth.authorizationUrl!, REDIRECT, 'allow');
    if (!landed) throw new Error(`sign-in stopped at a page: ${text}`);
    // The v2 client checks the callback's iss against the issuer it discovered (RFC 9207) before redeeming the code.
    await first.finishAuth(landed.searchParams);
    expect(auth.information?.client_id).toMatch(/^tsc_/);
    expect(auth.saved).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read propose write' });
    const client = new ClientV2({ name: 'acme-assistant-v2', version: '2.0.0' }, modern);
    await client.connect(new HttpTransportV2(endpoint, { authProvider: auth }));
    closers.push(() => client.close());
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
      return result.isError ? { error: text } : { value: result.structuredContent as Record<string, unknown> };
    };
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('submit_daily_report');
    expect((await call('submit_daily_report', { text: 'Signed in with the v2 client' })).value).toMatchObject({
      report: { person: 'gus', source: 'mcp', text: 'Signed in with the v2 client' },
    });
    expect((await call('search_reports', { query: 'acquirer', team: 'pay' })).error).toBe(
      'forbidden: reports of team pay are visible to that team and its leads',
    );
    // An hour later the access token has expired: the v2 client refreshes (rotating the refresh token) and retries.
    const before = auth.saved!;
    now += 61 * 60_000;
    expect((await call('team_overview', {})).error).toBeUndefined();
    expect(auth.saved?.access_token).not.toBe(before.access_token);
    expect(auth.saved?.refresh_token).not.toBe(before.refresh_token);
    expect(await ts.tokens.authenticate(auth.saved!.access_token)).toMatchObject({ person: 'gus' });
  });
});

describe('consent at sign-in: a registered client gets a code only once the person allows it', () => {
  const EVIL = 'https://evil.example/steal';
  const attackerVerifier = randomBytes(32).toString('base64url');
  const attackerChallenge = createHash('sha256').update(attackerVerifier).digest('base64url');

  /** What the attacker does: registers a client sending codes to their own address, under a name of their choosing. */
  async function registerEvil(name = '<script>alert(1)</script> Acme "Assistant"'): Promise<string> {
    const response = await fetch(`${base}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: name, redirect_uris: [EVIL] }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { client_id: string }).client_id;
  }
  /** The link the attacker sends the victim: their client, their PKCE challenge. */
  const link = (clientId: string, scope?: string) =>
    authorizeUrl({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: EVIL,
      code_challenge: attackerChallenge,
      code_challenge_method: 'S256',
      state: 'attacker-state',
      ...(scope ? { scope } : {}),
    });
  const redeem = (clientId: string, code: string) =>
    fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: clientId,
        redirect_uri: EVIL,
        code_verifier: attackerVerifier,
      }),
    });

  it('stops one click on an attacker’s link at a consent page naming the client, its redirect host and the scopes; Deny sends access_denied', async () => {
    const clientId = await registerEvil();
    // The victim has authorized teamstate's GitHub app before: GitHub sends them straight back.
    fake.signInAs(GITHUB_USER);
    const victim = new Browser();
    const shown = await victim.visit(link(clientId), EVIL);
    // Before consent existed the browser landed at the attacker's URI with a code for the victim.
    expect(shown.landed).toBeUndefined();
    expect(shown.status).toBe(200);
    expect(shown.headers?.get('content-type')).toBe('text/html; charset=utf-8');
    expect(shown.text).toContain('&#60;script&#62;alert(1)&#60;/script&#62; Acme &#34;Assistant&#34;');
    expect(shown.text).not.toContain('<script');
    expect(shown.text).toContain('<strong>evil.example</strong>');
    expect(shown.text).toContain(clientId);
    expect(shown.text).toContain('You are signed in as <strong>ana</strong> (GitHub account anag)');
    for (const scope of ['read:', 'propose:', 'write:']) expect(shown.text).toContain(`<li>${scope}`);
    expect(shown.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Clickjacking and script injection: never framed, no script at all, nothing loaded from anywhere.
    const csp = shown.headers?.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self' https:\/\/evil\.example;/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(shown.headers?.get('x-frame-options')).toBe('DENY');
    expect(shown.headers?.get('referrer-policy')).toBe('same-origin');
    const cookie = shown.headers?.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^teamstate_consent=[A-Za-z0-9_-]{43}; Max-Age=900; Path=\/oauth; HttpOnly; SameSite=Strict$/);
    // No code exists for the attacker to redeem until the victim answers.
    expect((await ts.oauth.grants()).filter((g) => g.client === clientId)).toEqual([]);
    const denied = await victim.answer(shown, 'deny', {}, EVIL);
    expect(denied.landed?.searchParams.get('error')).toBe('access_denied');
    expect(denied.landed?.searchParams.get('code')).toBeNull();
    expect(denied.landed?.searchParams.get('state')).toBe('attacker-state');
    expect(denied.landed?.searchParams.get('iss')).toBe(base);
    expect(await ts.oauth.consents({ person: 'ana' })).not.toContainEqual(expect.objectContaining({ client: clientId }));
  });

  it('refuses a forged Allow: no or a wrong CSRF token, no session, another person’s session, another origin, a replayed form', async () => {
    const clientId = await registerEvil('Acme Assistant');
    fake.signInAs(GITHUB_USER);
    const ana = new Browser();
    const page = await ana.visit(link(clientId), EVIL);
    fake.signInAs({ login: 'gusg', id: 1004 });
    const gus = new Browser();
    const gusPage = await gus.visit(link(clientId), EVIL);
    expect(gusPage.text).toContain('You are signed in as <strong>gus</strong>');
    const forgeries: [string, Parameters<Browser['answer']>[2], number][] = [
      ['no CSRF token', { csrf: null }, 403],
      ['a wrong CSRF token', { csrf: randomBytes(32).toString('base64url') }, 403],
      ['no session cookie (a cross-site POST)', { cookie: null }, 400],
      ['another person’s session with this page’s token', { cookie: gus.cookieHeader }, 403],
      ['another origin', { origin: 'https://evil.example' }, 403],
    ];
    for (const [what, forge, status] of forgeries) {
      const forged = await ana.answer(page, 'allow', forge, EVIL);
      expect([what, forged.landed?.toString(), forged.status]).toEqual([what, undefined, status]);
    }
    // Nothing was remembered and no code was issued to anyone.
    expect((await ts.oauth.consents()).filter((c) => c.client === clientId)).toEqual([]);
    const allowed = await ana.answer(page, 'allow', {}, EVIL);
    const code = allowed.landed?.searchParams.get('code');
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(allowed.landed?.searchParams.get('state')).toBe('attacker-state');
    expect(
      await ts.tokens.authenticate(((await (await redeem(clientId, code!)).json()) as { access_token: string }).access_token),
    ).toMatchObject({
      person: 'ana',
    });
    // The same form again (a replay, with the session cookie the browser had) issues nothing.
    const replayed = await ana.answer(
      page,
      'allow',
      { cookie: `teamstate_consent=${/teamstate_consent=([^;]+)/.exec(page.headers?.getSetCookie()[0] ?? '')?.[1]}` },
      EVIL,
    );
    expect([replayed.landed, replayed.status]).toEqual([undefined, 400]);
    expect(replayed.text).toContain('expired or was already answered');
    // Gus's own page is still his to answer.
    expect((await gus.answer(gusPage, 'deny', {}, EVIL)).landed?.searchParams.get('error')).toBe('access_denied');
  });

  it('remembers an Allow per (person, client, scopes), asks again for other scopes, and again after revocation', async () => {
    const clientId = await registerEvil('Acme Assistant');
    fake.signInAs(GITHUB_USER);
    const first = await browse(link(clientId), EVIL, 'allow');
    expect(first.landed?.searchParams.get('code')).toBeTruthy();
    expect(await ts.oauth.consents({ person: 'ana' })).toContainEqual({
      person: 'ana',
      client: clientId,
      clientName: 'Acme Assistant',
      scopes: ['read', 'propose', 'write'],
      redirectUri: EVIL,
      grantedAt: expect.any(String),
      lastUsedAt: expect.any(String),
    });
    // The same person, client and scopes: straight back with a code.
    const again = await new Browser().visit(link(clientId), EVIL);
    const code = again.landed?.searchParams.get('code');
    expect(code).toBeTruthy();
    const tokens = (await (await redeem(clientId, code!)).json()) as { access_token: string };
    // Other scopes, or another person: the page again.
    expect((await new Browser().visit(link(clientId, 'read'), EVIL)).csrf).toBeDefined();
    fake.signInAs({ login: 'gusg', id: 1004 });
    expect((await new Browser().visit(link(clientId), EVIL)).csrf).toBeDefined();
    // Revoking the client for ana ends her sign-in and its tokens; her next sign-in asks again.
    expect(await ts.oauth.revokeClient({ client: clientId, person: 'ana' })).toEqual({ consents: 1, signIns: 1 });
    expect(await ts.tokens.authenticate(tokens.access_token)).toBeUndefined();
    fake.signInAs(GITHUB_USER);
    const after = await new Browser().visit(link(clientId), EVIL);
    expect([after.landed, after.csrf === undefined]).toEqual([undefined, false]);
    await expect(ts.oauth.revokeClient({ client: 'tsc_never_registered' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('issues no code without consent, whatever calls it', async () => {
    const request = {
      clientId: await registerEvil('Acme Assistant'),
      redirectUri: EVIL,
      codeChallenge: attackerChallenge,
      scopes: ['read' as const],
    };
    await expect(ts.oauth.issueCode(request, { person: 'ana', account: 'github:1001' })).rejects.toMatchObject({
      error: 'access_denied',
    });
  });
});

// Debian's chromium, as the web page's browser test uses.
const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('the consent page in headless Chromium', () => {
  it('allows a client by clicking Allow: the answer is accepted as coming from the page, and the client gets a code', {
    timeout: 120_000,
  }, async () => {
    // The assistant's redirect URI: a local server that answers whatever the browser is sent to it with.
    const client = createServer((_request, response) => void response.writeHead(200, { 'content-type': 'text/plain' }).end('signed in'));
    await new Promise<void>((resolve) => client.listen(0, '127.0.0.1', resolve));
    const callback = `http://127.0.0.1:${(client.address() as AddressInfo).port}/callback`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-sync'],
    });
    try {
      const registered = await fetch(`${base}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'Browser Assistant', redirect_uris: [callback] }),
      });
      const clientId = ((await registered.json()) as { client_id: string }).client_id;
      fake.signInAs(GITHUB_USER);
      const page = await (await browser.newContext()).newPage();
      await page.goto(
        authorizeUrl({
          response_type: 'code',
          client_id: clientId,
          redirect_uri: callback,
          code_challenge: CHALLENGE,
          code_challenge_method: 'S256',
          state: 'browser-state',
        }),
      );
      expect(await page.locator('button[value="allow"]').textContent()).toBe('Allow');
      const [answer] = await Promise.all([page.waitForResponse(`${base}/oauth/consent`), page.click('button[value="allow"]')]);
      // A page whose Referrer-Policy is no-referrer would make the browser send `Origin: null`, which is refused.
      const origin = await answer.request().headerValue('origin');
      expect([answer.status(), origin], await answer.text().catch(() => '')).toEqual([302, base]);
      await page.waitForURL((url) => url.href.startsWith(callback));
      const landed = new URL(page.url());
      expect(landed.searchParams.get('code')).toMatch(/\S{20,}/);
      expect(landed.searchParams.get('state')).toBe('browser-state');
      expect(await ts.oauth.consents({ person: 'ana' })).toContainEqual(expect.objectContaining({ client: clientId }));
    } finally {
      await browser.close();
      await new Promise((resolve) => client.close(resolve));
    }
  });
});
