import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Transaction } from '../../kernel/store/driver.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import { grantRow, revokeGrantIn } from './oauth-grants.js';
import { type IssuedTokens, OAUTH_LIFETIMES, type OAuthCaller, OAuthRequestError, type OAuthScope, parseScopes } from './oauth-model.js';
import { ACCESS_PREFIX, findSecret, issueTokens, type OAuthContext, type OAuthDeps, REFRESH_PREFIX, sha256 } from './oauth-secrets.js';

/** The input of the token endpoint's `refresh_token` grant. */
interface TokenRefresh {
  refreshToken: string;
  clientId: string;
  scopes?: readonly string[];
}

const callerRow = columns({ id: text, person_id: text, scopes: text, expires_at: integer });

/** Rotates a refresh token; presenting one already rotated revokes the whole grant. */
export async function refreshTokens(deps: OAuthContext, input: TokenRefresh): Promise<IssuedTokens> {
  const refreshToken = String(input.refreshToken ?? '');
  const result = await deps.store.write((tx) => rotateRefreshToken(deps, tx, input, refreshToken));
  // Thrown after the transaction committed the revocation.
  if ('reused' in result)
    throw new OAuthRequestError('invalid_grant', 'refresh_token: already used; this sign-in is revoked as a precaution, sign in again');
  return result;
}

/**
 * Issues new tokens for a refresh token inside `tx` and marks it used. A client refreshing from two requests at once
 * may present it again within {@link OAUTH_LIFETIMES}.reuseGrace; later, reuse revokes the grant and answers `reused`.
 */
async function rotateRefreshToken(
  deps: OAuthContext,
  tx: Transaction,
  input: TokenRefresh,
  refreshToken: string,
): Promise<IssuedTokens | { reused: true }> {
  const { workspace } = deps;
  const now = deps.clock().getTime();
  const row = refreshToken.startsWith(REFRESH_PREFIX) ? await findSecret(deps, tx, refreshToken, 'refresh') : undefined;
  if (!row || row.grant_id === null) throw new OAuthRequestError('invalid_grant', 'refresh_token: unknown or expired; sign in again');
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
    await revokeGrantIn(deps, tx, grant.id, 'refresh_reuse', now);
    return { reused: true } as const;
  }
  if (row.expires_at <= now) throw new OAuthRequestError('invalid_grant', 'refresh_token: expired; sign in again');
  if (grant.client_id !== input.clientId)
    throw new OAuthRequestError('invalid_grant', 'client_id: the refresh token was issued to another client');
  const scopes = narrowedScopes(JSON.parse(grant.scopes) as OAuthScope[], input.scopes);
  if (!concurrent)
    await tx.execute({
      sql: 'UPDATE oauth_secrets SET used_at = ? WHERE workspace = ? AND hash = ?',
      args: [now, workspace, sha256(refreshToken)],
    });
  await tx.execute({
    sql: 'UPDATE oauth_grants SET last_used_at = ? WHERE workspace = ? AND id = ?',
    args: [now, workspace, grant.id],
  });
  return issueTokens(deps, tx, grant.id, scopes);
}

/** The scopes a refresh asks for (all those granted when it names none); refused when wider than the grant's. */
function narrowedScopes(granted: OAuthScope[], asked: readonly string[] | undefined): OAuthScope[] {
  if (asked === undefined || asked.length === 0) return granted;
  const scopes = parseScopes(asked);
  const wider = scopes.filter((s) => !granted.includes(s));
  if (wider.length > 0)
    throw new OAuthRequestError('invalid_scope', `scope: ${wider.join(' ')} was not granted to this sign-in; sign in again to ask for it`);
  return scopes;
}

/** The person and scopes of a valid access token, or `undefined`. */
export async function authenticate(deps: OAuthDeps, accessToken: string): Promise<OAuthCaller | undefined> {
  if (typeof accessToken !== 'string' || !accessToken.startsWith(ACCESS_PREFIX) || accessToken.length > 200) return undefined;
  const { rows } = await deps.store.execute(
    `SELECT g.id, g.person_id, g.scopes, s.expires_at FROM oauth_secrets s JOIN oauth_grants g ON g.workspace = s.workspace AND g.id = s.grant_id
     WHERE s.workspace = ? AND s.hash = ? AND s.kind = 'access' AND g.revoked_at IS NULL`,
    [deps.workspace, sha256(accessToken)],
  );
  const row = callerRow.first(rows);
  if (!row || row.expires_at <= deps.clock().getTime()) return undefined;
  return {
    id: row.id,
    person: row.person_id,
    scopes: JSON.parse(row.scopes) as OAuthScope[],
    expiresAt: formatTimestamp(row.expires_at),
  };
}
