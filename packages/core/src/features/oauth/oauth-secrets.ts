import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { type IssuedTokens, OAUTH_LIFETIMES, type OAuthScope } from './oauth-model.js';

/** What `ts.oauth` works over; `clock` is the write path's clock (injected in tests for expiry). */
export interface OAuthDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
}

/** An OAuth change for the audit ledger. */
export interface OAuthAuditEvent {
  type: 'oauth.granted' | 'oauth.revoked' | 'oauth.consented' | 'oauth.consent_revoked';
  /** The person whose sign-in it is. */
  actor: string;
  data: Record<string, unknown>;
}

/** What the OAuth functions work with: {@link OAuthDeps}, and the audit ledger `createOAuthApi` hands in. */
export interface OAuthContext extends OAuthDeps {
  /** Appends an event to the audit ledger inside `tx`, so it commits (or rolls back) with the change. */
  audit(tx: Transaction, at: number, event: OAuthAuditEvent): Promise<unknown>;
}

/** The kinds of secret kept in `oauth_secrets`, each only as its sha256. */
export type SecretKind = 'access' | 'refresh' | 'code' | 'request' | 'consent';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const secret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;
export const ACCESS_PREFIX = 'tsa_';
export const REFRESH_PREFIX = 'tsr_';

const secretRow = columns({ kind: text, grant_id: nullable(text), data: nullable(text), expires_at: integer, used_at: nullable(integer) });

/** True when `token` looks like an OAuth access token of teamstate (`tsa_…`). */
export function isOAuthAccessToken(token: string): boolean {
  return token.startsWith(ACCESS_PREFIX);
}

/** Keeps a secret (by its hash) for `expiresIn` milliseconds from now, tied to a grant or carrying data. */
export async function insertSecret(
  deps: OAuthDeps,
  tx: Transaction,
  value: string,
  kind: SecretKind,
  expiresIn: number,
  extra: { grantId?: string; data?: unknown },
): Promise<void> {
  const now = deps.clock().getTime();
  await tx.execute({
    sql: 'INSERT INTO oauth_secrets (workspace, hash, kind, grant_id, data, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    args: [
      deps.workspace,
      sha256(value),
      kind,
      extra.grantId ?? null,
      extra.data === undefined ? null : JSON.stringify(extra.data),
      now,
      now + expiresIn,
    ],
  });
}

/** The stored secret of this value and kind, expired or used or not; `undefined` when there is none. */
export async function findSecret(deps: OAuthDeps, tx: Transaction, value: string, kind: SecretKind) {
  const { rows } = await tx.execute({
    sql: 'SELECT kind, grant_id, data, expires_at, used_at FROM oauth_secrets WHERE workspace = ? AND hash = ?',
    args: [deps.workspace, sha256(value)],
  });
  const row = secretRow.first(rows);
  return row && row.kind === kind ? row : undefined;
}

/** A new access and refresh token of a grant, as the token endpoint answers them. */
export async function issueTokens(deps: OAuthDeps, tx: Transaction, grantId: string, scopes: readonly OAuthScope[]): Promise<IssuedTokens> {
  const access = secret(ACCESS_PREFIX);
  const refresh = secret(REFRESH_PREFIX);
  await insertSecret(deps, tx, access, 'access', OAUTH_LIFETIMES.access, { grantId });
  await insertSecret(deps, tx, refresh, 'refresh', OAUTH_LIFETIMES.refresh, { grantId });
  return {
    access_token: access,
    token_type: 'Bearer',
    expires_in: OAUTH_LIFETIMES.access / 1000,
    refresh_token: refresh,
    scope: scopes.join(' '),
  };
}
