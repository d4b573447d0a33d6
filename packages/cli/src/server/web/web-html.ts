import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../oauth/oauth-consent-page.js';
import type { WebSession } from './web-session.js';

export { escapeHtml };

/** The page's one style sheet, served at {@link STYLE_PATH} (the policy allows no inline style). */
export const STYLE = [
  'body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}',
  'header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.75rem 1.5rem;background:#1b1f24;color:#fff}',
  'header a{color:#fff;text-decoration:none}header nav{display:flex;gap:1rem;flex:1}header form{margin:0}',
  'header button{font:inherit;background:none;border:1px solid #8c959f;color:#fff;border-radius:6px;padding:.1rem .6rem;cursor:pointer}',
  'main{max-width:72rem;margin:1.5rem auto;padding:0 1.5rem}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}',
  'table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}',
  'pre,code{font-size:.85rem;word-break:break-all;white-space:pre-wrap}pre{background:#fff;border:1px solid #d0d7de;padding:.75rem}',
  '.note{color:#57606a;font-size:.9rem}.error{background:#ffebe9;border:1px solid #ff8182;padding:.75rem}',
  '.ok{background:#dafbe1;border:1px solid #4ac26b;padding:.75rem}',
  'form.decide{background:#fff;border:1px solid #d0d7de;padding:1rem;margin:1rem 0}',
  'label{display:block;margin:.5rem 0}input,textarea,select{font:inherit}input[type=text]{min-width:18rem}textarea{width:100%;min-height:8rem}',
  'button{font:inherit;padding:.35rem 1rem;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;cursor:pointer}',
  '.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem}',
  '.tile{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem}.tile .value{font-size:1.5rem;font-weight:600}',
  '.band-elite{color:#1a7f37}.band-high{color:#0969da}.band-medium{color:#9a6700}.band-low{color:#cf222e}',
  '.providers a{display:inline-block;margin:.25rem 1rem .25rem 0}',
].join('');

/** Where the style sheet is served: its name carries its hash, so it is cached for good. */
export const STYLE_PATH = `/assets/web-${createHash('sha256').update(STYLE).digest('hex').slice(0, 12)}.css`;

/**
 * The headers of every page: a policy that allows the server's own style sheet and forms and nothing else (no script
 * at all, nothing from elsewhere), no framing, no referrer to other sites, no caching.
 */
export function pageHeaders(): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy':
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Not `no-referrer`: with it, browsers send `Origin: null` on a form post, which the Origin check refuses.
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

/** A hidden input carrying the session's CSRF token: part of every form. */
export function csrfInput(session: WebSession): string {
  return `<input type="hidden" name="csrf_token" value="${escapeHtml(session.csrf)}">`;
}

const NAV = [
  ['/approvals', 'Approvals'],
  ['/policy', 'Policy'],
  ['/signals', 'Signals'],
  ['/dashboards', 'Dashboards'],
] as const;

/** A whole page: `body` is HTML already escaped; with a signed-in session, the navigation and who is signed in. */
export function layout(title: string, body: string, session?: WebSession): string {
  const who = session?.signedIn;
  const header = who
    ? [
        '<header><nav>',
        ...NAV.map(([href, label]) => `<a href="${href}">${label}</a>`),
        '</nav>',
        `<span data-testid="signed-in">Signed in as ${escapeHtml(who.name)}</span>`,
        `<form method="post" action="/signout">${csrfInput(session)}<button type="submit">Sign out</button></form>`,
        '</header>',
      ].join('')
    : '<header><nav><span>teamstate</span></nav></header>';
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} · teamstate</title><link rel="stylesheet" href="${STYLE_PATH}"></head>`,
    `<body>${header}<main><h1>${escapeHtml(title)}</h1>`,
    body,
    '</main></body></html>',
  ].join('\n');
}

/** Answers a page. */
export function sendPage(response: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...pageHeaders(), ...headers });
  response.end(html);
}

/** Answers a redirect after a form (303: the browser follows with GET). */
export function seeOther(response: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  response.writeHead(303, { location, 'cache-control': 'no-store', ...headers });
  response.end();
}

/** A table whose cells are HTML already escaped; `empty` when there are no rows. */
export function table(head: readonly string[], rows: readonly (readonly string[])[], empty: string, testid?: string): string {
  if (rows.length === 0) return `<p class="note">${escapeHtml(empty)}</p>`;
  return [
    `<table${testid ? ` data-testid="${testid}"` : ''}><thead><tr>`,
    ...head.map((h) => `<th>${escapeHtml(h)}</th>`),
    '</tr></thead><tbody>',
    ...rows.map((cells) => `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`),
    '</tbody></table>',
  ].join('');
}
