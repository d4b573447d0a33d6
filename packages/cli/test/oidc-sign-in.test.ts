import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTeamState, type TeamState } from '@teamstate/core';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, type RouteHandler } from '../src/server/create-http-server.js';
import { createOAuthEndpoints } from '../src/server/oauth/oauth-endpoints.js';

// OpenID Connect sign-in (auth.oidc) for remote MCP, against a fake provider that is a real local HTTP server with a
// generated RS256 key pair: discovery, PKCE S256 (the fake checks the verifier), the id_token checked against the JWKS
// (signature, iss, aud, exp, nonce; never alg none), email -> person, unverified and unlinked emails refused.
const CLIENT = { clientId: 'teamstate-web', clientSecret: randomBytes(20).toString('hex') };
const REDIRECT = 'http://127.0.0.1:33418/oauth/callback';

type Claims = Record<string, unknown>;
/** How the fake signs the next id_token: the claims on top of the good ones, and how it is made. */
interface Next {
  claims?: (good: Claims) => Claims;
  token?: (claims: Claims) => Promise<string>;
}

interface FakeIdp {
  issuer: string;
  next: Next;
  /** The nonce of the last completed authorization at the fake. */
  lastNonce?: string;
  /** Token requests whose PKCE verifier or client authentication was wrong. */
  refusedTokenRequests: number;
  server: Server;
}

let fake: FakeIdp;
/** A private key of the fake provider. */
type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let signing: Key;
let otherKey: Key;
let ts: TeamState;
let base: string;
let http: Server;
const routes: Record<string, RouteHandler> = {};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function startFake(): Promise<FakeIdp> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  signing = privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; nonce: string; sub: string }>();
  const state: FakeIdp = { issuer: '', next: {}, refusedTokenRequests: 0, server: undefined as unknown as Server };
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const json = (status: number, body: unknown) =>
      void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/.well-known/openid-configuration')
      return json(200, {
        issuer: state.issuer,
        authorization_endpoint: `${state.issuer}/authorize`,
        token_endpoint: `${state.issuer}/token`,
        jwks_uri: `${state.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        code_challenge_methods_supported: ['S256'],
      });
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== CLIENT.clientId || q.get('code_challenge_method') !== 'S256' || !q.get('nonce'))
        return json(400, { error: 'invalid_request' });
      const code = randomBytes(8).toString('hex');
      codes.set(code, { challenge: q.get('code_challenge')!, nonce: q.get('nonce')!, sub: q.get('login_hint') ?? '00u1' });
      state.lastNonce ??= q.get('nonce')!;
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state')!);
      return void response.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const basic = `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`;
      const verifier = form.get('code_verifier') ?? '';
      if (
        !grant ||
        request.headers.authorization !== basic ||
        createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
      ) {
        state.refusedTokenRequests++;
        return json(400, { error: 'invalid_grant' });
      }
      const now = Math.floor(Date.now() / 1000);
      const good: Claims = {
        iss: state.issuer,
        aud: CLIENT.clientId,
        sub: grant.sub,
        iat: now,
        exp: now + 300,
        nonce: grant.nonce,
        email: 'ana@acme.example',
        email_verified: true,
      };
      const claims = state.next.claims ? state.next.claims(good) : good;
      const token = state.next.token
        ? await state.next.token(claims)
        : await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(signing);
      return json(200, { access_token: 'at', token_type: 'Bearer', id_token: token, expires_in: 300 });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.server = server;
  return state;
}

beforeAll(async () => {
  fake = await startFake();
  ts = await createTeamState({ database: ':memory:' });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [
      { id: 'ana', name: 'Ana', email: 'Ana@acme.example' },
      { id: 'ben', name: 'Ben', email: 'ben@acme.example' },
    ],
  });
  http = createHttpServer(ts, routes);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  Object.assign(routes, createOAuthEndpoints(ts, { auth: { oidc: { issuer: fake.issuer, ...CLIENT } }, publicUrl: base }).routes);
});

afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
  await new Promise((resolve) => fake.server.close(resolve));
  await ts.close();
});

async function clientId(): Promise<string> {
  const response = await fetch(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'Assistant', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }),
  });
  return ((await response.json()) as { client_id: string }).client_id;
}

/** One sign-in through teamstate and the fake provider, as a browser follows it; the page teamstate ends on. */
async function signIn(next: Next = {}, sub = '00u1'): Promise<{ status: number; text: string }> {
  fake.next = next;
  const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
  const authorize = await fetch(
    `${base}/oauth/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: await clientId(),
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'read',
      state: 'client-state',
    })}`,
    { redirect: 'manual' },
  );
  expect(authorize.status, await authorize.clone().text()).toBe(302);
  const atProvider = new URL(authorize.headers.get('location')!);
  expect(atProvider.origin + atProvider.pathname).toBe(`${fake.issuer}/authorize`);
  expect(atProvider.searchParams.get('code_challenge_method')).toBe('S256');
  atProvider.searchParams.set('login_hint', sub);
  const back = await fetch(atProvider, { redirect: 'manual' });
  const callback = await fetch(back.headers.get('location')!, { redirect: 'manual' });
  return { status: callback.status, text: await callback.text() };
}

const refused = (page: { status: number; text: string }, reason: RegExp) => {
  expect(page.status).toBe(403);
  expect(page.text).toMatch(/^Sign-in refused/);
  expect(page.text).toMatch(reason);
};

describe('OpenID Connect sign-in', () => {
  it('signs a person in by their verified email (discovery, PKCE, JWKS) and shows the consent page', async () => {
    const page = await signIn();
    expect(page.status, page.text).toBe(200);
    expect(page.text).toContain('Assistant');
    expect(page.text).toContain('ana');
    expect(fake.refusedTokenRequests).toBe(0);
  });

  it('refuses an id_token for another audience', async () => {
    refused(await signIn({ claims: (c) => ({ ...c, aud: 'someone-else' }) }), /id_token was refused.*aud/);
  });

  it('refuses an id_token from another issuer', async () => {
    refused(await signIn({ claims: (c) => ({ ...c, iss: 'https://evil.example' }) }), /id_token was refused.*iss/);
  });

  it('refuses an expired id_token', async () => {
    refused(await signIn({ claims: (c) => ({ ...c, iat: Number(c.iat) - 3600, exp: Number(c.iat) - 600 }) }), /id_token was refused.*exp/);
  });

  it('refuses an unsigned id_token (alg none)', async () => {
    refused(await signIn({ token: async (claims) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.` }), /id_token was refused/);
  });

  it('refuses an id_token with a bad signature', async () => {
    refused(
      await signIn({ token: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(otherKey) }),
      /id_token was refused.*signature/,
    );
  });

  it("refuses an id_token carrying another sign-in's nonce (a replay)", async () => {
    const earlier = fake.lastNonce;
    expect(earlier).toBeDefined();
    refused(await signIn({ claims: (c) => ({ ...c, nonce: earlier }) }), /nonce/);
  });

  it('refuses an email the provider has not verified', async () => {
    refused(await signIn({ claims: (c) => ({ ...c, email_verified: false }) }), /email_verified: false/);
  });

  it('refuses an email linked to nobody, saying how to link it', async () => {
    const page = await signIn({ claims: (c) => ({ ...c, email: 'mallory@acme.example' }) }, '00u9');
    refused(page, /the email mallory@acme\.example is not linked to a person/);
    expect(page.text).toContain('email: mallory@acme.example');
    expect(page.text).toContain('teamstate people link oidc:00u9 <your person id>');
  });

  it('accepts only https issuers (http on loopback only)', async () => {
    const warnings: string[] = [];
    const log = { debug() {}, info() {}, warn: (message: string) => void warnings.push(message), error() {} };
    const endpoints = createOAuthEndpoints(ts, {
      auth: { oidc: { issuer: 'http://idp.acme.example', ...CLIENT } },
      publicUrl: base,
      log,
    });
    const client = await clientId();
    const routesBefore = { ...routes };
    Object.assign(routes, endpoints.routes);
    try {
      const response = await fetch(
        `${base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client, redirect_uri: REDIRECT, code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })}`,
        { redirect: 'manual' },
      );
      expect(response.status).toBe(502);
      expect(await response.text()).toContain('OpenID Connect could not be reached or is misconfigured');
      expect(warnings.join('\n')).toContain('auth.oidc.issuer: http://idp.acme.example is not https');
    } finally {
      Object.assign(routes, routesBefore);
    }
  });

  it('beside GitHub, lets the person choose on a page without script', async () => {
    const endpoints = createOAuthEndpoints(ts, {
      auth: { github: { clientId: 'Iv1.abc', clientSecret: 'gh-secret' }, oidc: { issuer: fake.issuer, ...CLIENT } },
      publicUrl: base,
    });
    const routesBefore = { ...routes };
    Object.assign(routes, endpoints.routes);
    try {
      const chooser = await fetch(
        `${base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: await clientId(), redirect_uri: REDIRECT, code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })}`,
        { redirect: 'manual' },
      );
      expect(chooser.status).toBe(200);
      expect(chooser.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await chooser.text();
      expect(html).toContain('Sign in with GitHub');
      const link = [...html.matchAll(/href="([^"]+)"/g)]
        .map((m) => m[1]!.replace(/&#38;/g, '&'))
        .find((href) => href.includes('provider=oidc'));
      const onward = await fetch(link!, { redirect: 'manual' });
      expect(onward.status).toBe(302);
      const location = new URL(onward.headers.get('location')!);
      expect(location.origin + location.pathname).toBe(`${fake.issuer}/authorize`);
      expect(location.searchParams.get('state')).toMatch(/^oidc\./);
    } finally {
      Object.assign(routes, routesBefore);
    }
  });
});
