import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from '../../kernel/store/driver.js';
import { hasConsentIn, type SignedIn } from './oauth-consents.js';
import { revokeGrantIn } from './oauth-grants.js';
import { type AuthorizationRequest, type IssuedTokens, OAUTH_LIFETIMES, OAuthRequestError } from './oauth-model.js';
import { findSecret, insertSecret, issueTokens, type OAuthContext, type OAuthDeps, sha256 } from './oauth-secrets.js';

/** What an authorization code carries: the request, and who signed in with which provider account. */
interface CodeData extends AuthorizationRequest {
  person: string;
  account: string;
}

/** The input of the token endpoint's `authorization_code` grant. */
interface CodeExchange {
  code: string;
  clientId: string;
  redirectUri?: string;
  codeVerifier?: string;
  resource?: string;
}

/** True when base64url(sha256(verifier)) is the challenge (RFC 7636, S256). */
function pkceMatches(verifier: string, challenge: string): boolean {
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

/** Keeps a checked request while the person signs in; returns the handle to carry through the provider (`state`). */
export async function beginAuthorization(deps: OAuthDeps, request: AuthorizationRequest): Promise<string> {
  const handle = randomBytes(24).toString('base64url');
  await deps.store.write((tx) => insertSecret(deps, tx, handle, 'request', OAUTH_LIFETIMES.request, { data: request }));
  return handle;
}

/** The request of a handle, once: a second call, or one after 15 minutes, returns `undefined`. */
export async function takeAuthorization(deps: OAuthDeps, handle: string): Promise<AuthorizationRequest | undefined> {
  if (typeof handle !== 'string' || handle.length === 0 || handle.length > 200) return undefined;
  return deps.store.write(async (tx) => {
    const row = await findSecret(deps, tx, handle, 'request');
    if (!row || row.used_at !== null || row.expires_at <= deps.clock().getTime() || row.data === null) return undefined;
    await tx.execute({ sql: 'DELETE FROM oauth_secrets WHERE workspace = ? AND hash = ?', args: [deps.workspace, sha256(handle)] });
    return JSON.parse(row.data) as AuthorizationRequest;
  });
}

/**
 * The authorization code for a request the person signed in to (`account`: `github:<id>`), only when the person allowed
 * the client these scopes at the consent page: otherwise an `access_denied` refusal, and no code exists.
 */
export async function issueCode(deps: OAuthDeps, request: AuthorizationRequest, signedIn: SignedIn): Promise<string> {
  return deps.store.write(async (tx) => {
    if (!(await hasConsentIn(deps, tx, signedIn.person, request.clientId, request.scopes)))
      throw new OAuthRequestError(
        'access_denied',
        `consent: ${signedIn.person} has not allowed ${request.clientId} the scopes ${request.scopes.join(' ')}; no code is issued without consent`,
      );
    return issueCodeIn(deps, tx, request, signedIn);
  });
}

/** Stores a new authorization code for `request` inside `tx` (the caller checked consent) and returns it. */
export async function issueCodeIn(deps: OAuthDeps, tx: Transaction, request: AuthorizationRequest, signedIn: SignedIn): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  const data: CodeData = { ...request, person: signedIn.person, account: signedIn.account };
  await insertSecret(deps, tx, code, 'code', OAUTH_LIFETIMES.code, { data });
  return code;
}

/** Exchanges a code for tokens, checking the client, the redirect URI and the PKCE verifier. */
export async function exchangeCode(deps: OAuthContext, input: CodeExchange): Promise<IssuedTokens> {
  const verifier = checkedVerifier(input.codeVerifier);
  const outcome = await deps.store.write((tx) => redeemCode(deps, tx, input, verifier));
  // Thrown after the transaction committed the revocation.
  if ('reused' in outcome) throw new OAuthRequestError('invalid_grant', 'code: this authorization code was already used; sign in again');
  return outcome;
}

/** The PKCE verifier of an exchange: required, and of the form RFC 7636 gives it. */
function checkedVerifier(codeVerifier: string | undefined): string {
  if (!codeVerifier)
    throw new OAuthRequestError(
      'invalid_request',
      'code_verifier: required (PKCE with S256); send the verifier whose challenge you sent to /oauth/authorize',
    );
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(codeVerifier))
    throw new OAuthRequestError('invalid_request', 'code_verifier: expected 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)');
  return codeVerifier;
}

/**
 * Turns a valid code into a grant and its first tokens, inside `tx`. A code presented twice revokes whatever the first
 * exchange issued (RFC 6749 section 4.1.2) and answers `reused`, so the caller refuses once the revocation committed.
 */
async function redeemCode(
  deps: OAuthContext,
  tx: Transaction,
  input: CodeExchange,
  verifier: string,
): Promise<IssuedTokens | { reused: true }> {
  const now = deps.clock().getTime();
  const row = await findSecret(deps, tx, String(input.code ?? ''), 'code');
  if (!row || row.data === null) throw new OAuthRequestError('invalid_grant', 'code: unknown or expired authorization code; sign in again');
  const data = JSON.parse(row.data) as CodeData;
  if (row.used_at !== null) {
    if (row.grant_id) await revokeGrantIn(deps, tx, row.grant_id, 'code_reuse', now);
    return { reused: true } as const;
  }
  if (row.expires_at <= now) throw new OAuthRequestError('invalid_grant', 'code: unknown or expired authorization code; sign in again');
  checkCodeRequest(data, input, verifier);
  const grantId = await createGrant(deps, tx, data, String(input.code), now);
  return issueTokens(deps, tx, grantId, data.scopes);
}

/** Refuses an exchange that does not match the authorization request its code was issued for. */
function checkCodeRequest(data: CodeData, input: CodeExchange, verifier: string): void {
  if (data.clientId !== input.clientId) throw new OAuthRequestError('invalid_grant', 'client_id: the code was issued to another client');
  if (data.redirectUri !== input.redirectUri)
    throw new OAuthRequestError('invalid_grant', 'redirect_uri: must be exactly the redirect_uri of the authorization request');
  if (input.resource !== undefined && data.resource !== undefined && input.resource !== data.resource)
    throw new OAuthRequestError('invalid_target', 'resource: must be the resource of the authorization request');
  if (!pkceMatches(verifier, data.codeChallenge))
    throw new OAuthRequestError('invalid_grant', 'code_verifier: does not match the code_challenge of the authorization request');
}

/** Stores the grant of a redeemed code, marks the code used by it (audited) and returns the grant's id. */
async function createGrant(deps: OAuthContext, tx: Transaction, data: CodeData, code: string, now: number): Promise<string> {
  const { workspace } = deps;
  const grantId = `grt_${randomBytes(8).toString('hex')}`;
  await tx.execute({
    sql: `INSERT INTO oauth_grants (workspace, id, person_id, client_id, client_name, scopes, account, created_at, last_used_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [workspace, grantId, data.person, data.clientId, data.clientName ?? null, JSON.stringify(data.scopes), data.account, now, now],
  });
  await tx.execute({
    sql: 'UPDATE oauth_secrets SET used_at = ?, grant_id = ? WHERE workspace = ? AND hash = ?',
    args: [now, grantId, workspace, sha256(code)],
  });
  await deps.audit(tx, now, {
    type: 'oauth.granted',
    actor: data.person,
    data: { grant: grantId, client: data.clientId, scopes: data.scopes },
  });
  return grantId;
}
