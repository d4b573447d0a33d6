import { TeamStateError } from '../../kernel/errors.js';

/** What an OAuth client may be granted: never `decide` (an assistant never holds a credential that can approve). */
export type OAuthScope = 'read' | 'propose' | 'write';

/** Every scope an OAuth client may ask for, in order. */
export const OAUTH_SCOPES: readonly OAuthScope[] = ['read', 'propose', 'write'];

/** Lifetimes, in milliseconds. */
export const OAUTH_LIFETIMES = {
  /** An access token: 1 hour. */
  access: 60 * 60_000,
  /** A refresh token (each rotation starts a new one): 30 days. */
  refresh: 30 * 24 * 60 * 60_000,
  /** An authorization code: 5 minutes, used once. */
  code: 5 * 60_000,
  /** A sign-in in progress at the identity provider: 15 minutes. */
  request: 15 * 60_000,
  /**
   * How long after its rotation a refresh token may still be presented by a client refreshing from two requests at
   * once (each gets new tokens of the same sign-in); later, presenting it revokes the sign-in: 30 seconds.
   */
  reuseGrace: 30_000,
} as const;

/** Bounds of what dynamic client registration may store. */
export const OAUTH_LIMITS = {
  /**
   * Registered clients nobody has signed in with, kept at most: registering one more forgets the oldest of them, so
   * registrations alone cannot grow the database without bound. A client with a grant (even revoked) is never forgotten.
   */
  unusedClients: 1000,
} as const;

/** The OAuth error codes of RFC 6749 section 5.2 that the token endpoint answers with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unsupported_grant_type'
  | 'invalid_target'
  /** The person did not allow the client (RFC 6749 section 4.1.2.1). */
  | 'access_denied';

/** A refused OAuth request: `error` is the RFC 6749 code, the message says what to fix. */
export class OAuthRequestError extends TeamStateError {
  readonly error: OAuthErrorCode;
  constructor(error: OAuthErrorCode, message: string) {
    super(`oauth_${error}`, message);
    this.name = 'OAuthRequestError';
    this.error = error;
  }
}

/** An authorization request, checked, waiting for the person to sign in at the identity provider. */
export interface AuthorizationRequest {
  clientId: string;
  clientName?: string;
  redirectUri: string;
  /** The PKCE S256 challenge. */
  codeChallenge: string;
  scopes: OAuthScope[];
  /** The client's `state`, returned with the code. */
  state?: string;
  /** The resource (RFC 8707) the tokens are for. */
  resource?: string;
}

/** A client registered through dynamic client registration. */
export interface OAuthClient {
  clientId: string;
  name?: string;
  redirectUris: string[];
  createdAt: string;
}

/** The answer of the token endpoint. */
export interface IssuedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/** An OAuth grant (one sign-in of a person through a client), without secrets. */
export interface OAuthGrantInfo {
  id: string;
  person: string;
  client: string;
  clientName?: string;
  scopes: OAuthScope[];
  /** The provider account signed in with, `github:<id>` or `slack:<id>`. */
  account: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
  revokedReason?: string;
}

/** A consent a person gave at the consent page: `client` may sign them in with exactly these scopes. */
export interface OAuthConsentInfo {
  person: string;
  client: string;
  /** The name the client gave itself (its own claim). */
  clientName?: string;
  scopes: OAuthScope[];
  /** Where the code of the consent was sent. */
  redirectUri: string;
  grantedAt: string;
  /** When a sign-in last skipped the page thanks to it. */
  lastUsedAt?: string;
}

/** Who a valid access token belongs to. */
export interface OAuthCaller {
  /** The grant id. */
  id: string;
  person: string;
  scopes: OAuthScope[];
  expiresAt: string;
}

/**
 * The scopes of a request: space-separated; `decide` is refused; names teamstate does not know (`openid`,
 * `offline_access`) are left out; none asked for means all three.
 */
export function parseScopes(scope: string | readonly string[] | undefined): OAuthScope[] {
  const asked = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [...(scope ?? [])];
  if (asked.includes('decide'))
    throw new OAuthRequestError(
      'invalid_scope',
      'scope: decide is never granted over OAuth (an assistant never holds a credential that can approve); ask for read propose write',
    );
  if (asked.length === 0) return [...OAUTH_SCOPES];
  const known = OAUTH_SCOPES.filter((s) => asked.includes(s));
  if (known.length === 0)
    throw new OAuthRequestError(
      'invalid_scope',
      `scope: expected some of read, propose, write; got ${JSON.stringify(asked.join(' ').slice(0, 100))}`,
    );
  return known;
}
