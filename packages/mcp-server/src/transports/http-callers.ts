import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TeamState } from '@teamstate/core';
import type { HttpAccess } from './http-access.js';
import { reply } from './http-reply.js';
import { bearerToken, type GuardSettings, isSharedToken } from './request-guard.js';

/** Who a request authenticated as: the shared token (its person, if configured) or a person's token. */
export type Caller = Admitted | { refusal: { status: 401 | 403; message: string; invalidToken?: true } };
export type Admitted = { key: string; person?: string; scopes?: readonly string[] };

/** What admitting a request needs: the guard, the access checks and the `WWW-Authenticate` challenges of a 401. */
export interface Gate {
  teamState: TeamState;
  guard: GuardSettings;
  access: HttpAccess;
  /** The person the shared token acts for, if any. */
  onBehalfOf: string | undefined;
  /** Without a token, or with one that failed (`error="invalid_token"`). */
  challenge: string;
  invalidTokenChallenge: string;
}

/**
 * The `WWW-Authenticate` challenges of a 401 (RFC 6750 section 3.1): without a token the plain challenge; with one
 * that failed, `error="invalid_token"` too. Both name the protected resource metadata URL, if any.
 */
export function bearerChallenges(resourceMetadataUrl: string | undefined): Pick<Gate, 'challenge' | 'invalidTokenChallenge'> {
  const metadata = resourceMetadataUrl ? `, resource_metadata="${resourceMetadataUrl.replace(/["\\]/g, '')}"` : '';
  return {
    challenge: `Bearer realm="teamstate"${metadata}`,
    invalidTokenChallenge: `Bearer realm="teamstate", error="invalid_token", error_description="the access token is invalid, expired or revoked"${metadata}`,
  };
}

/**
 * The shared token (single user: its person is `onBehalfOf`, if set) or a per-person token with `read` and never
 * `decide`: an assistant must not hold a credential that can approve.
 */
async function authenticate(gate: Gate, request: IncomingMessage): Promise<Caller> {
  const token = bearerToken(request);
  if (token === undefined) return { refusal: { status: 401, message: 'missing "Authorization: Bearer <token>" header' } };
  if (isSharedToken(token, gate.guard)) return { key: 'shared', person: gate.onBehalfOf };
  const found = await gate.teamState.tokens.authenticate(token);
  if (!found) return { refusal: { status: 401, message: 'the bearer token is not valid', invalidToken: true } };
  if (found.scopes.includes('decide')) {
    return {
      refusal: {
        status: 403,
        message: `token ${found.id} can decide approvals; an assistant never holds such a token: create one without the decide scope for MCP`,
      },
    };
  }
  if (!found.scopes.includes('read')) return { refusal: { status: 403, message: `token ${found.id} has no read scope` } };
  return { key: `token:${found.id}`, person: found.person, scopes: found.scopes };
}

/** The caller of a request that passes the Host/Origin checks and authentication; otherwise answers it and returns undefined. */
export async function admit(gate: Gate, request: IncomingMessage, response: ServerResponse): Promise<Admitted | undefined> {
  if (gate.access.refuse(request, response)) return undefined;
  const caller = await authenticate(gate, request);
  if ('refusal' in caller) {
    const { status, message, invalidToken } = caller.refusal;
    const header = invalidToken ? gate.invalidTokenChallenge : gate.challenge;
    return void reply(response, status, message, status === 401 ? { 'www-authenticate': header } : {});
  }
  return caller;
}
