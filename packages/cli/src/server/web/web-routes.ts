import { type Logger, silentLogger, type TeamState } from '@teamstate/core';
import type { RouteHandler } from '../create-http-server.js';
import type { IdentityProvider } from '../oauth/identity-provider.js';
import { approvalRoute, approvalsPage } from './web-approvals.js';
import type { WebContext } from './web-context.js';
import { STYLE, STYLE_PATH, seeOther } from './web-html.js';
import { dashboardsPage, policyPage, signalsPage } from './web-pages.js';
import { secureCookies, WebSessions } from './web-session.js';
import { providerCallback, signInPage, signInWithProvider, signOut, WEB_CALLBACK_PATH } from './web-signin.js';

/** Options of {@link createWebRoutes}. */
export interface WebOptions {
  /** The identity providers of `auth:` (each is offered on the sign-in page); none: tokens only. */
  providers?: readonly IdentityProvider[];
  /** `server.publicUrl`: where providers send people back, and whether cookies may drop `Secure`. */
  publicUrl?: string;
  log?: Logger;
  /** The clock of sessions (default the system clock). */
  clock?: () => Date;
}

/**
 * The web page for approvers and leads, served by `teamstate serve` at `/` (docs/web.md): `/signin` (a token, or each
 * configured identity provider), `/approvals` and `/approvals/{id}` (decide, with the params' sha256 and the ledger
 * trail), `/policy`, `/signals` and `/dashboards`. Server-rendered HTML under a policy that allows no script, one style
 * sheet and forms to this server only; every form carries the session's CSRF token.
 */
export function createWebRoutes(ts: TeamState, options: WebOptions = {}): Record<string, RouteHandler> {
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  const ctx: WebContext = {
    ts,
    sessions: new WebSessions(options.clock ?? (() => new Date())),
    providers: options.providers ?? [],
    ...(publicUrl ? { publicUrl } : {}),
    secure: secureCookies(publicUrl),
    log: options.log ?? silentLogger,
  };
  const style: RouteHandler = async (_request, response) => {
    response.writeHead(200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
    response.end(STYLE);
  };
  return {
    '/': async (request, response) => seeOther(response, ctx.sessions.find(request)?.signedIn ? '/approvals' : '/signin'),
    [STYLE_PATH]: style,
    // Browsers ask for it on their own; nothing to show, and no 404 in their console.
    '/favicon.ico': async (_request, response) => void response.writeHead(204, { 'cache-control': 'public, max-age=86400' }).end(),
    '/signin': (request, response, body) => signInPage(ctx, request, response, body),
    '/signin/*': (request, response) => signInWithProvider(ctx, request, response),
    [WEB_CALLBACK_PATH]: (request, response) => providerCallback(ctx, request, response),
    '/signout': (request, response, body) => signOut(ctx, request, response, body),
    '/approvals': (request, response) => approvalsPage(ctx, request, response),
    '/approvals/*': (request, response, body) => approvalRoute(ctx, request, response, body),
    '/policy': (request, response) => policyPage(ctx, request, response),
    '/signals': (request, response, body) => signalsPage(ctx, request, response, body),
    '/dashboards': (request, response, body) => dashboardsPage(ctx, request, response, body),
  };
}
