import { createHash, createHmac } from 'node:crypto';
import { UpstreamError } from '@teamstate/core';
import type { createRemoteJWKSet } from 'jose';
import type { IdentityProvider, SignedInAccount } from './identity-types.js';

/** `auth.oidc`: any OpenID Connect provider (Okta, Entra ID, Google Workspace, Keycloak …). */
export interface OidcConfig {
  /** The issuer URL, exactly as its discovery document says (`https://acme.okta.com`); http only on loopback. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Scopes asked for (default `openid email profile`; `openid` is always asked). */
  scopes?: string[];
  /** The id_token claim holding the email (default `email`). */
  emailClaim?: string;
}

/** The parts of the discovery document teamstate uses. */
interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  token_endpoint_auth_methods_supported?: string[];
  id_token_signing_alg_values_supported?: string[];
}

const TIMEOUT_MS = 10_000;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Why an issuer or endpoint URL is refused: https only, http only on loopback. */
export function insecureUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url} is not a URL`;
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)) return undefined;
  return `${parsed.origin} is not https (http is accepted only on localhost, for a trial)`;
}

/** A sign-in refused because the provider's answer failed a check: the reason is logged, never shown with a token. */
export class OidcRefusal extends Error {
  override readonly name = 'OidcRefusal';
}

function upstream(message: string, url: string, statusCode?: number, cause?: unknown): UpstreamError {
  return new UpstreamError(message, {
    statusCode,
    isRetryable: statusCode === undefined || statusCode >= 500,
    request: { method: 'GET', path: new URL(url).pathname },
    cause,
  });
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * The OpenID Connect provider of `auth.oidc`: discovery (cached), the authorization code flow with PKCE S256 and a
 * nonce, and the id_token verified against the issuer's JWKS (signature with an algorithm the issuer announces, never
 * `none`; `iss`, `aud`, `exp`, `nonce`). The PKCE verifier and the nonce are derived from the sign-in's one-time state
 * with a key from the client secret, so every replica behind a load balancer can finish a sign-in another one started.
 * A nonce is accepted once per process.
 */
export function oidcProvider(config: OidcConfig, fetchFn: typeof fetch = fetch, clock: () => Date = () => new Date()): IdentityProvider {
  const issuer = config.issuer.replace(/\/+$/, '');
  const key = createHash('sha256').update(`teamstate oidc\0${config.clientSecret}`).digest();
  const derive = (purpose: string, state: string) => base64url(createHmac('sha256', key).update(`${purpose}\0${state}`).digest());
  const usedNonces = new Map<string, number>();
  let discovery: Promise<Discovery> | undefined;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  const discover = async (): Promise<Discovery> => {
    const refused = insecureUrl(issuer);
    if (refused) throw new OidcRefusal(`auth.oidc.issuer: ${refused}`);
    const url = `${issuer}/.well-known/openid-configuration`;
    let response: Response;
    try {
      response = await fetchFn(url, {
        redirect: 'error',
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: { accept: 'application/json' },
      });
    } catch (error) {
      throw upstream(
        `the OpenID provider could not be reached: ${error instanceof Error ? error.message : String(error)}`,
        url,
        undefined,
        error,
      );
    }
    if (!response.ok) throw upstream(`the OpenID provider answered ${response.status} to its discovery document`, url, response.status);
    const document = (await response.json().catch(() => undefined)) as Partial<Discovery> | undefined;
    if (!document || document.issuer !== issuer)
      throw new OidcRefusal(
        `the discovery document's issuer is ${JSON.stringify(document?.issuer)}, not ${issuer}: check auth.oidc.issuer`,
      );
    for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
      const value = document[field];
      if (typeof value !== 'string') throw new OidcRefusal(`the discovery document has no ${field}`);
      const insecure = insecureUrl(value);
      if (insecure) throw new OidcRefusal(`the discovery document's ${field}: ${insecure}`);
    }
    return document as Discovery;
  };
  const discovered = () => {
    discovery ??= discover().catch((error: unknown) => {
      discovery = undefined;
      throw error;
    });
    return discovery;
  };

  return {
    name: 'OpenID Connect',
    provider: 'oidc',
    async authorizeUrl({ state, redirectUri }) {
      const { authorization_endpoint } = await discovered();
      const challenge = base64url(createHash('sha256').update(derive('pkce', state)).digest());
      const scopes = new Set(['openid', ...(config.scopes ?? ['email', 'profile'])]);
      const url = new URL(authorization_endpoint);
      for (const [name, value] of Object.entries({
        response_type: 'code',
        client_id: config.clientId,
        redirect_uri: redirectUri,
        scope: [...scopes].join(' '),
        state,
        nonce: derive('nonce', state),
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }))
        url.searchParams.set(name, value);
      return url.toString();
    },
    async signIn({ code, redirectUri, state }): Promise<SignedInAccount> {
      const document = await discovered();
      const methods = document.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
      // client_secret_basic unless the provider allows only client_secret_post.
      const post = !methods.includes('client_secret_basic') && methods.includes('client_secret_post');
      const form = new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: derive('pkce', state ?? ''),
      });
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      if (post) {
        form.set('client_id', config.clientId);
        form.set('client_secret', config.clientSecret);
      } else {
        const encode = (value: string) => encodeURIComponent(value);
        headers.authorization = `Basic ${Buffer.from(`${encode(config.clientId)}:${encode(config.clientSecret)}`).toString('base64')}`;
      }
      let response: Response;
      try {
        response = await fetchFn(document.token_endpoint, {
          method: 'POST',
          headers,
          body: form,
          redirect: 'error',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        throw upstream(`the OpenID provider's token endpoint could not be reached`, document.token_endpoint, undefined, error);
      }
      const answer = (await response.json().catch(() => undefined)) as { id_token?: unknown; error?: unknown } | undefined;
      if (!response.ok || typeof answer?.id_token !== 'string')
        throw new OidcRefusal(
          `the token endpoint answered ${response.status} without an id_token (${typeof answer?.error === 'string' ? answer.error.slice(0, 200) : 'no error given'})`,
        );
      // The JOSE library loads with the first sign-in, not with every start of the CLI.
      const { createRemoteJWKSet, errors: joseErrors, jwtVerify } = await import('jose');
      jwks ??= createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: TIMEOUT_MS });
      const algorithms = (document.id_token_signing_alg_values_supported ?? ['RS256']).filter((alg) => alg !== 'none');
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(answer.id_token, jwks, {
          issuer,
          audience: config.clientId,
          algorithms,
          currentDate: clock(),
          requiredClaims: ['exp', 'iat', 'sub', 'nonce'],
        }));
      } catch (error) {
        const reason = error instanceof joseErrors.JOSEError ? `${error.code}: ${error.message}` : String(error);
        throw new OidcRefusal(`the id_token was refused (${reason})`);
      }
      const expected = derive('nonce', state ?? '');
      if (claims.nonce !== expected) throw new OidcRefusal('the id_token was refused (its nonce is not the one of this sign-in)');
      const now = clock().getTime();
      for (const [nonce, until] of usedNonces) if (until < now) usedNonces.delete(nonce);
      if (usedNonces.has(expected)) throw new OidcRefusal('the id_token was refused (its nonce was already used)');
      usedNonces.set(expected, typeof claims.exp === 'number' ? claims.exp * 1000 : now + 3_600_000);
      if (claims.email_verified === false)
        throw new OidcRefusal('the provider says this email address is not verified (email_verified: false)');
      const email = claims[config.emailClaim ?? 'email'];
      if (typeof email !== 'string' || !email.includes('@'))
        throw new OidcRefusal(
          `the id_token has no email in its ${config.emailClaim ?? 'email'} claim: ask for the email scope, or set auth.oidc.emailClaim`,
        );
      return { provider: 'oidc', id: String(claims.sub), login: email, email };
    },
  };
}
