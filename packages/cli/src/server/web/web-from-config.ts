import type { Logger, TeamState } from '@teamstate/core';
import type { LoadedConfig } from '../../config/load-config.js';
import type { RouteHandler } from '../create-http-server.js';
import { identityProviders } from '../oauth/identity-provider.js';
import { createWebRoutes } from './web-routes.js';

/**
 * The web page's routes for `teamstate serve`, unless `server.web: false`: people sign in with a token, or with each
 * identity provider of `auth:` (which needs `server.publicUrl`, checked where the OAuth routes are built).
 */
export function webFromConfig(ts: TeamState, loaded: LoadedConfig | undefined, log: Logger): Record<string, RouteHandler> | undefined {
  const server = loaded?.config.server;
  if (server?.web === false) return undefined;
  const auth = loaded?.config.auth;
  return createWebRoutes(ts, {
    providers: auth ? identityProviders(auth) : [],
    ...(server?.publicUrl ? { publicUrl: server.publicUrl } : {}),
    log,
  });
}
