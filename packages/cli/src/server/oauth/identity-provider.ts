import { UpstreamError } from '@teamstate/core';
import type { IdentityProvider } from './identity-types.js';
import { type OidcConfig, oidcProvider } from './oidc-provider.js';

export type { IdentityProvider, SignedInAccount } from './identity-types.js';

/** The `auth` section of the config. */
export interface AuthConfig {
  github?: { clientId: string; clientSecret: string; baseUrl?: string };
  slack?: { clientId: string; clientSecret: string; baseUrl?: string };
  oidc?: OidcConfig;
}

const TIMEOUT_MS = 10_000;

/** A failed call to the provider; the message never carries a code, a token or the client secret. */
function upstream(message: string, url: string, method: string, statusCode?: number, cause?: unknown): UpstreamError {
  return new UpstreamError(message, {
    statusCode,
    isRetryable: statusCode === undefined || statusCode >= 500,
    request: { method, path: new URL(url).pathname },
    cause,
  });
}

async function call(fetchFn: typeof fetch, label: string, url: string, init: RequestInit): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw upstream(
      `${label} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
      url,
      init.method ?? 'GET',
      undefined,
      error,
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok || typeof body !== 'object' || body === null)
    throw upstream(`${label} answered ${response.status} to ${new URL(url).pathname}`, url, init.method ?? 'GET', response.status);
  return body as Record<string, unknown>;
}

/**
 * GitHub's web and API roots: github.com by default; for GitHub Enterprise Server `baseUrl` is its web address
 * (`https://github.acme.example`) or its API (`https://github.acme.example/api/v3`).
 */
export function githubRoots(baseUrl: string | undefined): { web: string; api: string } {
  const trimmed = (baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  if (/^https:\/\/api\.github\.com$/i.test(trimmed)) return { web: 'https://github.com', api: 'https://api.github.com' };
  if (/^https:\/\/github\.com$/i.test(trimmed)) return { web: 'https://github.com', api: 'https://api.github.com' };
  if (/\/api\/v3$/i.test(trimmed)) return { web: trimmed.replace(/\/api\/v3$/i, ''), api: trimmed };
  return { web: trimmed, api: `${trimmed}/api/v3` };
}

function github(config: NonNullable<AuthConfig['github']>, fetchFn: typeof fetch): IdentityProvider {
  const { web, api } = githubRoots(config.baseUrl);
  return {
    name: 'GitHub',
    provider: 'github',
    authorizeUrl({ state, redirectUri }) {
      // No scope: the user's public profile (id and login) is all teamstate reads.
      const url = new URL(`${web}/login/oauth/authorize`);
      url.search = new URLSearchParams({ client_id: config.clientId, redirect_uri: redirectUri, state, allow_signup: 'false' }).toString();
      return url.toString();
    },
    async signIn({ code, redirectUri }) {
      const token = await call(fetchFn, 'GitHub', `${web}/login/oauth/access_token`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: config.clientId, client_secret: config.clientSecret, code, redirect_uri: redirectUri }),
      });
      if (typeof token.access_token !== 'string')
        throw upstream(
          `GitHub refused the sign-in: ${String(token.error ?? 'no access token')}`,
          `${web}/login/oauth/access_token`,
          'POST',
          200,
        );
      const user = await call(fetchFn, 'GitHub', `${api}/user`, {
        headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${token.access_token}` },
      });
      if (typeof user.id !== 'number' && typeof user.id !== 'string')
        throw upstream('GitHub answered /user without an id', `${api}/user`, 'POST', 200);
      return { provider: 'github', id: String(user.id), ...(typeof user.login === 'string' ? { login: user.login } : {}) };
    },
  };
}

function slack(config: NonNullable<AuthConfig['slack']>, fetchFn: typeof fetch): IdentityProvider {
  const root = (config.baseUrl ?? 'https://slack.com').replace(/\/+$/, '');
  return {
    name: 'Slack',
    provider: 'slack',
    authorizeUrl({ state, redirectUri }) {
      const url = new URL(`${root}/openid/connect/authorize`);
      url.search = new URLSearchParams({
        response_type: 'code',
        scope: 'openid profile',
        client_id: config.clientId,
        state,
        redirect_uri: redirectUri,
      }).toString();
      return url.toString();
    },
    async signIn({ code, redirectUri }) {
      const token = await call(fetchFn, 'Slack', `${root}/api/openid.connect.token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: config.clientId,
          client_secret: config.clientSecret,
          code,
          redirect_uri: redirectUri,
          grant_type: 'authorization_code',
        }),
      });
      if (token.ok !== true || typeof token.access_token !== 'string')
        throw upstream(
          `Slack refused the sign-in: ${String(token.error ?? 'no access token')}`,
          `${root}/api/openid.connect.token`,
          'POST',
          200,
        );
      const info = await call(fetchFn, 'Slack', `${root}/api/openid.connect.userInfo`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      });
      const id = info['https://slack.com/user_id'] ?? info.sub;
      if (info.ok !== true || typeof id !== 'string')
        throw upstream(
          `Slack answered userInfo without a user: ${String(info.error ?? '')}`,
          `${root}/api/openid.connect.userInfo`,
          'POST',
          200,
        );
      return { provider: 'slack', id, ...(typeof info.name === 'string' ? { login: info.name } : {}) };
    },
  };
}

/** The configured identity provider (the first of {@link identityProviders}). */
export function identityProvider(auth: AuthConfig, fetchFn: typeof fetch = fetch): IdentityProvider {
  const [first] = identityProviders(auth, fetchFn);
  if (!first) throw new Error('auth: configure github, slack or oidc');
  return first;
}

/**
 * Every configured identity provider (GitHub or Slack, then OpenID Connect), in the order the web sign-in page offers
 * them: a provider added here appears there (and on remote MCP sign-in) with nothing else to change.
 */
export function identityProviders(auth: AuthConfig, fetchFn: typeof fetch = fetch, clock?: () => Date): IdentityProvider[] {
  return [
    ...(auth.github ? [github(auth.github, fetchFn)] : []),
    ...(auth.slack ? [slack(auth.slack, fetchFn)] : []),
    ...(auth.oidc ? [oidcProvider(auth.oidc, fetchFn, clock)] : []),
  ];
}
