import type { Store } from '../../kernel/store/open-store.js';
import { appendAuditEvent } from '../../services/audit/index.js';
import { beginAuthorization, exchangeCode, issueCode, issueCodeIn, takeAuthorization } from './oauth-authorization.js';
import { getClient, registerClient } from './oauth-clients.js';
import { beginConsent, type ConsentDecision, decideConsent, hasConsent, listConsents, revokeClient } from './oauth-consents.js';
import { listGrants, revokeGrant, revokeToken } from './oauth-grants.js';
import type {
  AuthorizationRequest,
  IssuedTokens,
  OAUTH_LIMITS,
  OAuthCaller,
  OAuthClient,
  OAuthConsentInfo,
  OAuthGrantInfo,
} from './oauth-model.js';
import type { OAuthContext } from './oauth-secrets.js';
import { authenticate, refreshTokens } from './oauth-tokens.js';

export type { ConsentDecision } from './oauth-consents.js';
export {
  type AuthorizationRequest,
  type IssuedTokens,
  OAUTH_LIFETIMES,
  OAUTH_LIMITS,
  OAUTH_SCOPES,
  type OAuthCaller,
  type OAuthClient,
  type OAuthConsentInfo,
  type OAuthErrorCode,
  type OAuthGrantInfo,
  OAuthRequestError,
  type OAuthScope,
  parseScopes,
} from './oauth-model.js';
export { isOAuthAccessToken } from './oauth-secrets.js';

/** `ts.oauth`: the authorization server's state (docs/remote-mcp.md). Secrets are kept only as their sha256. */
export interface OAuth {
  /**
   * Registers a client (RFC 7591); its redirect URIs are matched exactly. At most `maxUnused` clients nobody has signed
   * in with are kept (default {@link OAUTH_LIMITS}.unusedClients): the oldest of them are forgotten beyond that.
   */
  registerClient(input: { redirectUris: readonly string[]; name?: string; maxUnused?: number }): Promise<OAuthClient>;
  /** A registered client, or `undefined`. */
  client(clientId: string): Promise<OAuthClient | undefined>;
  /** Keeps a checked request while the person signs in; returns the handle to carry through the provider (`state`). */
  beginAuthorization(request: AuthorizationRequest): Promise<string>;
  /** The request of a handle, once: a second call, or one after 15 minutes, returns `undefined`. */
  takeAuthorization(handle: string): Promise<AuthorizationRequest | undefined>;
  /**
   * The authorization code for a request the person signed in to (`account`: `github:<id>`), once they allowed the
   * client these scopes at the consent page (see {@link OAuth.hasConsent}); otherwise an `access_denied` refusal.
   */
  issueCode(request: AuthorizationRequest, signedIn: { person: string; account: string }): Promise<string>;
  /** True when `person` allowed the client of `request` exactly its scopes and it was not revoked since (no page needed). */
  hasConsent(request: AuthorizationRequest, person: string): Promise<boolean>;
  /**
   * Keeps a consent page for the person who signed in (15 minutes): the session secret goes in an HttpOnly cookie, the
   * CSRF token in the page's form. Both are stored only as their sha256.
   */
  beginConsent(request: AuthorizationRequest, signedIn: { person: string; account: string }): Promise<{ session: string; csrf: string }>;
  /**
   * The answer at a consent page, taken once: the session (cookie) must name a waiting page and the CSRF token must be
   * its own, or nothing changes (`unknown`, `forged`). Allow remembers the consent (audited) and issues the code.
   */
  decideConsent(input: { session: string | undefined; csrf: string | undefined; allow: boolean }): Promise<ConsentDecision>;
  /** The consents people gave at the consent page, newest first; only `person`'s when given. */
  consents(filter?: { person?: string }): Promise<OAuthConsentInfo[]>;
  /**
   * Ends a client's consents, sign-ins and tokens for `person` (or everyone; audited): the next sign-in asks for consent
   * again. A client with nothing to end is a `not_found` error.
   */
  revokeClient(input: { client: string; person?: string }): Promise<{ consents: number; signIns: number }>;
  /** Exchanges a code for tokens, checking the client, the redirect URI and the PKCE verifier. */
  exchangeCode(input: {
    code: string;
    clientId: string;
    redirectUri?: string;
    codeVerifier?: string;
    resource?: string;
  }): Promise<IssuedTokens>;
  /** Rotates a refresh token; presenting one already rotated revokes the whole grant. */
  refresh(input: { refreshToken: string; clientId: string; scopes?: readonly string[] }): Promise<IssuedTokens>;
  /** The person and scopes of a valid access token, or `undefined`. */
  authenticate(accessToken: string): Promise<OAuthCaller | undefined>;
  /** Every grant, newest first. */
  grants(): Promise<OAuthGrantInfo[]>;
  /**
   * Token revocation (RFC 7009) by the client the token was issued to: an access or refresh token ends its whole
   * grant (audited, reason `revoked_by_client`). Returns false for a token that is unknown, expired or already
   * revoked (the endpoint still answers 200); a token of another client is an `invalid_grant` refusal.
   */
  revokeToken(input: { token: string; clientId: string }): Promise<boolean>;
  /** Revokes a grant and every token of it (audited); an unknown id is a `not_found` error. */
  revoke(grantId: string, reason?: 'revoked' | 'refresh_reuse'): Promise<void>;
}

/** Builds `ts.oauth` over the store; `clock` is the write path's clock (injected in tests for expiry). */
export function createOAuthApi(deps: { store: Store; workspace: string; clock: () => Date }): OAuth {
  const ctx: OAuthContext = { ...deps, audit: (tx, at, event) => appendAuditEvent(tx, deps.workspace, at, event) };
  return {
    registerClient: (input) => registerClient(ctx, input),
    client: (clientId) => getClient(ctx, clientId),
    beginAuthorization: (request) => beginAuthorization(ctx, request),
    takeAuthorization: (handle) => takeAuthorization(ctx, handle),
    issueCode: (request, signedIn) => issueCode(ctx, request, signedIn),
    hasConsent: (request, person) => hasConsent(ctx, request, person),
    beginConsent: (request, signedIn) => beginConsent(ctx, request, signedIn),
    decideConsent: (input) => decideConsent(ctx, input, (tx, request, signedIn) => issueCodeIn(ctx, tx, request, signedIn)),
    consents: (filter) => listConsents(ctx, filter),
    revokeClient: (input) => revokeClient(ctx, input),
    exchangeCode: (input) => exchangeCode(ctx, input),
    refresh: (input) => refreshTokens(ctx, input),
    authenticate: (accessToken) => authenticate(ctx, accessToken),
    grants: () => listGrants(ctx),
    revokeToken: (input) => revokeToken(ctx, input),
    revoke: (grantId, reason) => revokeGrant(ctx, grantId, reason),
  };
}
