import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// The tables the oauth feature owns (scoped by `workspace`, timestamps in epoch milliseconds, like every table).

/** OAuth clients registered dynamically (`POST /oauth/register`); clients named by a metadata URL are not stored. */
export const oauthClients = sqliteTable(
  'oauth_clients',
  {
    workspace: text('workspace').notNull(),
    clientId: text('client_id').notNull(),
    name: text('name'),
    /** JSON array of the exact redirect URIs the client registered. */
    redirectUris: text('redirect_uris').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.clientId] })],
);

/**
 * A person's sign-in through an OAuth client: one family of rotating refresh tokens. Revoking it ends every token
 * of the family; so does presenting a refresh token that was already rotated.
 */
export const oauthGrants = sqliteTable(
  'oauth_grants',
  {
    workspace: text('workspace').notNull(),
    id: text('id').notNull(),
    personId: text('person_id').notNull(),
    clientId: text('client_id').notNull(),
    clientName: text('client_name'),
    /** JSON array of scopes: read, propose, write (never decide). */
    scopes: text('scopes').notNull(),
    /** The provider account the person signed in with, `github:<id>` or `slack:<id>`. */
    account: text('account').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
    /** Why it was revoked: `revoked` (by a person), `revoked_by_client` (RFC 7009), `refresh_reuse` or `code_reuse`. */
    revokedReason: text('revoked_reason'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.id] }), index('oauth_grants_person_idx').on(t.workspace, t.personId)],
);

/**
 * What a person allowed at the consent page: a client may sign them in with these scopes (a JSON array in the order
 * read, propose, write). The next sign-in through the same client with the same scopes skips the page; revoking the
 * client (`teamstate tokens revoke --client`) deletes the row, so the page is shown again.
 */
export const oauthConsents = sqliteTable(
  'oauth_consents',
  {
    workspace: text('workspace').notNull(),
    personId: text('person_id').notNull(),
    clientId: text('client_id').notNull(),
    scopes: text('scopes').notNull(),
    /** The name the client gave itself when the person allowed it (shown as the client's claim, never verified). */
    clientName: text('client_name'),
    /** The redirect URI the code of that consent went to. */
    redirectUri: text('redirect_uri').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.personId, t.clientId, t.scopes] })],
);

/**
 * Short-lived secrets of the OAuth flow, by the sha256 of the secret (the secret itself is never stored): pending
 * authorization requests, authorization codes, access and refresh tokens.
 */
export const oauthSecrets = sqliteTable(
  'oauth_secrets',
  {
    workspace: text('workspace').notNull(),
    hash: text('hash').notNull(),
    /** `request`, `consent` (a consent page waiting for Allow or Deny), `code`, `access` or `refresh`. */
    kind: text('kind').notNull(),
    grantId: text('grant_id'),
    /** JSON of a pending request or a code (client, redirect URI, PKCE challenge, scopes, resource). */
    data: text('data'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** When a code was exchanged or a refresh token rotated: presenting it again is reuse. */
    usedAt: integer('used_at'),
  },
  (t) => [primaryKey({ columns: [t.workspace, t.hash] }), index('oauth_secrets_grant_idx').on(t.workspace, t.grantId)],
);
