import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DecisionAuthentication } from '@teamstate/core';

/** The cookie of a web session (its id, random; the session itself stays on the server). */
export const SESSION_COOKIE = 'teamstate_web';

/** Who signed in to the web page, and how. */
export interface SignedIn {
  person: string;
  /** The person's name, as the page shows it. */
  name: string;
  /** A token sign-in decides only with `decide`; an identity provider's sign-in may decide. */
  mayDecide: boolean;
  /** How they proved it, recorded on each decision's ledger entry. */
  authentication: DecisionAuthentication;
  /** What the page says they signed in with: `token tok_…`, `GitHub account anag`. */
  via: string;
}

/** A browser's session: anonymous until someone signs in; its CSRF token goes into every form it is shown. */
export interface WebSession {
  id: string;
  csrf: string;
  expiresAt: number;
  signedIn?: SignedIn;
  /** The `state` of a provider sign-in this browser started, and where it goes. */
  pending?: { state: string; provider: string };
}

/** How long an anonymous session (a sign-in page shown) lives, and a signed-in one. */
const ANONYMOUS_MS = 15 * 60_000;
const SIGNED_IN_MS = 8 * 3_600_000;
/** Sessions kept at most; the oldest are forgotten beyond (a flood of sign-in pages cannot grow memory). */
const MAX_SESSIONS = 10_000;

const secret = () => randomBytes(32).toString('base64url');

/** The value of cookie `name` in `request`, or `undefined`. */
export function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** Whether two secrets are equal, in time that does not depend on where they differ. */
export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The web sessions of one server, in memory: a restart signs everyone out (sessions are short, and a stolen
 * database holds none). Sign-in replaces the session (a new id and CSRF token), so an id planted before it is worthless.
 */
export class WebSessions {
  readonly #sessions = new Map<string, WebSession>();
  readonly #clock: () => Date;

  constructor(clock: () => Date) {
    this.#clock = clock;
  }

  /** The live session of `request`'s cookie, or `undefined`. */
  find(request: IncomingMessage): WebSession | undefined {
    const id = cookieOf(request, SESSION_COOKIE);
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.#clock().getTime()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** A new session, anonymous or signed in. */
  start(signedIn?: SignedIn): WebSession {
    const now = this.#clock().getTime();
    const session: WebSession = {
      id: secret(),
      csrf: secret(),
      expiresAt: now + (signedIn ? SIGNED_IN_MS : ANONYMOUS_MS),
      ...(signedIn ? { signedIn } : {}),
    };
    if (this.#sessions.size >= MAX_SESSIONS) {
      for (const [id, old] of this.#sessions) if (old.expiresAt <= now) this.#sessions.delete(id);
      const oldest = this.#sessions.keys().next();
      if (this.#sessions.size >= MAX_SESSIONS && !oldest.done) this.#sessions.delete(oldest.value);
    }
    this.#sessions.set(session.id, session);
    return session;
  }

  /** Ends `session` (sign-out, or replaced by a sign-in). */
  end(session: WebSession): void {
    this.#sessions.delete(session.id);
  }

  /** A fresh random `state` for a provider sign-in, remembered on `session`. */
  beginProviderSignIn(session: WebSession, provider: string): string {
    const state = secret();
    session.pending = { state, provider };
    return state;
  }
}

/**
 * The Set-Cookie value of a session (`undefined` clears it): HttpOnly, SameSite=Lax, and Secure unless the server's
 * public address is plain http on this machine (a trial), where a browser would drop a Secure cookie.
 */
export function sessionCookie(session: WebSession | undefined, secure: boolean): string {
  const value = session === undefined ? '=; Max-Age=0' : `=${session.id}`;
  return `${SESSION_COOKIE}${value}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** Whether cookies need `Secure`: always, unless `publicUrl` is http on a loopback address. */
export function secureCookies(publicUrl: string | undefined): boolean {
  if (publicUrl === undefined) return true;
  const url = new URL(publicUrl);
  return !(url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
}
