import { createHash, randomBytes } from 'node:crypto';
import { NotFoundError, TeamStateError } from '../../kernel/errors.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, optional, text } from '../../kernel/store/row-decoder.js';
import { appendAuditEvent } from '../../services/audit/index.js';

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
  | 'invalid_target';

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

/** Who a valid access token belongs to. */
export interface OAuthCaller {
  /** The grant id. */
  id: string;
  person: string;
  scopes: OAuthScope[];
  expiresAt: string;
}

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

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const secret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;
const ACCESS_PREFIX = 'tsa_';
const REFRESH_PREFIX = 'tsr_';

/** True when `token` looks like an OAuth access token of teamstate (`tsa_…`). */
export function isOAuthAccessToken(token: string): boolean {
  return token.startsWith(ACCESS_PREFIX);
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

/** True when base64url(sha256(verifier)) is the challenge (RFC 7636, S256). */
function pkceMatches(verifier: string, challenge: string): boolean {
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

const clientRow = columns({ client_id: text, name: nullable(text), redirect_uris: text, created_at: integer });
const secretRow = columns({ kind: text, grant_id: nullable(text), data: nullable(text), expires_at: integer, used_at: nullable(integer) });
const grantRow = columns({
  id: text,
  person_id: text,
  client_id: text,
  client_name: nullable(text),
  scopes: text,
  account: text,
  created_at: integer,
  last_used_at: optional(integer),
  revoked_at: optional(integer),
  revoked_reason: nullable(text),
});
const callerRow = columns({ id: text, person_id: text, scopes: text, expires_at: integer });

interface CodeData extends AuthorizationRequest {
  person: string;
  account: string;
}

/** Builds `ts.oauth` over the store; `clock` is the write path's clock (injected in tests for expiry). */
export function createOAuthApi(deps: { store: Store; workspace: string; clock: () => Date }): OAuth {
  const { store, workspace, clock } = deps;
  type Tx = Parameters<Parameters<Store['write']>[0]>[0];

  async function insertSecret(tx: Tx, value: string, kind: string, expiresIn: number, extra: { grantId?: string; data?: unknown }) {
    const now = clock().getTime();
    await tx.execute({
      sql: 'INSERT INTO oauth_secrets (workspace, hash, kind, grant_id, data, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      args: [
        workspace,
        sha256(value),
        kind,
        extra.grantId ?? null,
        extra.data === undefined ? null : JSON.stringify(extra.data),
        now,
        now + expiresIn,
      ],
    });
  }

  async function findSecret(tx: Tx, value: string, kind: string) {
    const { rows } = await tx.execute({
      sql: 'SELECT kind, grant_id, data, expires_at, used_at FROM oauth_secrets WHERE workspace = ? AND hash = ?',
      args: [workspace, sha256(value)],
    });
    const row = secretRow.first(rows);
    return row && row.kind === kind ? row : undefined;
  }

  async function revokeIn(tx: Tx, grantId: string, reason: string, now: number) {
    const { rows } = await tx.execute({
      sql: 'SELECT person_id FROM oauth_grants WHERE workspace = ? AND id = ? AND revoked_at IS NULL',
      args: [workspace, grantId],
    });
    const person = columns({ person_id: text }).first(rows)?.person_id;
    if (person === undefined) return;
    await tx.execute({
      sql: 'UPDATE oauth_grants SET revoked_at = ?, revoked_reason = ? WHERE workspace = ? AND id = ?',
      args: [now, reason, workspace, grantId],
    });
    // Every token of the family ends now; the rows stay until they expire so a reused refresh token is still recognised.
    await tx.execute({
      sql: "UPDATE oauth_secrets SET expires_at = MIN(expires_at, ?) WHERE workspace = ? AND grant_id = ? AND kind = 'access'",
      args: [now, workspace, grantId],
    });
    await appendAuditEvent(tx, workspace, now, { type: 'oauth.revoked', actor: person, data: { grant: grantId, reason } });
  }

  async function issueTokens(tx: Tx, grantId: string, scopes: readonly OAuthScope[]): Promise<IssuedTokens> {
    const access = secret(ACCESS_PREFIX);
    const refresh = secret(REFRESH_PREFIX);
    await insertSecret(tx, access, 'access', OAUTH_LIFETIMES.access, { grantId });
    await insertSecret(tx, refresh, 'refresh', OAUTH_LIFETIMES.refresh, { grantId });
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: OAUTH_LIFETIMES.access / 1000,
      refresh_token: refresh,
      scope: scopes.join(' '),
    };
  }

  return {
    async registerClient(input) {
      const maxUnused = input.maxUnused ?? OAUTH_LIMITS.unusedClients;
      if (!Number.isSafeInteger(maxUnused) || maxUnused < 1)
        throw new TeamStateError('invalid_argument', `maxUnused: expected a whole number of at least 1, got ${String(maxUnused)}`);
      const clientId = `tsc_${randomBytes(12).toString('hex')}`;
      const now = clock().getTime();
      await store.write(async (tx) => {
        await tx.execute({
          sql: 'INSERT INTO oauth_clients (workspace, client_id, name, redirect_uris, created_at) VALUES (?, ?, ?, ?, ?)',
          args: [workspace, clientId, input.name ?? null, JSON.stringify(input.redirectUris), now],
        });
        // Never-used clients beyond the cap, oldest first; the one just registered is the newest and stays.
        await tx.execute({
          sql: `DELETE FROM oauth_clients WHERE workspace = ? AND rowid IN (
                  SELECT rowid FROM oauth_clients WHERE workspace = ?
                    AND client_id NOT IN (SELECT client_id FROM oauth_grants WHERE workspace = ?)
                  ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)`,
          args: [workspace, workspace, workspace, maxUnused],
        });
        // Old secrets are swept as new ones arrive: nothing else has to run for the table to stay small.
        await tx.execute({
          sql: 'DELETE FROM oauth_secrets WHERE workspace = ? AND expires_at < ?',
          args: [workspace, now - OAUTH_LIFETIMES.refresh],
        });
      });
      return {
        clientId,
        ...(input.name ? { name: input.name } : {}),
        redirectUris: [...input.redirectUris],
        createdAt: formatTimestamp(now),
      };
    },

    async client(clientId) {
      const { rows } = await store.execute(
        'SELECT client_id, name, redirect_uris, created_at FROM oauth_clients WHERE workspace = ? AND client_id = ?',
        [workspace, clientId],
      );
      const row = clientRow.first(rows);
      if (!row) return undefined;
      return {
        clientId: row.client_id,
        ...(row.name ? { name: row.name } : {}),
        redirectUris: JSON.parse(row.redirect_uris) as string[],
        createdAt: formatTimestamp(row.created_at),
      };
    },

    async beginAuthorization(request) {
      const handle = randomBytes(24).toString('base64url');
      await store.write((tx) => insertSecret(tx, handle, 'request', OAUTH_LIFETIMES.request, { data: request }));
      return handle;
    },

    async takeAuthorization(handle) {
      if (typeof handle !== 'string' || handle.length === 0 || handle.length > 200) return undefined;
      return store.write(async (tx) => {
        const row = await findSecret(tx, handle, 'request');
        if (!row || row.used_at !== null || row.expires_at <= clock().getTime() || row.data === null) return undefined;
        await tx.execute({ sql: 'DELETE FROM oauth_secrets WHERE workspace = ? AND hash = ?', args: [workspace, sha256(handle)] });
        return JSON.parse(row.data) as AuthorizationRequest;
      });
    },

    async issueCode(request, signedIn) {
      const code = randomBytes(32).toString('base64url');
      const data: CodeData = { ...request, person: signedIn.person, account: signedIn.account };
      await store.write((tx) => insertSecret(tx, code, 'code', OAUTH_LIFETIMES.code, { data }));
      return code;
    },

    async exchangeCode(input) {
      if (!input.codeVerifier)
        throw new OAuthRequestError(
          'invalid_request',
          'code_verifier: required (PKCE with S256); send the verifier whose challenge you sent to /oauth/authorize',
        );
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(input.codeVerifier))
        throw new OAuthRequestError('invalid_request', 'code_verifier: expected 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)');
      const outcome = await store.write(async (tx) => {
        const now = clock().getTime();
        const row = await findSecret(tx, String(input.code ?? ''), 'code');
        if (!row || row.data === null)
          throw new OAuthRequestError('invalid_grant', 'code: unknown or expired authorization code; sign in again');
        const data = JSON.parse(row.data) as CodeData;
        if (row.used_at !== null) {
          // A code presented twice: whatever the first exchange issued is revoked (RFC 6749 section 4.1.2).
          if (row.grant_id) await revokeIn(tx, row.grant_id, 'code_reuse', now);
          return { reused: true } as const;
        }
        if (row.expires_at <= now)
          throw new OAuthRequestError('invalid_grant', 'code: unknown or expired authorization code; sign in again');
        if (data.clientId !== input.clientId)
          throw new OAuthRequestError('invalid_grant', 'client_id: the code was issued to another client');
        if (data.redirectUri !== input.redirectUri)
          throw new OAuthRequestError('invalid_grant', 'redirect_uri: must be exactly the redirect_uri of the authorization request');
        if (input.resource !== undefined && data.resource !== undefined && input.resource !== data.resource)
          throw new OAuthRequestError('invalid_target', 'resource: must be the resource of the authorization request');
        if (!pkceMatches(input.codeVerifier!, data.codeChallenge))
          throw new OAuthRequestError('invalid_grant', 'code_verifier: does not match the code_challenge of the authorization request');
        const grantId = `grt_${randomBytes(8).toString('hex')}`;
        await tx.execute({
          sql: `INSERT INTO oauth_grants (workspace, id, person_id, client_id, client_name, scopes, account, created_at, last_used_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          args: [
            workspace,
            grantId,
            data.person,
            data.clientId,
            data.clientName ?? null,
            JSON.stringify(data.scopes),
            data.account,
            now,
            now,
          ],
        });
        await tx.execute({
          sql: 'UPDATE oauth_secrets SET used_at = ?, grant_id = ? WHERE workspace = ? AND hash = ?',
          args: [now, grantId, workspace, sha256(String(input.code))],
        });
        await appendAuditEvent(tx, workspace, now, {
          type: 'oauth.granted',
          actor: data.person,
          data: { grant: grantId, client: data.clientId, scopes: data.scopes },
        });
        return issueTokens(tx, grantId, data.scopes);
      });
      // Thrown after the transaction committed the revocation.
      if ('reused' in outcome)
        throw new OAuthRequestError('invalid_grant', 'code: this authorization code was already used; sign in again');
      return outcome;
    },

    async refresh(input) {
      const refreshToken = String(input.refreshToken ?? '');
      return store
        .write(async (tx) => {
          const now = clock().getTime();
          const row = refreshToken.startsWith(REFRESH_PREFIX) ? await findSecret(tx, refreshToken, 'refresh') : undefined;
          if (!row || row.grant_id === null)
            throw new OAuthRequestError('invalid_grant', 'refresh_token: unknown or expired; sign in again');
          const { rows } = await tx.execute({
            sql: 'SELECT id, person_id, client_id, client_name, scopes, account, created_at, last_used_at, revoked_at, revoked_reason FROM oauth_grants WHERE workspace = ? AND id = ?',
            args: [workspace, row.grant_id],
          });
          const grant = grantRow.first(rows);
          if (!grant || grant.revoked_at !== undefined)
            throw new OAuthRequestError('invalid_grant', 'refresh_token: this sign-in was revoked; sign in again');
          const concurrent = row.used_at !== null && now - row.used_at <= OAUTH_LIFETIMES.reuseGrace;
          if (row.used_at !== null && !concurrent) {
            // Reuse of a rotated refresh token: someone else may hold the family. It ends for everyone.
            await revokeIn(tx, grant.id, 'refresh_reuse', now);
            return { reused: true } as const;
          }
          if (row.expires_at <= now) throw new OAuthRequestError('invalid_grant', 'refresh_token: expired; sign in again');
          if (grant.client_id !== input.clientId)
            throw new OAuthRequestError('invalid_grant', 'client_id: the refresh token was issued to another client');
          const granted = JSON.parse(grant.scopes) as OAuthScope[];
          let scopes = granted;
          if (input.scopes !== undefined && input.scopes.length > 0) {
            scopes = parseScopes(input.scopes);
            const wider = scopes.filter((s) => !granted.includes(s));
            if (wider.length > 0)
              throw new OAuthRequestError(
                'invalid_scope',
                `scope: ${wider.join(' ')} was not granted to this sign-in; sign in again to ask for it`,
              );
          }
          if (!concurrent)
            await tx.execute({
              sql: 'UPDATE oauth_secrets SET used_at = ? WHERE workspace = ? AND hash = ?',
              args: [now, workspace, sha256(refreshToken)],
            });
          await tx.execute({
            sql: 'UPDATE oauth_grants SET last_used_at = ? WHERE workspace = ? AND id = ?',
            args: [now, workspace, grant.id],
          });
          return issueTokens(tx, grant.id, scopes);
        })
        .then((result) => {
          // Thrown after the transaction committed the revocation.
          if ('reused' in result)
            throw new OAuthRequestError(
              'invalid_grant',
              'refresh_token: already used; this sign-in is revoked as a precaution, sign in again',
            );
          return result;
        });
    },

    async authenticate(accessToken) {
      if (typeof accessToken !== 'string' || !accessToken.startsWith(ACCESS_PREFIX) || accessToken.length > 200) return undefined;
      const { rows } = await store.execute(
        `SELECT g.id, g.person_id, g.scopes, s.expires_at FROM oauth_secrets s JOIN oauth_grants g ON g.workspace = s.workspace AND g.id = s.grant_id
         WHERE s.workspace = ? AND s.hash = ? AND s.kind = 'access' AND g.revoked_at IS NULL`,
        [workspace, sha256(accessToken)],
      );
      const row = callerRow.first(rows);
      if (!row || row.expires_at <= clock().getTime()) return undefined;
      return {
        id: row.id,
        person: row.person_id,
        scopes: JSON.parse(row.scopes) as OAuthScope[],
        expiresAt: formatTimestamp(row.expires_at),
      };
    },

    async grants() {
      const { rows } = await store.execute(
        `SELECT id, person_id, client_id, client_name, scopes, account, created_at, last_used_at, revoked_at, revoked_reason
         FROM oauth_grants WHERE workspace = ? ORDER BY created_at DESC, id`,
        [workspace],
      );
      return grantRow.all(rows).map((row) => {
        const info: OAuthGrantInfo = {
          id: row.id,
          person: row.person_id,
          client: row.client_id,
          scopes: JSON.parse(row.scopes) as OAuthScope[],
          account: row.account,
          createdAt: formatTimestamp(row.created_at),
        };
        if (row.client_name) info.clientName = row.client_name;
        if (row.last_used_at !== undefined) info.lastUsedAt = formatTimestamp(row.last_used_at);
        if (row.revoked_at !== undefined) info.revokedAt = formatTimestamp(row.revoked_at);
        if (row.revoked_reason) info.revokedReason = row.revoked_reason;
        return info;
      });
    },

    async revokeToken(input) {
      const token = String(input.token ?? '');
      const kind = token.startsWith(ACCESS_PREFIX) ? 'access' : token.startsWith(REFRESH_PREFIX) ? 'refresh' : undefined;
      if (kind === undefined || token.length > 200) return false;
      return store.write(async (tx) => {
        const now = clock().getTime();
        const row = await findSecret(tx, token, kind);
        if (!row || row.grant_id === null || row.expires_at <= now) return false;
        const { rows } = await tx.execute({
          sql: 'SELECT client_id, revoked_at FROM oauth_grants WHERE workspace = ? AND id = ?',
          args: [workspace, row.grant_id],
        });
        const grant = columns({ client_id: text, revoked_at: optional(integer) }).first(rows);
        if (!grant || grant.revoked_at !== undefined) return false;
        if (grant.client_id !== input.clientId)
          throw new OAuthRequestError('invalid_grant', 'token: was issued to another client; a client revokes only its own tokens');
        await revokeIn(tx, row.grant_id, 'revoked_by_client', now);
        return true;
      });
    },

    async revoke(grantId, reason = 'revoked') {
      await store.write(async (tx) => {
        const { rows } = await tx.execute({
          sql: 'SELECT id FROM oauth_grants WHERE workspace = ? AND id = ?',
          args: [workspace, String(grantId)],
        });
        if (rows.length === 0) throw new NotFoundError('OAuth grant', String(grantId));
        await revokeIn(tx, String(grantId), reason, clock().getTime());
      });
    },
  };
}
