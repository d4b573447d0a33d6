/** An account someone signed in with at the identity provider. */
export interface SignedInAccount {
  provider: 'github' | 'slack' | 'oidc';
  /** The provider's stable id (GitHub's numeric user id, Slack's user id, the OpenID `sub`). */
  id: string;
  /** GitHub login, the Slack name, or the OpenID email. */
  login?: string;
  /** The verified email of an OpenID Connect sign-in: how it maps to a person. */
  email?: string;
}

/**
 * Where people sign in: GitHub (OAuth app), Slack (Sign in with Slack, OpenID Connect) or any OpenID Connect provider
 * (`auth.oidc`). The web pages and remote MCP sign-in use the same providers.
 */
export interface IdentityProvider {
  readonly name: 'GitHub' | 'Slack' | 'OpenID Connect';
  readonly provider: 'github' | 'slack' | 'oidc';
  /** The URL the browser is sent to; the provider sends it back to `redirectUri` with `code` and `state`. */
  authorizeUrl(input: { state: string; redirectUri: string }): string | Promise<string>;
  /** Exchanges the provider's code (for the sign-in of `state`) for the account that signed in. */
  signIn(input: { code: string; redirectUri: string; state?: string }): Promise<SignedInAccount>;
}
