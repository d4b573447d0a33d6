import type { Store } from '../../kernel/store/open-store.js';
import { appendAuditEvent } from '../../services/audit/index.js';
import { beginAuthorization, exchangeCode, issueCode, takeAuthorization } from './oauth-authorization.js';
import { getClient, registerClient } from './oauth-clients.js';
import { listGrants, revokeGrant, revokeToken } from './oauth-grants.js';
import type { AuthorizationRequest, IssuedTokens, OAUTH_LIMITS, OAuthCaller, OAuthClient, OAuthGrantInfo } from './oauth-model.js';
import type { OAuthContext } from './oauth-secrets.js';
import { authenticate, refreshTokens } from './oauth-tokens.js';

export {
  type AuthorizationRequest,
  type IssuedTokens,
  OAUTH_LIFETIMES,
  OAUTH_LIMITS,
  OAUTH_SCOPES,
  type OAuthCaller,
  type OAuthClient,
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
  /** The authorization code for a request the person signed in to (`account`: `github:<id>`). */
  issueCode(request: AuthorizationRequest, signedIn: { person: string; account: string }): Promise<string>;
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
    exchangeCode: (input) => exchangeCode(ctx, input),
    refresh: (input) => refreshTokens(ctx, input),
    authenticate: (accessToken) => authenticate(ctx, accessToken),
    grants: () => listGrants(ctx),
    revokeToken: (input) => revokeToken(ctx, input),
    revoke: (grantId, reason) => revokeGrant(ctx, grantId, reason),
  };
}
