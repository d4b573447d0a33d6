import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { TeamStateError } from '@teamstate/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGuardedServer } from '../src/server/create-http-server.js';
import { closeServer, LISTENING_SOCKETS, listen } from '../src/server/listen.js';

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  }
});

/** A guarded server that answers every request, or holds it unanswered with `hold`. */
function server(options: { maxConnections?: number; hold?: boolean } = {}): Server {
  const created = createGuardedServer(
    (_request, response) => {
      if (!options.hold) response.end('ok');
    },
    { maxConnections: options.maxConnections },
  );
  servers.push(created);
  return created;
}

function open(port: number): Socket {
  const socket = connect({ port, host: '127.0.0.1' });
  socket.on('error', () => {});
  sockets.push(socket);
  return socket;
}

/** Whether Nagle's algorithm is off on `socket`: Node records `setNoDelay` under a symbol and offers no getter. */
function noDelayOf(socket: Socket): boolean {
  const recorded = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === 'kSetNoDelay');
  if (!recorded) throw new Error('this Node version records TCP_NODELAY elsewhere: update noDelayOf');
  return Reflect.get(socket, recorded) === true;
}

/** Holds the event loop for `ms` (the server busy answering others). */
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe.runIf(process.platform === 'linux')('listen on Linux', () => {
  it('accepts more than one connection a turn of a busy event loop: its sockets share the port', async () => {
    const http = server();
    const port = await listen(http, 0, '127.0.0.1');
    let accepted = 0;
    http.on('connection', () => accepted++);
    for (let i = 0; i < 4 * LISTENING_SOCKETS; i++) open(port);
    // The connections complete in the kernel while the loop is held; the next turn polls each listening socket once.
    const afterOneTurn = await new Promise<number>((resolve) =>
      setTimeout(() => {
        busy(200);
        setImmediate(() => resolve(accepted));
      }, 0),
    );
    expect(afterOneTurn).toBeGreaterThan(LISTENING_SOCKETS / 2);
    await vi.waitFor(() => expect(accepted).toBe(4 * LISTENING_SOCKETS));
  });

  it("accepts most of a company's opening burst in one turn of a busy event loop", async () => {
    const http = server();
    const port = await listen(http, 0, '127.0.0.1');
    let accepted = 0;
    http.on('connection', () => accepted++);
    // 50 assistants starting their sessions at once: as many connections, more as their calls overlap.
    for (let i = 0; i < 50; i++) open(port);
    const afterOneTurn = await new Promise<number>((resolve) =>
      setTimeout(() => {
        busy(200);
        setImmediate(() => resolve(accepted));
      }, 0),
    );
    // One connection per listening socket a turn, and the kernel spreads them among the sockets by address: 50 land on
    // about 35 of 64 (at most 8 with 8 sockets, which made a busy server accept them over half a second).
    expect(afterOneTurn).toBeGreaterThanOrEqual(25);
    await vi.waitFor(() => expect(accepted).toBe(50));
  });

  it("sets up every connection as the server's own socket does: no Nagle delay, half-open kept", async () => {
    const http = server();
    const port = await listen(http, 0, '127.0.0.1');
    const accepted: Socket[] = [];
    http.on('connection', (socket: Socket) => accepted.push(socket));
    for (let i = 0; i < 4 * LISTENING_SOCKETS; i++) open(port);
    await vi.waitFor(() => expect(accepted).toHaveLength(4 * LISTENING_SOCKETS));
    // Nagle's algorithm held an answer written in parts (an SSE answer's head, then its event) until the client's
    // delayed acknowledgement, 40 ms later on Linux.
    expect(accepted.map(noDelayOf)).toEqual(accepted.map(() => true));
    expect(accepted.map((socket) => socket.allowHalfOpen)).toEqual(accepted.map(() => true));
  });

  it('caps connections across all its sockets, and takes one again once one closes', async () => {
    const http = server({ maxConnections: 3, hold: true });
    const port = await listen(http, 0, '127.0.0.1');
    let requests = 0;
    http.on('request', () => requests++);
    const closed: Socket[] = [];
    for (let i = 0; i < 4 * LISTENING_SOCKETS; i++) {
      const socket = open(port);
      socket.on('close', () => closed.push(socket));
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    }
    await vi.waitFor(() => expect(closed).toHaveLength(4 * LISTENING_SOCKETS - 3));
    expect(requests).toBe(3);
    // Room again once one is let go of.
    sockets.find((socket) => !closed.includes(socket))!.destroy();
    await vi.waitFor(() => {
      open(port).write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect(requests).toBe(4);
    });
  });

  it('refuses a port in use, a teamstate server sharing its own sockets included', async () => {
    const first = server();
    const port = await listen(first, 0, '127.0.0.1');
    const failure = await listen(server(), port, '127.0.0.1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TeamStateError);
    expect((failure as TeamStateError).message).toBe(`--port: ${port} is already in use (pick another, or 0 for a free one)`);
  });

  it('stops accepting on every socket once closed', async () => {
    const http = server();
    const port = await listen(http, 0, '127.0.0.1');
    servers.splice(servers.indexOf(http), 1);
    await closeServer(http);
    const refused = await Promise.all(
      Array.from(
        { length: 2 * LISTENING_SOCKETS },
        () =>
          new Promise<string>((resolve) => {
            const socket = connect({ port, host: '127.0.0.1' });
            socket.on('connect', () => {
              socket.destroy();
              resolve('connected');
            });
            socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
          }),
      ),
    );
    expect(new Set(refused)).toEqual(new Set(['ECONNREFUSED']));
  });
});
