import type { IncomingMessage, ServerResponse } from 'node:http';
import { constantTimeEqual } from '@teamstate/core';
import { type LoadedConfig, requireResolved } from '../config/load-config.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { RouteHandler } from './create-http-server.js';

/** Addresses `--host` may name for `/metrics` to be served without a token. */
const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/** The shortest metrics token accepted: a guessable one protects nothing. */
const MIN_TOKEN_LENGTH = 16;

/**
 * The bearer token `/metrics` requires: env `TEAMSTATE_METRICS_TOKEN`, else `server.metricsToken` in the config. Without
 * one, `/metrics` is served only on a loopback `--host` (reachable from this machine alone).
 * @throws UsageError when there is no token and `host` is not a loopback address, or the token is too short
 */
export function metricsToken(io: Io, loaded: LoadedConfig | undefined, host: string): string | undefined {
  if (loaded) requireResolved(loaded, ['server.metricsToken']);
  const fromEnv = io.env.TEAMSTATE_METRICS_TOKEN?.trim();
  const token = fromEnv || loaded?.config.server?.metricsToken;
  const key = fromEnv ? 'TEAMSTATE_METRICS_TOKEN' : 'server.metricsToken';
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH)
    throw new UsageError(`${key}: expected at least ${MIN_TOKEN_LENGTH} characters (e.g. the output of: openssl rand -hex 32)`);
  if (token === undefined && !LOOPBACK.has(host.toLowerCase()))
    throw new UsageError(
      `--metrics: /metrics on --host ${host} needs a token: set TEAMSTATE_METRICS_TOKEN or server.metricsToken in the config (Prometheus sends it as a bearer token); without one, /metrics is served only on a loopback --host such as 127.0.0.1`,
    );
  return token;
}

/** Answers 401 (with `WWW-Authenticate`), or 403 for a tokenless request a reverse proxy forwarded. */
function refuse(response: ServerResponse, status: 401 | 403, message: string): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    ...(status === 401 ? { 'www-authenticate': 'Bearer realm="teamstate-metrics"' } : {}),
  });
  response.end(`${message}\n`);
}

/**
 * `route` behind the metrics token: with one, a request must carry `Authorization: Bearer <token>` (compared in constant
 * time). Without one (a loopback host), a request a reverse proxy forwarded (`Forwarded`, `X-Forwarded-For`) is refused:
 * it came from elsewhere.
 */
export function guardMetrics(route: RouteHandler, token: string | undefined): RouteHandler {
  return async (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
    if (token === undefined) {
      if (request.headers.forwarded !== undefined || request.headers['x-forwarded-for'] !== undefined)
        return refuse(
          response,
          403,
          '/metrics is served without a token only to this machine: set TEAMSTATE_METRICS_TOKEN or server.metricsToken',
        );
      return route(request, response, body);
    }
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    if (presented === undefined || !constantTimeEqual(presented, token))
      return refuse(
        response,
        401,
        '/metrics needs the metrics token: Authorization: Bearer <TEAMSTATE_METRICS_TOKEN or server.metricsToken>',
      );
    return route(request, response, body);
  };
}
