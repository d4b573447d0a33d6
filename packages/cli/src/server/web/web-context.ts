import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, TeamState } from '@teamstate/core';
import type { IdentityProvider } from '../oauth/identity-provider.js';
import { escapeHtml, layout, seeOther, sendPage } from './web-html.js';
import { type SignedIn, sameSecret, type WebSession, type WebSessions } from './web-session.js';

/** What every page of the web UI shares. */
export interface WebContext {
  ts: TeamState;
  sessions: WebSessions;
  /** The identity providers people may sign in with (`auth:`), besides a token. */
  providers: readonly IdentityProvider[];
  /** The server's public origin (`server.publicUrl`), without a trailing slash: where providers send people back. */
  publicUrl?: string;
  /** Whether cookies carry `Secure`. */
  secure: boolean;
  log: Logger;
}

/** A signed-in session, with who signed in. */
export type SignedInSession = WebSession & { signedIn: SignedIn };

/** The signed-in session of `request`; otherwise answers (to /signin for a page, 403 for a form) and returns undefined. */
export function signedIn(ctx: WebContext, request: IncomingMessage, response: ServerResponse): SignedInSession | undefined {
  const session = ctx.sessions.find(request);
  if (session?.signedIn) return session as SignedInSession;
  if (request.method === 'GET' || request.method === 'HEAD') seeOther(response, '/signin');
  else sendPage(response, 403, layout('Sign in first', '<p>Your session ended. <a href="/signin">Sign in</a> again.</p>'));
  return undefined;
}

/**
 * The fields of a form posted by `session`'s page, or `undefined` after answering 403 when its CSRF token is missing or
 * wrong (a form posted from another site, or a page from before a sign-in).
 */
export function postedForm(session: WebSession | undefined, response: ServerResponse, body: Buffer): URLSearchParams | undefined {
  const form = new URLSearchParams(body.toString('utf8'));
  if (session && sameSecret(form.get('csrf_token') ?? undefined, session.csrf)) return form;
  const text = 'The form had no valid CSRF token (it came from another site, or from a page older than your sign-in).';
  sendPage(
    response,
    403,
    layout('Refused', `<p class="error">${escapeHtml(text)}</p><p><a href="/approvals">Reload</a> and try again.</p>`, session),
  );
  return undefined;
}

/** A page answering 405 to a method the route does not take. */
export function wrongMethod(response: ServerResponse, allowed: string): void {
  response.setHeader('allow', allowed);
  sendPage(response, 405, layout('Method not allowed', `<p>Use ${escapeHtml(allowed)}.</p>`));
}

/** The part of `request`'s path after `prefix`, decoded (`undefined` when it is not valid percent-encoding). */
export function pathAfter(request: IncomingMessage, prefix: string): string | undefined {
  try {
    return decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname.slice(prefix.length));
  } catch {
    return undefined;
  }
}
