import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactSecrets } from '@teamstate/core';
import type { SignedInAccount } from '../oauth/identity-provider.js';
import { personOf, unlinkedMessage } from '../oauth/oauth-sign-in.js';
import { pathAfter, postedForm, type WebContext, wrongMethod } from './web-context.js';
import { csrfInput, escapeHtml, layout, seeOther, sendPage } from './web-html.js';
import { type SignedIn, sessionCookie } from './web-session.js';

/** Where identity providers send a person back after a web sign-in (a sub-path of remote MCP's `/oauth/callback`). */
export const WEB_CALLBACK_PATH = '/oauth/callback/web';

/** The sign-in page: a token form, and a link per configured identity provider. */
export async function signInPage(ctx: WebContext, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  if (request.method === 'POST') return signInWithToken(ctx, request, response, body);
  if (request.method !== 'GET') return wrongMethod(response, 'GET, POST');
  const found = ctx.sessions.find(request);
  if (found?.signedIn) return seeOther(response, '/approvals');
  const session = found ?? ctx.sessions.start();
  const providers =
    ctx.publicUrl && ctx.providers.length > 0
      ? `<h2>With your account</h2><p class="providers">${ctx.providers
          .map((p) => `<a href="/signin/${encodeURIComponent(p.provider)}">Sign in with ${escapeHtml(p.name)}</a>`)
          .join('')}</p>`
      : '';
  const html = layout(
    'Sign in to teamstate',
    [
      providers,
      '<h2>With a token</h2>',
      '<form method="post" action="/signin">',
      csrfInput(session),
      '<label>Token <input type="password" name="token" autocomplete="off" required></label>',
      '<button type="submit">Sign in</button></form>',
      '<p class="note">A token from <code>teamstate tokens create --person &lt;you&gt;</code>; it can approve only with the decide scope (<code>--scopes read,decide</code>).</p>',
    ].join(''),
  );
  sendPage(response, 200, html, found ? {} : { 'set-cookie': sessionCookie(session, ctx.secure) });
}

async function nameOf(ctx: WebContext, person: string): Promise<string> {
  return (await ctx.ts.people.get(person))?.name ?? person;
}

/** Replaces the browser's session with a signed-in one (a new id and CSRF token) and sends it to the queue. */
function startSignedIn(ctx: WebContext, request: IncomingMessage, response: ServerResponse, who: SignedIn): void {
  const old = ctx.sessions.find(request);
  if (old) ctx.sessions.end(old);
  const session = ctx.sessions.start(who);
  ctx.log.info(`web: ${who.person} signed in with ${who.via}`);
  seeOther(response, '/approvals', { 'set-cookie': sessionCookie(session, ctx.secure) });
}

async function signInWithToken(ctx: WebContext, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  const session = ctx.sessions.find(request);
  const form = postedForm(session, response, body);
  if (!form) return;
  const token = await ctx.ts.tokens.authenticate((form.get('token') ?? '').trim());
  if (!token) {
    const text = 'Sign-in refused: the token is unknown, revoked or expired. Create one with teamstate tokens create --person <you>.';
    return sendPage(
      response,
      401,
      layout('Sign in to teamstate', `<p class="error">${escapeHtml(text)}</p><p><a href="/signin">Try again</a></p>`),
    );
  }
  startSignedIn(ctx, request, response, {
    person: token.person,
    name: await nameOf(ctx, token.person),
    mayDecide: token.scopes.includes('decide'),
    authentication: { method: 'token', token: token.id },
    via: `token ${token.id}`,
  });
}

/** `/signin/<provider>`: sends the browser to the identity provider, with a `state` bound to its session. */
export async function signInWithProvider(ctx: WebContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET') return wrongMethod(response, 'GET');
  const id = pathAfter(request, '/signin/');
  const provider = ctx.providers.find((p) => p.provider === id);
  if (!provider || !ctx.publicUrl)
    return sendPage(response, 404, layout('Sign in to teamstate', '<p>No such sign-in here. <a href="/signin">Back</a></p>'));
  const found = ctx.sessions.find(request);
  const session = found ?? ctx.sessions.start();
  const state = ctx.sessions.beginProviderSignIn(session, provider.provider);
  const location = await provider.authorizeUrl({ state, redirectUri: `${ctx.publicUrl}${WEB_CALLBACK_PATH}` });
  response.writeHead(302, {
    location,
    'cache-control': 'no-store',
    ...(found ? {} : { 'set-cookie': sessionCookie(session, ctx.secure) }),
  });
  response.end();
}

/** The identity provider's return: the account must be linked to a person (as for remote MCP). */
export async function providerCallback(ctx: WebContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET') return wrongMethod(response, 'GET');
  const q = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const session = ctx.sessions.find(request);
  const pending = session?.pending;
  const provider = ctx.providers.find((p) => p.provider === pending?.provider);
  const again = '<p><a href="/signin">Sign in again</a></p>';
  const refuse = (status: number, text: string) =>
    sendPage(response, status, layout('Sign-in refused', `<pre class="error">${escapeHtml(text)}</pre>${again}`));
  if (!session || !pending || !provider || pending.state !== q.get('state'))
    return refuse(400, 'This sign-in expired or was started in another browser.');
  delete session.pending;
  const code = q.get('code');
  if (q.get('error') !== null || !code) return refuse(403, `The sign-in at ${provider.name} was cancelled or refused.`);
  let account: SignedInAccount;
  try {
    account = await provider.signIn({ code, redirectUri: `${ctx.publicUrl}${WEB_CALLBACK_PATH}`, state: pending.state });
  } catch (error) {
    ctx.log.warn(`web: sign-in at ${provider.name} failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    return refuse(502, `${provider.name} did not confirm who you are. Try again in a moment.`);
  }
  const person = await personOf(ctx.ts, account);
  if (!person) return refuse(403, unlinkedMessage(provider, account));
  startSignedIn(ctx, request, response, {
    person,
    name: await nameOf(ctx, person),
    mayDecide: true,
    authentication: { method: 'signin', account: `${account.provider}:${account.id}` },
    via: `${provider.name} account ${account.login ?? account.id}`,
  });
}

/** `POST /signout`: ends the session. */
export async function signOut(ctx: WebContext, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  if (request.method !== 'POST') return wrongMethod(response, 'POST');
  const session = ctx.sessions.find(request);
  if (!postedForm(session, response, body) || !session) return;
  ctx.sessions.end(session);
  seeOther(response, '/signin', { 'set-cookie': sessionCookie(undefined, ctx.secure) });
}
