import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Logger, redactSecrets, type TeamState, TeamStateError } from '@teamstate/core';
import { type LoadedConfig, requireResolved } from '../../config/load-config.js';
import { createOAuthEndpoints, type OAuthEndpoints } from './oauth-endpoints.js';

/**
 * The OAuth endpoints of `teamstate serve` and `teamstate mcp --http` when the config has `auth:` (undefined otherwise); `server.publicUrl` is
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

/** The largest body an OAuth route reads (a registration or a token request is well under 1 KB). */
const MAX_OAUTH_BODY_BYTES = 64 * 1024;

/**
 * Answers a request for one of the OAuth routes on a server that reads no bodies itself (`teamstate mcp --http`):
 * reads a body of at most 64 KB, then runs the route. Returns false when `path` is not an OAuth route.
 */
export function serveOAuthRoute(
  oauth: OAuthEndpoints,
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
  log: Logger,
): boolean {
  const route = oauth.routes[path];
  if (!route) return false;
  const chunks: Buffer[] = [];
  let size = 0;
  const refuse = (status: number, message: string) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
    response.end(JSON.stringify({ error: 'invalid_request', error_description: message }));
  };
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_OAUTH_BODY_BYTES) {
      if (!response.headersSent) refuse(413, `request body larger than ${MAX_OAUTH_BODY_BYTES} bytes`);
      request.destroy();
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (size > MAX_OAUTH_BODY_BYTES) return;
    route(request, response, Buffer.concat(chunks)).catch((error: unknown) => {
      log.error(`${request.method} ${path} failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
      if (!response.headersSent) refuse(500, 'internal error');
    });
  });
  return true;
}
