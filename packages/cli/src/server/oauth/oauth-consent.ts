import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthorizationRequest } from '@teamstate/core';
import { CONSENT_COOKIE, consentCookie, redirectHost, sendConsentPage } from './oauth-consent-page.js';
import type { OAuthContext } from './oauth-context.js';
import { page, withParams } from './oauth-responses.js';

/** The value of cookie `name` in the request's `Cookie` header, or `undefined`. */
function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** Sends the browser back to the client with `params`, the request's state and this issuer (RFC 9207). */
function backToClient(ctx: OAuthContext, response: ServerResponse, request: AuthorizationRequest, params: Record<string, string>): void {
  response.writeHead(302, {
    location: withParams(request.redirectUri, { ...params, state: request.state, iss: ctx.issuer }),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'set-cookie': consentCookie(ctx.issuer, undefined),
  });
  response.end();
}

/**
 * After the person signed in: a client they already allowed these scopes gets its code at once; any other client waits
 * for their answer at the consent page (MCP authorization: consent per client when the provider's client id is shared).
 */
export async function codeOrConsent(
  ctx: OAuthContext,
  response: ServerResponse,
  pending: AuthorizationRequest,
  signedIn: { person: string; account: string; shown: string },
): Promise<void> {
  const { person, account } = signedIn;
  if (await ctx.ts.oauth.hasConsent(pending, person)) {
    const code = await ctx.ts.oauth.issueCode(pending, { person, account });
    return backToClient(ctx, response, pending, { code });
  }
  const { session, csrf } = await ctx.ts.oauth.beginConsent(pending, { person, account });
  sendConsentPage(response, { issuer: ctx.issuer, request: pending, person, account: signedIn.shown, csrf, session });
}

/** Why a POST to the consent route did not come from the consent page in this server's own origin, or `undefined`. */
function crossSiteProblem(ctx: OAuthContext, request: IncomingMessage): string | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== new URL(ctx.issuer).origin)
    return `Refused: the answer came from ${origin.slice(0, 100)}, not from this server's consent page.`;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return "Refused: the answer did not come from this server's consent page.";
  return undefined;
}

/**
 * `POST /oauth/consent`: the person's Allow or Deny. Only the browser the page was shown in (its session cookie), with
 * the page's CSRF token, from this server's origin, answers it, once. Allow sends the client a code; Deny sends it
 * `access_denied`.
 */
export async function consent(ctx: OAuthContext, request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  const refuse = (status: number, text: string) => page(response, status, text);
  if (request.method !== 'POST') return refuse(405, 'Use the Allow or Deny button of the consent page.');
  const problem = crossSiteProblem(ctx, request);
  if (problem) {
    ctx.log.warn('oauth: refused a consent answer from another site');
    return refuse(403, problem);
  }
  const form = new URLSearchParams(body.toString('utf8'));
  const decision = form.get('decision');
  if (decision !== 'allow' && decision !== 'deny') return refuse(400, 'Refused: decision: expected allow or deny.');
  const answer = await ctx.ts.oauth.decideConsent({
    session: cookie(request, CONSENT_COOKIE),
    csrf: form.get('csrf_token') ?? undefined,
    allow: decision === 'allow',
  });
  switch (answer.outcome) {
    case 'unknown':
      return refuse(400, 'This consent page expired or was already answered. Start again from your assistant.');
    case 'forged':
      ctx.log.warn('oauth: refused a consent answer without the page’s CSRF token');
      return refuse(403, "Refused: the answer did not carry the consent page's token. Start again from your assistant.");
    case 'denied':
      ctx.log.info(`oauth: ${answer.person} denied client ${answer.request.clientId}`);
      return backToClient(ctx, response, answer.request, {
        error: 'access_denied',
        error_description: 'the person did not allow this client',
      });
    case 'allowed':
      ctx.log.info(
        `oauth: ${answer.person} allowed client ${answer.request.clientId} (${answer.request.scopes.join(' ')}) back to ${redirectHost(answer.request.redirectUri)}`,
      );
      return backToClient(ctx, response, answer.request, { code: answer.code });
  }
}
