import type { Logger, TeamState } from '@teamstate/core';
import type { IdentityProvider } from './identity-provider.js';

/** A client: registered here (`tsc_…`) or described by its client ID metadata document (an https URL). */
export interface ClientInfo {
  clientId: string;
  name?: string;
  redirectUris: string[];
}

/** What every OAuth route of one server shares: its addresses, the identity provider, the clock and its caches. */
export interface OAuthContext {
  ts: TeamState;
  /** The server's public origin, without a trailing slash: the `iss` of its answers. */
  issuer: string;
  /** The resource (the `/mcp` URL) tokens are issued for. */
  resource: string;
  /** Where the identity provider sends the person back (`/oauth/callback`). */
  callbackUrl: string;
  fetch: typeof fetch;
  log: Logger;
  /** Where people sign in; with several, `/oauth/authorize` lets the person choose. */
  providers: IdentityProvider[];
  clock: () => Date;
  /** Client ID metadata documents fetched lately (or why they could not be used), by client id. */
  metadataCache: Map<string, { client: ClientInfo | string; until: number }>;
  registration: {
    maxPerAddress: number;
    windowMs: number;
    maxUnusedClients: number | undefined;
    /** Registrations per address in the current fixed window. */
    windows: Map<string, { count: number; resetAt: number }>;
  };
}
