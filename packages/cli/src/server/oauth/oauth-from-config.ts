import { type Logger, type TeamState, TeamStateError } from '@teamstate/core';
import { type LoadedConfig, requireResolved } from '../../config/load-config.js';
import { createOAuthEndpoints, type OAuthEndpoints } from './oauth-endpoints.js';

/**
 * The OAuth endpoints of `teamstate serve` when the config has `auth:` (undefined otherwise); `server.publicUrl` is
 * required with it, since providers and clients are sent back to that address.
 * @throws TeamStateError (`invalid_config`) naming the key to set
 */
export function oauthFromConfig(ts: TeamState, loaded: LoadedConfig | undefined, log: Logger): OAuthEndpoints | undefined {
  if (!loaded) return undefined;
  requireResolved(loaded, ['auth']);
  const auth = loaded.config.auth;
  if (!auth) return undefined;
  const publicUrl = loaded.config.server?.publicUrl;
  if (!publicUrl)
    throw new TeamStateError(
      'invalid_config',
      `server.publicUrl: required with auth: in ${loaded.path}; set it to the address people reach teamstate at, e.g. server: { publicUrl: https://teamstate.acme.example }`,
    );
  return createOAuthEndpoints(ts, { auth, publicUrl, log });
}
