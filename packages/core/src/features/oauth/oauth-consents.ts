import { randomBytes, timingSafeEqual } from 'node:crypto';
import { NotFoundError } from '../../kernel/errors.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Transaction } from '../../kernel/store/driver.js';
import { columns, integer, nullable, optional, text } from '../../kernel/store/row-decoder.js';
import { revokeGrantIn } from './oauth-grants.js';
import { type AuthorizationRequest, OAUTH_LIFETIMES, OAUTH_SCOPES, type OAuthConsentInfo, type OAuthScope } from './oauth-model.js';
import { findSecret, insertSecret, type OAuthContext, type OAuthDeps, sha256 } from './oauth-secrets.js';

/** Who signed in at the identity provider: the person, and the provider account (`github:<id>`). */
export interface SignedIn {
  person: string;
  account: string;
}

/** A consent page waiting for the person's answer, as kept (by the sha256 of its session) in `oauth_secrets`. */
interface PendingConsent {
  request: AuthorizationRequest;
  signedIn: SignedIn;
  /** The sha256 of the page's CSRF token. */
  csrf: string;
}

/** The outcome of an answer at the consent page. */
export type ConsentDecision =
  | { outcome: 'allowed'; request: AuthorizationRequest; person: string; code: string }
  | { outcome: 'denied'; request: AuthorizationRequest; person: string }
  /** No page waits under this session (expired, already answered, or never shown to this browser). */
  | { outcome: 'unknown' }
  /** The session is known but the CSRF token is missing or wrong: nothing changes. */
  | { outcome: 'forged' };

/** The scopes of a consent as stored and compared: a JSON array in the order read, propose, write. */
const scopeKey = (scopes: readonly OAuthScope[]) => JSON.stringify(OAUTH_SCOPES.filter((s) => scopes.includes(s)));

const consentRow = columns({
  person_id: text,
  client_id: text,
  scopes: text,
  client_name: nullable(text),
  redirect_uri: text,
  created_at: integer,
  last_used_at: optional(integer),
});

/** True when `person` allowed `clientId` these exact scopes at the consent page and the consent was not revoked since. */
export async function hasConsentIn(deps: OAuthDeps, tx: Transaction, person: string, clientId: string, scopes: readonly OAuthScope[]) {
  const { rows } = await tx.execute({
    sql: 'SELECT 1 FROM oauth_consents WHERE workspace = ? AND person_id = ? AND client_id = ? AND scopes = ?',
    args: [deps.workspace, person, clientId, scopeKey(scopes)],
  });
  return rows.length > 0;
}

/** True when `person` already allowed the client of `request` its scopes (the consent page can be skipped). */
export async function hasConsent(deps: OAuthDeps, request: AuthorizationRequest, person: string): Promise<boolean> {
  return deps.store.write(async (tx) => {
    if (!(await hasConsentIn(deps, tx, person, request.clientId, request.scopes))) return false;
    await tx.execute({
      sql: 'UPDATE oauth_consents SET last_used_at = ? WHERE workspace = ? AND person_id = ? AND client_id = ? AND scopes = ?',
      args: [deps.clock().getTime(), deps.workspace, person, request.clientId, scopeKey(request.scopes)],
    });
    return true;
  });
}

/**
 * Keeps a consent page for the person who signed in: returns the session secret (for an HttpOnly cookie) and the CSRF
 * token (for the page's form). Only both together, within 15 minutes and once, answer the page.
 */
export async function beginConsent(
  deps: OAuthDeps,
  request: AuthorizationRequest,
  signedIn: SignedIn,
): Promise<{ session: string; csrf: string }> {
  const session = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const data: PendingConsent = { request, signedIn, csrf: sha256(csrf) };
  await deps.store.write((tx) => insertSecret(deps, tx, session, 'consent', OAUTH_LIFETIMES.request, { data }));
  return { session, csrf };
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/**
 * The person's answer at the consent page. The session (the cookie) names the page and the CSRF token (the form) must be
 * the page's own; a forged answer changes nothing. A real answer is taken once: Allow remembers the consent (audited)
 * and issues the code, Deny issues nothing.
 */
export async function decideConsent(
  deps: OAuthContext,
  input: { session: string | undefined; csrf: string | undefined; allow: boolean },
  issue: (tx: Transaction, request: AuthorizationRequest, signedIn: SignedIn) => Promise<string>,
): Promise<ConsentDecision> {
  const session = input.session ?? '';
  if (session.length === 0 || session.length > 200) return { outcome: 'unknown' };
  return deps.store.write(async (tx) => {
    const now = deps.clock().getTime();
    const row = await findSecret(deps, tx, session, 'consent');
    if (!row || row.data === null || row.expires_at <= now) return { outcome: 'unknown' } as const;
    const pending = JSON.parse(row.data) as PendingConsent;
    const csrf = input.csrf ?? '';
    if (csrf.length === 0 || csrf.length > 200 || !sameHash(sha256(csrf), pending.csrf)) return { outcome: 'forged' } as const;
    await tx.execute({ sql: 'DELETE FROM oauth_secrets WHERE workspace = ? AND hash = ?', args: [deps.workspace, sha256(session)] });
    const { request, signedIn } = pending;
    if (!input.allow) return { outcome: 'denied', request, person: signedIn.person } as const;
    await tx.execute({
      sql: `INSERT INTO oauth_consents (workspace, person_id, client_id, scopes, client_name, redirect_uri, created_at, last_used_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (workspace, person_id, client_id, scopes) DO UPDATE SET last_used_at = excluded.last_used_at`,
      args: [
        deps.workspace,
        signedIn.person,
        request.clientId,
        scopeKey(request.scopes),
        request.clientName ?? null,
        request.redirectUri,
        now,
        now,
      ],
    });
    await deps.audit(tx, now, {
      type: 'oauth.consented',
      actor: signedIn.person,
      data: { client: request.clientId, scopes: request.scopes, redirectUri: request.redirectUri },
    });
    return { outcome: 'allowed', request, person: signedIn.person, code: await issue(tx, request, signedIn) } as const;
  });
}

/** The consents people gave at the consent page, newest first; only `person`'s when given. */
export async function listConsents(deps: OAuthDeps, filter: { person?: string } = {}): Promise<OAuthConsentInfo[]> {
  const { rows } = await deps.store.execute(
    `SELECT person_id, client_id, scopes, client_name, redirect_uri, created_at, last_used_at FROM oauth_consents
     WHERE workspace = ? AND (? IS NULL OR person_id = ?) ORDER BY created_at DESC, client_id, person_id`,
    [deps.workspace, filter.person ?? null, filter.person ?? null],
  );
  return consentRow.all(rows).map((row) => ({
    person: row.person_id,
    client: row.client_id,
    ...(row.client_name ? { clientName: row.client_name } : {}),
    scopes: JSON.parse(row.scopes) as OAuthScope[],
    redirectUri: row.redirect_uri,
    grantedAt: formatTimestamp(row.created_at),
    ...(row.last_used_at === undefined ? {} : { lastUsedAt: formatTimestamp(row.last_used_at) }),
  }));
}

/**
 * Ends what `client` holds for `person` (or for everyone): the remembered consents, every sign-in through it and their
 * tokens, and the codes and consent pages still open. The next sign-in asks for consent again. Audited; a client with
 * nothing to end is a `not_found` error.
 */
export async function revokeClient(
  deps: OAuthContext,
  input: { client: string; person?: string },
): Promise<{ consents: number; signIns: number }> {
  const { workspace } = deps;
  const client = input.client;
  const person = input.person ?? null;
  return deps.store.write(async (tx) => {
    const now = deps.clock().getTime();
    const { rows } = await tx.execute({
      sql: 'SELECT id FROM oauth_grants WHERE workspace = ? AND client_id = ? AND (? IS NULL OR person_id = ?) AND revoked_at IS NULL',
      args: [workspace, client, person, person],
    });
    const grants = columns({ id: text }).all(rows);
    for (const grant of grants) await revokeGrantIn(deps, tx, grant.id, 'revoked', now);
    const consents = await tx.execute({
      sql: 'SELECT person_id FROM oauth_consents WHERE workspace = ? AND client_id = ? AND (? IS NULL OR person_id = ?)',
      args: [workspace, client, person, person],
    });
    const people = [
      ...new Set(
        columns({ person_id: text })
          .all(consents.rows)
          .map((r) => r.person_id),
      ),
    ];
    await tx.execute({
      sql: 'DELETE FROM oauth_consents WHERE workspace = ? AND client_id = ? AND (? IS NULL OR person_id = ?)',
      args: [workspace, client, person, person],
    });
    // Codes not yet redeemed and pages not yet answered would otherwise outlive the revocation by minutes.
    await tx.execute({
      sql: `DELETE FROM oauth_secrets WHERE workspace = ? AND kind IN ('code', 'consent')
              AND COALESCE(json_extract(data, '$.clientId'), json_extract(data, '$.request.clientId')) = ?
              AND (? IS NULL OR COALESCE(json_extract(data, '$.person'), json_extract(data, '$.signedIn.person')) = ?)`,
      args: [workspace, client, person, person],
    });
    if (grants.length === 0 && consents.rows.length === 0) throw new NotFoundError('OAuth client', client);
    for (const who of people) await deps.audit(tx, now, { type: 'oauth.consent_revoked', actor: who, data: { client } });
    return { consents: consents.rows.length, signIns: grants.length };
  });
}
