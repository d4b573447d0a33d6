import { NotFoundError } from '../../kernel/errors.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Transaction } from '../../kernel/store/driver.js';
import { columns, integer, nullable, optional, text } from '../../kernel/store/row-decoder.js';
import { type OAuthGrantInfo, OAuthRequestError, type OAuthScope } from './oauth-model.js';
import { ACCESS_PREFIX, findSecret, type OAuthContext, type OAuthDeps, REFRESH_PREFIX } from './oauth-secrets.js';

/** An `oauth_grants` row. */
export const grantRow = columns({
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

/** Revokes a grant still in force and ends its access tokens, inside `tx` (audited); does nothing to one already revoked. */
export async function revokeGrantIn(deps: OAuthContext, tx: Transaction, grantId: string, reason: string, now: number): Promise<void> {
  const { workspace } = deps;
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
  await deps.audit(tx, now, { type: 'oauth.revoked', actor: person, data: { grant: grantId, reason } });
}

/** Every grant, newest first. */
export async function listGrants(deps: OAuthDeps): Promise<OAuthGrantInfo[]> {
  const { rows } = await deps.store.execute(
    `SELECT id, person_id, client_id, client_name, scopes, account, created_at, last_used_at, revoked_at, revoked_reason
     FROM oauth_grants WHERE workspace = ? ORDER BY created_at DESC, id`,
    [deps.workspace],
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
}

/**
 * Token revocation (RFC 7009) by the client the token was issued to: ends the token's whole grant. False for a token
 * that is unknown, expired or already revoked; a token of another client is an `invalid_grant` refusal.
 */
export async function revokeToken(deps: OAuthContext, input: { token: string; clientId: string }): Promise<boolean> {
  const token = String(input.token ?? '');
  const kind = token.startsWith(ACCESS_PREFIX) ? 'access' : token.startsWith(REFRESH_PREFIX) ? 'refresh' : undefined;
  if (kind === undefined || token.length > 200) return false;
  return deps.store.write(async (tx) => {
    const now = deps.clock().getTime();
    const row = await findSecret(deps, tx, token, kind);
    if (!row || row.grant_id === null || row.expires_at <= now) return false;
    const { rows } = await tx.execute({
      sql: 'SELECT client_id, revoked_at FROM oauth_grants WHERE workspace = ? AND id = ?',
      args: [deps.workspace, row.grant_id],
    });
    const grant = columns({ client_id: text, revoked_at: optional(integer) }).first(rows);
    if (!grant || grant.revoked_at !== undefined) return false;
    if (grant.client_id !== input.clientId)
      throw new OAuthRequestError('invalid_grant', 'token: was issued to another client; a client revokes only its own tokens');
    await revokeGrantIn(deps, tx, row.grant_id, 'revoked_by_client', now);
    return true;
  });
}

/** Revokes a grant and every token of it (audited); an unknown id is a `not_found` error. */
export async function revokeGrant(deps: OAuthContext, grantId: string, reason: 'revoked' | 'refresh_reuse' = 'revoked'): Promise<void> {
  await deps.store.write(async (tx) => {
    const { rows } = await tx.execute({
      sql: 'SELECT id FROM oauth_grants WHERE workspace = ? AND id = ?',
      args: [deps.workspace, String(grantId)],
    });
    if (rows.length === 0) throw new NotFoundError('OAuth grant', String(grantId));
    await revokeGrantIn(deps, tx, String(grantId), reason, deps.clock().getTime());
  });
}
