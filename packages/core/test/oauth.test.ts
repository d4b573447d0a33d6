import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthorizationRequest, createTeamState, OAuthRequestError, type TeamState } from '../src/index.js';

let folder: string;
let database: string;
let ts: TeamState;
let now = Date.parse('2026-03-18T10:00:00Z');

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-oauth-'));
  database = join(folder, 'teamstate.db');
  now = Date.parse('2026-03-18T10:00:00Z');
  ts = await createTeamState({ database, clock: () => new Date(now) });
  await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ana', name: 'Ana' }] });
});
afterEach(async () => {
  await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');
const request: AuthorizationRequest = {
  clientId: 'tsc_client',
  redirectUri: 'http://127.0.0.1:33418/callback',
  codeChallenge: challenge,
  scopes: ['read', 'propose', 'write'],
  resource: 'https://teamstate.acme.example/mcp',
};

async function refusal(promise: Promise<unknown>): Promise<OAuthRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof OAuthRequestError)) throw new Error(`expected an OAuthRequestError, got ${String(error)}`);
  return error;
}

/** The code of a sign-in the person allowed at the consent page (no code exists without consent). */
async function allowedCode(asked: AuthorizationRequest, person = 'ana'): Promise<string> {
  const page = await ts.oauth.beginConsent(asked, { person, account: 'github:1001' });
  const answer = await ts.oauth.decideConsent({ ...page, allow: true });
  if (answer.outcome !== 'allowed') throw new Error(`the consent page answered ${answer.outcome}`);
  return answer.code;
}

async function signIn() {
  const handle = await ts.oauth.beginAuthorization(request);
  const taken = await ts.oauth.takeAuthorization(handle);
  expect(taken).toEqual(request);
  const code = await allowedCode(request);
  return ts.oauth.exchangeCode({ code, clientId: request.clientId, redirectUri: request.redirectUri, codeVerifier: verifier });
}

describe('ts.oauth (docs/remote-mcp.md)', () => {
  it('issues a 1-hour access token that authenticates as the person, through ts.tokens too, and stores only hashes', async () => {
    const tokens = await signIn();
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'read propose write' });
    const caller = await ts.tokens.authenticate(tokens.access_token);
    expect(caller).toEqual({
      id: expect.stringMatching(/^grt_[0-9a-f]{16}$/),
      person: 'ana',
      scopes: ['read', 'propose', 'write'],
      expiresAt: '2026-03-18T11:00:00.000Z',
    });
    const client = createClient({ url: `file:${database}` });
    const stored = JSON.stringify([
      ...(await client.execute('SELECT * FROM oauth_secrets')).rows,
      ...(await client.execute('SELECT * FROM oauth_grants')).rows,
    ]);
    client.close();
    expect(stored).not.toContain(tokens.access_token);
    expect(stored).not.toContain(tokens.refresh_token);
    now += 60 * 60_000;
    expect(await ts.tokens.authenticate(tokens.access_token)).toBeUndefined();
  });

  it('takes a pending request once', async () => {
    const handle = await ts.oauth.beginAuthorization(request);
    expect(await ts.oauth.takeAuthorization(handle)).toEqual(request);
    expect(await ts.oauth.takeAuthorization(handle)).toBeUndefined();
    const late = await ts.oauth.beginAuthorization(request);
    now += 16 * 60_000;
    expect(await ts.oauth.takeAuthorization(late)).toBeUndefined();
  });

  it('refuses a code without a verifier, with a wrong verifier, a wrong redirect URI, another client, or twice', async () => {
    const code = await allowedCode(request);
    const base = { code, clientId: request.clientId, redirectUri: request.redirectUri };
    expect((await refusal(ts.oauth.exchangeCode(base))).message).toMatch(/^code_verifier: required \(PKCE with S256\)/);
    expect((await refusal(ts.oauth.exchangeCode({ ...base, codeVerifier: randomBytes(32).toString('base64url') }))).error).toBe(
      'invalid_grant',
    );
    const wrongUri = await refusal(
      ts.oauth.exchangeCode({ ...base, redirectUri: 'http://127.0.0.1:33418/callback/', codeVerifier: verifier }),
    );
    expect(wrongUri.message).toMatch(/^redirect_uri: must be exactly/);
    expect((await refusal(ts.oauth.exchangeCode({ ...base, clientId: 'tsc_other', codeVerifier: verifier }))).message).toMatch(
      /^client_id:/,
    );
    const tokens = await ts.oauth.exchangeCode({ ...base, codeVerifier: verifier });
    const again = await refusal(ts.oauth.exchangeCode({ ...base, codeVerifier: verifier }));
    expect(again.message).toMatch(/already used/);
    // A code presented twice ends what its first exchange issued.
    expect(await ts.tokens.authenticate(tokens.access_token)).toBeUndefined();
  });

  it('expires a code after 5 minutes', async () => {
    const code = await allowedCode(request);
    now += 5 * 60_000;
    const expired = await refusal(
      ts.oauth.exchangeCode({ code, clientId: request.clientId, redirectUri: request.redirectUri, codeVerifier: verifier }),
    );
    expect(expired.error).toBe('invalid_grant');
  });

  it('never grants decide', async () => {
    const { parseOAuthScopes } = await import('../src/index.js');
    expect(() => parseOAuthScopes('read decide')).toThrow(/decide is never granted/);
    expect(parseOAuthScopes('read openid')).toEqual(['read']);
    expect(parseOAuthScopes(undefined)).toEqual(['read', 'propose', 'write']);
    const tokens = await signIn();
    const refused = await refusal(ts.oauth.refresh({ refreshToken: tokens.refresh_token, clientId: request.clientId, scopes: ['decide'] }));
    expect(refused.error).toBe('invalid_scope');
  });

  it('rotates refresh tokens, and reuse of a rotated one revokes the whole sign-in', async () => {
    const first = await signIn();
    now += 30 * 60_000;
    const second = await ts.oauth.refresh({ refreshToken: first.refresh_token, clientId: request.clientId });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await ts.tokens.authenticate(second.access_token)).toMatchObject({ person: 'ana' });
    // Narrowing on refresh is allowed; widening is not.
    const third = await ts.oauth.refresh({ refreshToken: second.refresh_token, clientId: request.clientId, scopes: ['read'] });
    expect(third.scope).toBe('read');
    // A client refreshing from two requests at once presents the same token twice within seconds: both get tokens.
    const concurrent = await ts.oauth.refresh({ refreshToken: second.refresh_token, clientId: request.clientId });
    expect(await ts.tokens.authenticate(concurrent.access_token)).toMatchObject({ person: 'ana' });
    now += 31_000;
    const reused = await refusal(ts.oauth.refresh({ refreshToken: first.refresh_token, clientId: request.clientId }));
    expect(reused.message).toMatch(/already used; this sign-in is revoked/);
    expect(await ts.tokens.authenticate(third.access_token)).toBeUndefined();
    expect((await refusal(ts.oauth.refresh({ refreshToken: third.refresh_token, clientId: request.clientId }))).message).toMatch(/revoked/);
    const [grant] = await ts.oauth.grants();
    expect(grant).toMatchObject({ person: 'ana', revokedReason: 'refresh_reuse', account: 'github:1001' });
    const audit = (await ts.audit.list()).map((entry) => entry.type);
    expect(audit).toEqual(expect.arrayContaining(['oauth.granted', 'oauth.revoked']));
  });

  it('lists sign-ins with personal tokens and revokes one through ts.tokens', async () => {
    const personal = await ts.tokens.create({ person: 'ana' });
    now += 1000;
    const tokens = await signIn();
    const listed = await ts.tokens.list();
    expect(listed.map((t) => [t.id.slice(0, 4), t.kind])).toEqual([
      ['grt_', 'oauth'],
      ['tok_', undefined],
    ]);
    expect(listed[0]).toMatchObject({ person: 'ana', client: 'tsc_client', scopes: ['read', 'propose', 'write'] });
    await ts.tokens.revoke(listed[0]!.id);
    expect(await ts.tokens.authenticate(tokens.access_token)).toBeUndefined();
    expect(await refusal(ts.oauth.refresh({ refreshToken: tokens.refresh_token, clientId: request.clientId }))).toMatchObject({
      error: 'invalid_grant',
    });
    expect(await ts.tokens.authenticate(personal.token)).toMatchObject({ person: 'ana' });
    expect((await ts.tokens.list())[0]).toMatchObject({ revokedAt: '2026-03-18T10:00:01.000Z' });
  });

  it('revokes a sign-in through either of its tokens, only for its own client, and ignores unknown tokens (RFC 7009)', async () => {
    expect(await ts.oauth.revokeToken({ token: 'tsr_never-issued', clientId: request.clientId })).toBe(false);
    expect(await ts.oauth.revokeToken({ token: 'not a token', clientId: request.clientId })).toBe(false);
    const tokens = await signIn();
    const other = await refusal(ts.oauth.revokeToken({ token: tokens.refresh_token, clientId: 'tsc_other' }));
    expect(other).toMatchObject({ error: 'invalid_grant', message: expect.stringMatching(/^token: .*another client/) });
    expect(await ts.tokens.authenticate(tokens.access_token)).toMatchObject({ person: 'ana' });
    expect(await ts.oauth.revokeToken({ token: tokens.refresh_token, clientId: request.clientId })).toBe(true);
    expect(await ts.tokens.authenticate(tokens.access_token)).toBeUndefined();
    expect((await refusal(ts.oauth.refresh({ refreshToken: tokens.refresh_token, clientId: request.clientId }))).message).toMatch(
      /revoked/,
    );
    expect(await ts.oauth.revokeToken({ token: tokens.refresh_token, clientId: request.clientId })).toBe(false);
    expect((await ts.oauth.grants())[0]).toMatchObject({ revokedReason: 'revoked_by_client' });
    // An access token ends its whole sign-in too.
    now += 1000;
    const second = await signIn();
    expect(await ts.oauth.revokeToken({ token: second.access_token, clientId: request.clientId })).toBe(true);
    expect(await ts.tokens.authenticate(second.access_token)).toBeUndefined();
    expect((await refusal(ts.oauth.refresh({ refreshToken: second.refresh_token, clientId: request.clientId }))).message).toMatch(
      /revoked/,
    );
    const audit = (await ts.audit.list()).filter((entry) => entry.type === 'oauth.revoked');
    expect(audit).toHaveLength(2);
  });

  it('registers clients with their exact redirect URIs', async () => {
    const registered = await ts.oauth.registerClient({ redirectUris: ['http://127.0.0.1:5000/cb'], name: 'Claude' });
    expect(registered.clientId).toMatch(/^tsc_[0-9a-f]{24}$/);
    expect(await ts.oauth.client(registered.clientId)).toEqual(registered);
    expect(await ts.oauth.client('tsc_unknown')).toBeUndefined();
  });

  it('keeps at most maxUnused never-used clients, pruning the oldest, never one somebody signed in with', async () => {
    const redirectUris = [request.redirectUri];
    const used = await ts.oauth.registerClient({ redirectUris, name: 'Used' });
    const code = await allowedCode({ ...request, clientId: used.clientId });
    await ts.oauth.exchangeCode({ code, clientId: used.clientId, redirectUri: request.redirectUri, codeVerifier: verifier });
    const registered: string[] = [];
    for (let i = 0; i < 4; i++) {
      now += 1000;
      registered.push((await ts.oauth.registerClient({ redirectUris, name: `Unused ${i}`, maxUnused: 2 })).clientId);
    }
    expect(await ts.oauth.client(used.clientId)).toMatchObject({ name: 'Used' });
    const kept = await Promise.all(registered.map(async (id) => (await ts.oauth.client(id))?.name));
    expect(kept).toEqual([undefined, undefined, 'Unused 2', 'Unused 3']);
    await expect(ts.oauth.registerClient({ redirectUris, maxUnused: 0 })).rejects.toThrow(
      /maxUnused: expected a whole number of at least 1/,
    );
  });

  it('forgets a person’s sign-ins and consents when they are erased', async () => {
    const tokens = await signIn();
    await ts.people.erase('ana');
    expect(await ts.oauth.grants()).toEqual([]);
    expect(await ts.oauth.consents()).toEqual([]);
    expect(await ts.tokens.authenticate(tokens.access_token)).toBeUndefined();
  });

  it('issues a code only after Allow with the page’s own CSRF token, once; remembers the consent per client and scopes', async () => {
    const signedIn = { person: 'ana', account: 'github:1001' };
    expect(await refusal(ts.oauth.issueCode(request, signedIn))).toMatchObject({ error: 'access_denied' });
    expect(await ts.oauth.hasConsent(request, 'ana')).toBe(false);
    const page = await ts.oauth.beginConsent(request, signedIn);
    expect(await ts.oauth.decideConsent({ session: page.session, csrf: undefined, allow: true })).toEqual({ outcome: 'forged' });
    expect(await ts.oauth.decideConsent({ session: page.session, csrf: page.session, allow: true })).toEqual({ outcome: 'forged' });
    expect(await ts.oauth.decideConsent({ session: undefined, csrf: page.csrf, allow: true })).toEqual({ outcome: 'unknown' });
    const other = await ts.oauth.beginConsent(request, { person: 'ana', account: 'github:1001' });
    expect(await ts.oauth.decideConsent({ session: other.session, csrf: page.csrf, allow: true })).toEqual({ outcome: 'forged' });
    expect(await ts.oauth.hasConsent(request, 'ana')).toBe(false);
    const allowed = await ts.oauth.decideConsent({ ...page, allow: true });
    expect(allowed).toMatchObject({ outcome: 'allowed', person: 'ana', code: expect.any(String) });
    expect(await ts.oauth.decideConsent({ ...page, allow: true })).toEqual({ outcome: 'unknown' });
    expect(await ts.oauth.hasConsent(request, 'ana')).toBe(true);
    expect(await ts.oauth.hasConsent({ ...request, scopes: ['read'] }, 'ana')).toBe(false);
    expect(await ts.oauth.hasConsent({ ...request, clientId: 'tsc_other' }, 'ana')).toBe(false);
    // A remembered consent lets the next sign-in have its code without the page.
    expect(await ts.oauth.issueCode(request, signedIn)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await ts.audit.list()).map((e) => e.type)).toContain('oauth.consented');
    // Deny issues nothing and remembers nothing.
    const narrow = { ...request, scopes: ['read' as const] };
    const denyPage = await ts.oauth.beginConsent(narrow, signedIn);
    expect(await ts.oauth.decideConsent({ ...denyPage, allow: false })).toMatchObject({ outcome: 'denied', person: 'ana' });
    expect(await ts.oauth.hasConsent(narrow, 'ana')).toBe(false);
    // A page not answered within 15 minutes is gone.
    const late = await ts.oauth.beginConsent(narrow, signedIn);
    now += 16 * 60_000;
    expect(await ts.oauth.decideConsent({ ...late, allow: true })).toEqual({ outcome: 'unknown' });
  });

  it('revokes a client for a person: its consent, sign-ins, tokens and unredeemed codes end, and consent is asked again', async () => {
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ben', name: 'Ben' }] });
    const tokens = await signIn();
    const pendingCode = await ts.oauth.issueCode(request, { person: 'ana', account: 'github:1001' });
    await allowedCode(request, 'ben');
    expect((await ts.oauth.consents()).map((c) => c.person).sort()).toEqual(['ana', 'ben']);
    expect(await ts.oauth.consents({ person: 'ana' })).toEqual([
      expect.objectContaining({
        person: 'ana',
        client: 'tsc_client',
        scopes: ['read', 'propose', 'write'],
        redirectUri: request.redirectUri,
      }),
    ]);
    expect(await ts.oauth.revokeClient({ client: 'tsc_client', person: 'ana' })).toEqual({ consents: 1, signIns: 1 });
    expect(await ts.tokens.authenticate(tokens.access_token)).toBeUndefined();
    expect(
      await refusal(
        ts.oauth.exchangeCode({ code: pendingCode, clientId: request.clientId, redirectUri: request.redirectUri, codeVerifier: verifier }),
      ),
    ).toMatchObject({ error: 'invalid_grant' });
    expect(await ts.oauth.hasConsent(request, 'ana')).toBe(false);
    expect(await ts.oauth.hasConsent(request, 'ben')).toBe(true);
    expect((await ts.audit.list()).map((e) => e.type)).toContain('oauth.consent_revoked');
    await expect(ts.oauth.revokeClient({ client: 'tsc_client', person: 'ana' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await ts.oauth.revokeClient({ client: 'tsc_client' })).toEqual({ consents: 1, signIns: 0 });
  });
});
