import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AuthorizationRequest, OAuthScope } from '@teamstate/core';

/** The cookie that ties a consent page to the browser it was shown in (HttpOnly, SameSite=Strict, under /oauth). */
export const CONSENT_COOKIE = 'teamstate_consent';

/** What each scope lets the client do, as the page says it. */
const SCOPE_TEXT: Record<OAuthScope, string> = {
  read: 'read: read what you may read in teamstate (work items, metrics, signals, reports)',
  propose: 'propose: propose actions as you (each goes through the approval policy; a client can never approve)',
  write: 'write: write as you (daily reports, feedback, acknowledgements)',
};

// The only style of the page, allowed by its hash: the policy allows no inline script and nothing from elsewhere.
const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}' +
  'main{max-width:36rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #d0d7de;border-radius:8px}' +
  'h1{font-size:1.3rem;margin-top:0}dt{font-weight:600;margin-top:1rem}dd{margin-left:0}' +
  'code{font-size:.85rem;word-break:break-all;color:#57606a}.note{color:#57606a;font-size:.9rem}' +
  'form{display:flex;gap:1rem;justify-content:flex-end;margin-top:2rem}' +
  'button{font:inherit;padding:.5rem 1.5rem;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;cursor:pointer}' +
  'button[value=allow]{background:#1f883d;border-color:#1f883d;color:#fff}';
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** `text` with every character HTML gives a meaning to escaped: the client's name and URIs are the client's own words. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Where the client's redirect URI sends the browser: its host, or the whole URI when it has none (`com.example.app:/cb`). */
export function redirectHost(redirectUri: string): string {
  try {
    const url = new URL(redirectUri);
    return url.host || redirectUri;
  } catch {
    return redirectUri;
  }
}

/**
 * The CSP source of the redirect target, for `form-action`: browsers apply it to the redirect that follows the form's
 * answer too, so the client's own origin (or its private-use scheme) is allowed beside the page's.
 */
function redirectSource(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}

/**
 * The headers every page of the consent flow carries: no framing (clickjacking), no script, no referrer to other sites
 * (the client's redirect URI never learns the page's address), no cache.
 */
export function pageSecurityHeaders(formTarget?: string): Record<string, string> {
  const formAction = formTarget ? `'self' ${redirectSource(formTarget)}` : "'none'";
  return {
    'content-security-policy': `default-src 'none'; style-src ${STYLE_HASH}; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Not `no-referrer`: with it, browsers send `Origin: null` with the page's Allow and Deny, which the Origin check refuses.
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

/** What the consent page shows. */
export interface ConsentPage {
  issuer: string;
  request: AuthorizationRequest;
  person: string;
  /** The provider and account the person signed in with, e.g. `GitHub account anag`. */
  account: string;
  csrf: string;
  /** The session secret, set as the {@link CONSENT_COOKIE} cookie. */
  session: string;
}

/** The path every cookie of the OAuth routes is scoped to (`/oauth`, under the public URL's own path). */
export function cookiePath(issuer: string): string {
  return `${new URL(issuer).pathname.replace(/\/+$/, '')}/oauth`;
}

/** The Set-Cookie value of the consent session (Secure when the public URL is https), or one that clears it. */
export function consentCookie(issuer: string, session: string | undefined): string {
  const secure = issuer.startsWith('https:') ? '; Secure' : '';
  const value = session === undefined ? '=; Max-Age=0' : `=${session}; Max-Age=900`;
  return `${CONSENT_COOKIE}${value}; Path=${cookiePath(issuer)}; HttpOnly; SameSite=Strict${secure}`;
}

/**
 * Answers the consent page: plain server-rendered HTML naming the client (as it names itself), where it sends the
 * browser back and the scopes it asks for, with a form whose Allow and Deny carry the page's CSRF token.
 */
export function sendConsentPage(response: ServerResponse, page: ConsentPage): void {
  const { request } = page;
  const name = request.clientName?.trim() ? request.clientName.trim() : 'An unnamed client';
  const host = redirectHost(request.redirectUri);
  const scopes = request.scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s])}</li>`).join('');
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Allow ${escapeHtml(name)} to use teamstate as you?</title><style>${STYLE}</style></head>`,
    '<body><main>',
    `<h1>Allow &#8220;${escapeHtml(name)}&#8221; to use teamstate as you?</h1>`,
    `<p>You are signed in as <strong>${escapeHtml(page.person)}</strong> (${escapeHtml(page.account)}).</p>`,
    '<dl>',
    `<dt>Client</dt><dd>${escapeHtml(name)} <span class="note">(the name the client gave itself; teamstate cannot check it)</span><br><code>${escapeHtml(request.clientId)}</code></dd>`,
    `<dt>Sends you back to</dt><dd><strong>${escapeHtml(host)}</strong><br><code>${escapeHtml(request.redirectUri)}</code></dd>`,
    `<dt>Asks to</dt><dd><ul>${scopes}</ul></dd>`,
    '</dl>',
    '<p class="note">Allow only a client you connected yourself just now. If you did not start this sign-in, or do not recognise the address above, choose Deny.</p>',
    `<form method="post" action="${escapeHtml(`${page.issuer}/oauth/consent`)}">`,
    `<input type="hidden" name="csrf_token" value="${escapeHtml(page.csrf)}">`,
    '<button type="submit" name="decision" value="deny">Deny</button>',
    '<button type="submit" name="decision" value="allow">Allow</button>',
    '</form></main></body></html>',
  ].join('\n');
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    ...pageSecurityHeaders(request.redirectUri),
    'set-cookie': consentCookie(page.issuer, page.session),
  });
  response.end(html);
}
