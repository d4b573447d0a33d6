import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DecisionAuthentication, TeamState } from '@teamstate/core';

/** Who a REST request authenticated as, and what it may do. */
export interface RestCaller {
  /** The person of the credential (a personal or OAuth token, or the shared token's `mcp.person`), if any. */
  person?: string;
  scopes: readonly string[];
  /** `api:<token id>` or `api:shared`: who proposes when the credential has no person. */
  name: string;
  /** How a decision through this credential was authenticated, for the ledger. */
  authentication: DecisionAuthentication;
}

/** The credentials the REST API accepts: those of `/mcp`, `decide` tokens included. */
export interface RestCredentials {
  ts: TeamState;
  /** The shared token of the server (`TEAMSTATE_MCP_TOKEN`), if any. */
  sharedToken?: string;
  /** The person the shared token acts for (`mcp.person`). */
  sharedPerson?: string;
}

/** The scopes of the shared token: a single user's, everything but deciding (as on `/mcp`). */
const SHARED_SCOPES = ['read', 'propose', 'write'] as const;

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The bearer token of a request, if it has one. */
function bearer(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/**
 * The caller of a request: `missing` without a bearer token, `invalid` for an unknown, revoked or expired one.
 * Unlike `/mcp`, a token with `decide` is accepted: deciding is what people do here.
 */
export async function restCaller(credentials: RestCredentials, request: IncomingMessage): Promise<RestCaller | 'missing' | 'invalid'> {
  const token = bearer(request);
  if (token === undefined) return 'missing';
  const { sharedToken } = credentials;
  if (sharedToken !== undefined && timingSafeEqual(digest(token), digest(sharedToken)))
    return {
      ...(credentials.sharedPerson ? { person: credentials.sharedPerson } : {}),
      scopes: SHARED_SCOPES,
      name: 'api:shared',
      authentication: { method: 'token', token: 'shared' },
    };
  const found = await credentials.ts.tokens.authenticate(token);
  if (!found) return 'invalid';
  return { person: found.person, scopes: found.scopes, name: `api:${found.id}`, authentication: { method: 'token', token: found.id } };
}
