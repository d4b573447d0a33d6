import type { Server } from 'node:http';
import type { AddressInfo, ListenOptions, Server as NetServer, ServerOpts, Socket } from 'node:net';
import { TeamStateError } from '@teamstate/core';
import { UsageError } from '../errors.js';
import { nodeNet } from './node-servers.js';

/** `--port`: a port number, 0 for a free one. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: expected a port number from 0 to 65535, got "${value}"`);
  return port;
}

/**
 * How many sockets listen on a server's port on Linux: its own and the rest beside it (`SO_REUSEPORT`, the kernel
 * spreads new connections among them by their addresses). Node accepts one connection per listening socket each turn of
 * its event loop, and a turn of a busy server takes tens of milliseconds: with one socket, 50 assistants connecting at
 * once waited for up to 1.5 s, one accepted a turn. 50 sessions opened 80–100 connections (a client process shares its
 * connections among its sessions and opens another whenever all are busy): over 8 sockets a tenth of them waited
 * 260 ms or more to be accepted, over 64 none waited 80 ms. The others are plain listeners that hand each connection to
 * the server.
 */
export const LISTENING_SOCKETS = 64;

/** The sockets listening beside a server, closed as it stops. */
const besides = new WeakMap<Server, NetServer[]>();

/**
 * The options node:http's server gives each connection its own socket accepts (a net server keeps them as fields): the
 * sockets beside it accept with the same, or their connections would keep Nagle's algorithm, which held an answer
 * written in parts (an SSE answer's head, then its event) until the client's delayed acknowledgement, 40 ms later.
 */
function connectionOptionsOf(server: Server): ServerOpts {
  const { allowHalfOpen, noDelay, keepAlive, keepAliveInitialDelay, highWaterMark } = server as Server & ServerOpts;
  return { allowHalfOpen, noDelay, keepAlive, keepAliveInitialDelay, highWaterMark };
}

/** Binds `server` to `options`, with a clear error when the port is taken. */
function bind(server: NetServer, options: ListenOptions, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new TeamStateError(
          'serve_failed',
          error.code === 'EADDRINUSE' ? `--port: ${port} is already in use (pick another, or 0 for a free one)` : error.message,
        ),
      ),
    );
    server.listen(options, resolve);
  });
}

/**
 * Listens on `host:port`, with a clear error when the port is taken; resolves with the bound port. On Linux
 * {@link LISTENING_SOCKETS} sockets listen; the server's connection cap (`maxConnections`) counts every connection.
 */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  if (process.platform !== 'linux') {
    await bind(server, { port, host }, port);
    return (server.address() as AddressInfo).port;
  }
  // Sockets that share a port accept another process's socket that shares it too (a second teamstate started on the
  // same port): the port is first taken alone, so that one already in use is refused as without sharing.
  const probe = nodeNet().createServer();
  await bind(probe, { port, host }, port);
  const free = (probe.address() as AddressInfo).port;
  await new Promise((closed) => probe.close(closed));
  await bind(server, { port: free, host, reusePort: true }, port);
  const bound = (server.address() as AddressInfo).port;
  let open = 0;
  // Node caps only what the server's own socket accepted: every connection is counted here, and one past the cap closed
  // before it is read.
  server.prependListener('connection', (socket: Socket) => {
    open++;
    socket.once('close', () => open--);
    if (open > server.maxConnections) socket.destroy();
  });
  const options = connectionOptionsOf(server);
  const beside = await Promise.all(
    Array.from({ length: LISTENING_SOCKETS - 1 }, async () => {
      const listener = nodeNet().createServer(options, (socket) => server.emit('connection', socket));
      await bind(listener, { port: bound, host, reusePort: true }, port);
      return listener;
    }),
  );
  besides.set(server, beside);
  return bound;
}

/** Closes `server`, the sockets listening beside it and its connections; resolves once it is closed. */
export function closeServer(server: Server): Promise<void> {
  for (const listener of besides.get(server) ?? []) listener.close();
  besides.delete(server);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

/** Resolves on Ctrl-C or SIGTERM, after closing the server and its connections. */
export function untilStopped(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void closeServer(server).then(resolve);
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
