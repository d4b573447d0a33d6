import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AuthorizationRequest, OAuthRequestError, parseOAuthScopes, redactSecrets, type TeamState } from '@teamstate/core';
import type { IdentityProvider, SignedInAccount } from './identity-provider.js';
import { resolveClient } from './oauth-clients.js';
import { codeOrConsent } from './oauth-consent.js';
import type { ClientInfo, OAuthContext } from './oauth-context.js';
import { page, redirect, resourceProblem, withParams } from './oauth-responses.js';

/**
 * `/oauth/authorize`: checks the client, its redirect URI and the request (PKCE S256 only), keeps it pending and sends
 * the person to sign in at the identity provider.
 */
export async function authorize(ctx: OAuthContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET') return page(response, 405, 'Use GET.');
  const q = new URL(request.url ?? '/', ctx.issuer).searchParams;
  // Until the client and its redirect URI are known to match, errors go to the person, never to a redirect.
  const client = await resolveClient(ctx, q.get('client_id'));
  if (typeof client === 'string') return page(response, 400, `Sign-in refused. ${client}`);
  const redirectUri = q.get('redirect_uri');
  if (redirectUri === null) return page(response, 400, 'Sign-in refused. redirect_uri: required');
  if (!client.redirectUris.includes(redirectUri))
    return page(response, 400, 'Sign-in refused. redirect_uri: not registered for this client (redirect URIs must match exactly)');
  const state = q.get('state') ?? undefined;
  const back = (error: string, description: string) =>
    redirect(response, withParams(redirectUri, { error, error_description: description, state, iss: ctx.issuer }));
  const pending = authorizationRequest(ctx, q, client, redirectUri);
  if ('error' in pending) return back(pending.error, pending.description);
  const handle = await ctx.ts.oauth.beginAuthorization(pending);
  redirect(response, ctx.provider.authorizeUrl({ state: handle, redirectUri: ctx.callbackUrl }));
}

/** The authorization request `q` makes for `client`, or the error to send back to its redirect URI. */
function authorizationRequest(
  ctx: OAuthContext,
  q: URLSearchParams,
  client: ClientInfo,
  redirectUri: string,
): AuthorizationRequest | { error: string; description: string } {
  const refused = (error: string, description: string) => ({ error, description });
  if (q.get('response_type') !== 'code') return refused('unsupported_response_type', 'response_type: expected code');
  const challenge = q.get('code_challenge');
  if (challenge === null) return refused('invalid_request', 'code_challenge: required (PKCE with S256)');
  if (q.get('code_challenge_method') !== 'S256')
    return refused('invalid_request', 'code_challenge_method: must be S256 (plain and a missing method are refused)');
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge))
    return refused('invalid_request', 'code_challenge: expected the base64url SHA-256 of the verifier (43 characters)');
  const target = resourceProblem(ctx.resource, q.get('resource'));
  if (target) return refused('invalid_target', target);
  let scopes: AuthorizationRequest['scopes'];
  try {
    scopes = parseOAuthScopes(q.get('scope') ?? undefined);
  } catch (error) {
    if (error instanceof OAuthRequestError) return refused(error.error, error.message);
    throw error;
  }
  const state = q.get('state') ?? undefined;
  return {
    clientId: client.clientId,
    ...(client.name ? { clientName: client.name } : {}),
    redirectUri,
    codeChallenge: challenge,
    scopes,
    ...(state === undefined ? {} : { state: state.slice(0, 500) }),
    resource: ctx.resource,
  };
}

/** The person an account someone signed in with is linked to (remote MCP and the web page), or `undefined`. */
export async function personOf(ts: TeamState, account: SignedInAccount): Promise<string | undefined> {
  const linked = await ts.people.linkedTo({ provider: account.provider, id: account.id });
  if (linked || account.provider !== 'github' || !account.login) return linked;
  // An identity override in the config (`people: [{ id: ana, github: anag }]`) names the account by its login.
  return ts.people.linkedTo({ provider: 'github', id: account.login });
}

/** Why an account that is linked to nobody is refused, and how to link it. */
export function unlinkedMessage(provider: IdentityProvider, account: SignedInAccount): string {
  const shown = account.login ? `${account.login} (id ${account.id})` : account.id;
  const override = account.provider === 'github' ? `github: ${account.login ?? account.id}` : `slack: ${account.id}`;
  return [
    `Sign-in refused: the ${provider.name} account ${shown} is not linked to a person in teamstate.`,
    'Ask whoever runs teamstate to link it, then sign in again:',
    `  - add "${override}" to your entry under people: in the teamstate config (e.g. people: [{ id: ana, name: Ana, ${override} }]) and run teamstate sync --only config, or`,
    `  - run: teamstate people link ${account.provider}:${account.id} <your person id>   (when teamstate already knows the account from a sync)`,
  ].join('\n');
}

/**
 * `/oauth/callback`: the identity provider's return. The account must be linked to a person; the client gets a code
 * for them at its redirect URI once they allowed it (the consent page, unless they allowed it these scopes before).
 */
export async function callback(ctx: OAuthContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { provider, log } = ctx;
  if (request.method !== 'GET') return page(response, 405, 'Use GET.');
  const q = new URL(request.url ?? '/', ctx.issuer).searchParams;
  const pending = await ctx.ts.oauth.takeAuthorization(q.get('state') ?? '');
  if (!pending) return page(response, 400, 'This sign-in expired or was already used. Start again from your assistant.');
  const back = (params: Record<string, string | undefined>) =>
    redirect(response, withParams(pending.redirectUri, { ...params, state: pending.state, iss: ctx.issuer }));
  if (q.get('error') !== null)
    return back({ error: 'access_denied', error_description: `the sign-in at ${provider.name} was cancelled or refused` });
  const code = q.get('code');
  if (!code) return page(response, 400, `Sign-in refused: ${provider.name} returned no code. Start again from your assistant.`);
  let account: SignedInAccount;
  try {
    account = await provider.signIn({ code, redirectUri: ctx.callbackUrl, state: q.get('state') ?? '' });
  } catch (error) {
    log.warn(`oauth: sign-in at ${provider.name} failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    return page(response, 502, `Sign-in failed: ${provider.name} did not confirm who you are. Try again in a moment.`);
  }
  const person = await personOf(ctx.ts, account);
  if (!person) {
    log.info(`oauth: refused ${provider.name} account ${account.id}: not linked to a person`);
    return page(response, 403, unlinkedMessage(provider, account));
  }
  const shown = `${provider.name} account ${account.login ?? account.id}`;
  await codeOrConsent(ctx, response, pending, { person, account: `${account.provider}:${account.id}`, shown });
}
