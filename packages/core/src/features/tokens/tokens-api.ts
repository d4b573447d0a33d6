import { createHash, randomBytes } from 'node:crypto';
import { NotFoundError, TeamStateError, unknownId } from '../../kernel/errors.js';
import { parseDuration } from '../../kernel/model/duration.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, optional, text } from '../../kernel/store/row-decoder.js';
import { personIds } from '../../services/approvals/index.js';
import { appendAuditEvent } from '../../services/audit/index.js';

/** What a token may do: read the team's state, propose actions, write (reports, feedback), decide approvals. */
export type TokenScope = 'read' | 'propose' | 'write' | 'decide';

/** The scopes a token has when none are given; `decide` only when asked for. */
export const DEFAULT_TOKEN_SCOPES: readonly TokenScope[] = ['read', 'propose', 'write'];
const SCOPES: readonly TokenScope[] = ['read', 'propose', 'write', 'decide'];
const DEFAULT_EXPIRES = '90d';

/** A stored token, without the secret. */
export interface TokenInfo {
  id: string;
  person: string;
  scopes: TokenScope[];
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
  /** `oauth` for a person's sign-in through an OAuth client (id `grt_…`); absent for a personal token. */
  kind?: 'oauth';
  /** The OAuth client (its id, or its metadata URL) of an `oauth` entry. */
  client?: string;
  /** The name the OAuth client gave itself, when it gave one. */
  clientName?: string;
  /** When an `oauth` entry was last refreshed. */
  lastUsedAt?: string;
}

/** A token just created: the only time the secret `token` is available. */
export interface CreatedToken {
  id: string;
  person: string;
  scopes: TokenScope[];
  expiresAt: string;
  token: string;
}

/** Who a valid token belongs to and what it may do. */
export interface AuthenticatedToken {
  id: string;
  person: string;
  scopes: TokenScope[];
  expiresAt?: string;
}

/** The OAuth sign-ins (`ts.oauth`) that tokens list, revoke and authenticate beside the personal tokens. */
export interface OAuthSignIns {
  grants(): Promise<
    {
      id: string;
      person: string;
      client: string;
      clientName?: string;
      scopes: TokenScope[];
      createdAt: string;
      lastUsedAt?: string;
      revokedAt?: string;
    }[]
  >;
  revoke(grantId: string): Promise<void>;
  /** The caller of an OAuth access token, or `undefined` for anything else (a personal token, an unknown one). */
  authenticate(accessToken: string): Promise<AuthenticatedToken | undefined>;
}

/** `ts.tokens`: per-person tokens for MCP over HTTP and CLI decisions (docs/cli-governance.md#tokens). */
export interface Tokens {
  /**
   * Creates a token for a person (default scopes `read,propose,write`, expiring after 90 days) and audits it.
   * @example const { token } = await ts.tokens.create({ person: 'ana', scopes: ['decide'], expires: '30d' })
   */
  create(input: { person: string; scopes?: readonly TokenScope[]; expires?: string }): Promise<CreatedToken>;
  /** Every token of the workspace, newest first, without secrets: personal tokens and OAuth sign-ins (`kind: 'oauth'`). */
  list(): Promise<TokenInfo[]>;
  /** Revokes a token (`tok_…`) or an OAuth sign-in (`grt_…`, every token of it) at once (audited); an unknown id is a `not_found` error. */
  revoke(id: string): Promise<void>;
  /** The person and scopes of a valid token or OAuth access token (not revoked, not expired), or `undefined`. */
  authenticate(token: string): Promise<AuthenticatedToken | undefined>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const parseScopes = (scopes: string) => JSON.parse(scopes) as TokenScope[];
const optionalIso = (ms: number | undefined) => (ms === undefined ? undefined : formatTimestamp(ms));

const tokenRow = columns({
  id: text,
  person_id: text,
  scopes: text,
  created_at: integer,
  expires_at: optional(integer),
  revoked_at: optional(integer),
});
const revokedRow = columns({ person_id: text, revoked_at: optional(integer) });
const validRow = columns({ id: text, person_id: text, scopes: text, expires_at: optional(integer) });

/** Builds `ts.tokens` over the store; `clock` is the write path's (real) clock. */
export function createTokensApi(deps: { store: Store; workspace: string; clock: () => Date; oauth?: () => OAuthSignIns }): Tokens {
  const { store, workspace, clock, oauth } = deps;
  return {
    async create(input) {
      const scopes = input.scopes ?? DEFAULT_TOKEN_SCOPES;
      if (!Array.isArray(scopes) || scopes.length === 0)
        throw new TeamStateError('invalid_argument', 'scopes: give at least one of read, propose, write or decide');
      for (const scope of scopes) {
        if (!SCOPES.includes(scope))
          throw new TeamStateError(
            'invalid_argument',
            `scopes: unknown scope ${JSON.stringify(scope)} (expected read, propose, write or decide)`,
          );
      }
      const expires = input.expires ?? DEFAULT_EXPIRES;
      const lifetime = typeof expires === 'string' ? parseDuration(expires) : undefined;
      if (lifetime === undefined)
        throw new TeamStateError(
          'invalid_argument',
          `expires: expected a duration such as 90d, 12h or 30m, got ${JSON.stringify(expires)}`,
        );
      const unique = SCOPES.filter((scope) => scopes.includes(scope));
      const id = `tok_${randomBytes(8).toString('hex')}`;
      const token = `tst_${randomBytes(32).toString('base64url')}`;
      return store.write(async (tx) => {
        const known = await personIds(tx, workspace);
        if (!known.includes(input.person)) {
          // The closest id when it is a likely typo; otherwise the people it could be, while they are few enough to list.
          throw unknownId('person', input.person, known, { list: 'unsuggested' });
        }
        const now = clock().getTime();
        const expiresAt = now + lifetime;
        await tx.execute({
          sql: 'INSERT INTO tokens (workspace, id, person_id, scopes, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          args: [workspace, id, input.person, JSON.stringify(unique), sha256(token), now, expiresAt],
        });
        await appendAuditEvent(tx, workspace, now, {
          type: 'token.created',
          actor: input.person,
          data: { token: id, scopes: unique, expiresAt: formatTimestamp(expiresAt) },
        });
        return { id, person: input.person, scopes: unique, expiresAt: formatTimestamp(expiresAt), token };
      });
    },

    async list() {
      const { rows } = await store.execute(
        'SELECT id, person_id, scopes, created_at, expires_at, revoked_at FROM tokens WHERE workspace = ? ORDER BY created_at DESC, id',
        [workspace],
      );
      const personal = tokenRow.all(rows).map((row) => {
        const info: TokenInfo = {
          id: row.id,
          person: row.person_id,
          scopes: parseScopes(row.scopes),
          createdAt: formatTimestamp(row.created_at),
        };
        const expiresAt = optionalIso(row.expires_at);
        const revokedAt = optionalIso(row.revoked_at);
        if (expiresAt) info.expiresAt = expiresAt;
        if (revokedAt) info.revokedAt = revokedAt;
        return info;
      });
      const grants: TokenInfo[] = (oauth ? await oauth().grants() : []).map((grant) => ({
        id: grant.id,
        person: grant.person,
        scopes: grant.scopes,
        createdAt: grant.createdAt,
        ...(grant.revokedAt ? { revokedAt: grant.revokedAt } : {}),
        kind: 'oauth' as const,
        client: grant.client,
        ...(grant.clientName ? { clientName: grant.clientName } : {}),
        ...(grant.lastUsedAt ? { lastUsedAt: grant.lastUsedAt } : {}),
      }));
      return [...personal, ...grants].sort((a, b) =>
        a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : b.createdAt.localeCompare(a.createdAt),
      );
    },

    async revoke(id) {
      if (oauth && String(id).startsWith('grt_')) return oauth().revoke(String(id));
      await store.write(async (tx) => {
        const { rows } = await tx.execute({
          sql: 'SELECT person_id, revoked_at FROM tokens WHERE workspace = ? AND id = ?',
          args: [workspace, String(id)],
        });
        const row = revokedRow.first(rows);
        if (!row) throw new NotFoundError('token', String(id));
        if (row.revoked_at !== undefined) return;
        const now = clock().getTime();
        await tx.execute({ sql: 'UPDATE tokens SET revoked_at = ? WHERE workspace = ? AND id = ?', args: [now, workspace, id] });
        await appendAuditEvent(tx, workspace, now, { type: 'token.revoked', actor: row.person_id, data: { token: id } });
      });
    },

    async authenticate(token) {
      if (typeof token !== 'string') return undefined;
      // Personal tokens are `tst_…`; anything else may be an OAuth access token, which the sign-ins know.
      if (!token.startsWith('tst_')) return oauth ? oauth().authenticate(token) : undefined;
      if (token.length > 200) return undefined;
      const { rows } = await store.execute(
        'SELECT id, person_id, scopes, expires_at FROM tokens WHERE workspace = ? AND token_hash = ? AND revoked_at IS NULL',
        [workspace, sha256(token)],
      );
      const row = validRow.first(rows);
      if (!row) return undefined;
      if (row.expires_at !== undefined && row.expires_at <= clock().getTime()) return undefined;
      const found: AuthenticatedToken = { id: row.id, person: row.person_id, scopes: parseScopes(row.scopes) };
      const expiresAt = optionalIso(row.expires_at);
      if (expiresAt) found.expiresAt = expiresAt;
      return found;
    },
  };
}
