import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AuthorizationRequest, OAuthRequestError, parseOAuthScopes, redactSecrets, type TeamState } from '@teamstate/core';
import type { IdentityProvider, SignedInAccount } from './identity-provider.js';
import { resolveClient } from './oauth-clients.js';
import { codeOrConsent } from './oauth-consent.js';
import { escapeHtml, pageSecurityHeaders } from './oauth-consent-page.js';
import type { ClientInfo, OAuthContext } from './oauth-context.js';
import { page, redirect, resourceProblem, withParams } from './oauth-responses.js';
import { OidcRefusal } from './oidc-provider.js';

/**
 * The state sent to a provider: the pending authorization's handle, prefixed with `oidc.` for the OpenID Connect
 * provider so that its return is told apart from GitHub's or Slack's at the one callback URL.
 */
const stateFor = (provider: IdentityProvider, handle: string) => (provider.provider === 'oidc' ? `oidc.${handle}` : handle);

/** The provider a returned state belongs to, and the handle in it. */
function fromState(ctx: OAuthContext, state: string): { provider: IdentityProvider | undefined; handle: string } {
  const oidc = state.startsWith('oidc.');
  const provider = ctx.providers.find((p) => (p.provider === 'oidc') === oidc);
  return { provider, handle: oidc ? state.slice('oidc.'.length) : state };
}

/** Sends the person to `provider` to sign in for the pending authorization `handle`. */
async function toProvider(ctx: OAuthContext, response: ServerResponse, provider: IdentityProvider, handle: string): Promise<void> {
  let url: string;
  try {
    url = await provider.authorizeUrl({ state: stateFor(provider, handle), redirectUri: ctx.callbackUrl });
  } catch (error) {
    ctx.log.warn(
      `oauth: ${provider.name} sign-in could not start: ${redactSecrets(error instanceof Error ? error.message : String(error))}`,
    );
    return page(response, 502, `Sign-in failed: ${provider.name} could not be reached or is misconfigured. Try again in a moment.`);
  }
  redirect(response, url);
}

/** With several providers: a page offering each (no script; plain links to `/oauth/sign-in`). */
function chooser(ctx: OAuthContext, response: ServerResponse, handle: string): void {
  const links = ctx.providers
    .map(
      (p) =>
        `<li><a href="${escapeHtml(withParams(`${ctx.issuer}/oauth/sign-in`, { provider: p.provider, state: handle }))}">Sign in with ${escapeHtml(p.name)}</a></li>`,
    )
    .join('');
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...pageSecurityHeaders() });
  response.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to teamstate</title></head><body><main><h1>Sign in to teamstate</h1><ul>${links}</ul></main></body></html>`,
  );
}

/** `/oauth/sign-in?provider=&state=`: the person's choice on the chooser page. */
export async function continueSignIn(ctx: OAuthContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET') return page(response, 405, 'Use GET.');
  const q = new URL(request.url ?? '/', ctx.issuer).searchParams;
  const provider = ctx.providers.find((p) => p.provider === q.get('provider'));
  const handle = q.get('state');
  if (!provider || !handle)
    return page(response, 400, 'Sign-in refused: choose a provider on the sign-in page. Start again from your assistant.');
  return toProvider(ctx, response, provider, handle);
}

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
  const [only] = ctx.providers;
  if (ctx.providers.length === 1 && only) return toProvider(ctx, response, only, handle);
  chooser(ctx, response, handle);
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
  if (account.provider === 'oidc') return personByEmail(ts, account);
  const linked = await ts.people.linkedTo({ provider: account.provider, id: account.id });
  if (linked || account.provider !== 'github' || !account.login) return linked;
  // An identity override in the config (`people: [{ id: ana, github: anag }]`) names the account by its login.
  return ts.people.linkedTo({ provider: 'github', id: account.login });
}

/**
 * The person of an OpenID Connect sign-in: an account linked explicitly (`teamstate people link oidc:<sub> <person>`),
 * else the one person whose `email` (bundle, config) is the verified email, compared without case.
 */
async function personByEmail(ts: TeamState, account: SignedInAccount): Promise<string | undefined> {
  const linked = await ts.people.linkedTo({ provider: 'oidc', id: account.id });
  if (linked) return linked;
  const email = account.email?.toLowerCase();
  if (!email) return undefined;
  const matches = (await ts.people.list({})).filter((person) => person.email?.toLowerCase() === email);
  return matches.length === 1 ? matches[0]?.id : undefined;
}

/** Why an account that is linked to nobody is refused, and how to link it. */
export function unlinkedMessage(provider: IdentityProvider, account: SignedInAccount): string {
  if (account.provider === 'oidc')
    return [
      `Sign-in refused: the email ${account.email ?? account.id} is not linked to a person in teamstate.`,
      'Ask whoever runs teamstate to link it, then sign in again:',
      `  - add "email: ${account.email ?? ''}" to your entry under people: in the teamstate config (e.g. people: [{ id: ana, name: Ana, email: ${account.email ?? 'ana@acme.example'} }]) and run teamstate sync --only config, or`,
      `  - run: teamstate people link oidc:${account.id} <your person id>`,
    ].join('\n');
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
  const { log } = ctx;
  if (request.method !== 'GET') return page(response, 405, 'Use GET.');
  const q = new URL(request.url ?? '/', ctx.issuer).searchParams;
  const state = q.get('state') ?? '';
  const { provider, handle } = fromState(ctx, state);
  const pending = provider ? await ctx.ts.oauth.takeAuthorization(handle) : undefined;
  if (!pending || !provider) return page(response, 400, 'This sign-in expired or was already used. Start again from your assistant.');
  const back = (params: Record<string, string | undefined>) =>
    redirect(response, withParams(pending.redirectUri, { ...params, state: pending.state, iss: ctx.issuer }));
  if (q.get('error') !== null)
    return back({ error: 'access_denied', error_description: `the sign-in at ${provider.name} was cancelled or refused` });
  const code = q.get('code');
  if (!code) return page(response, 400, `Sign-in refused: ${provider.name} returned no code. Start again from your assistant.`);
  let account: SignedInAccount;
  try {
    account = await provider.signIn({ code, redirectUri: ctx.callbackUrl, state });
  } catch (error) {
    if (error instanceof OidcRefusal) {
      log.warn(`oauth: ${provider.name} sign-in refused: ${redactSecrets(error.message)}`);
      return page(response, 403, `Sign-in refused: ${error.message}. Start again from your assistant.`);
    }
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
