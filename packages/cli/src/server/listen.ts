import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TeamStateError } from '@teamstate/core';
import { UsageError } from '../errors.js';

/** `--port`: a port number, 0 for a free one. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: expected a port number from 0 to 65535, got "${value}"`);
  return port;
}

/** Listens on `host:port`, with a clear error when the port is taken; resolves with the bound port. */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new TeamStateError(
          'serve_failed',
          error.code === 'EADDRINUSE' ? `--port: ${port} is already in use (pick another, or 0 for a free one)` : error.message,
        ),
      ),
    );
    server.listen(port, host, resolve);
  });
  return (server.address() as AddressInfo).port;
}

/** Resolves on Ctrl-C or SIGTERM, after closing the server and its connections. */
export function untilStopped(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Host names the MCP endpoint accepts: loopback names, the bound address when specific, and `--allowed-host` names. */
export function allowedHostsFor(host: string, extra: readonly string[], loopback: readonly string[]): string[] {
  const bound = host === '0.0.0.0' || host === '::' ? [] : [host.includes(':') && !host.startsWith('[') ? `[${host}]` : host];
  return [...new Set([...loopback, ...bound, ...extra].map((name) => name.toLowerCase()))];
}
