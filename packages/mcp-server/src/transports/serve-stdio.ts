import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio as serveSdkStdio } from '@modelcontextprotocol/server/stdio';
import type { TeamState } from '@teamstate/core';
import { createMcpServer, type McpServerOptions } from '../create-mcp-server.js';

/** Options of {@link serveStdio}. */
export interface StdioOptions extends McpServerOptions {
  /** Default `process.stdin`. */
  stdin?: Readable;
  /** Default `process.stdout`: it carries only JSON-RPC messages from then on. */
  stdout?: Writable;
}

/** A running stdio server. */
export interface StdioServer {
  /** Resolves when the client disconnects (stdin ends), the transport fails, or {@link StdioServer.close} is called. */
  readonly closed: Promise<void>;
  /** Why the transport stopped, when it failed (e.g. a message over the SDK's 10 MB stdio limit); `undefined` otherwise. */
  readonly error: Error | undefined;
  close(): Promise<void>;
}

/**
 * Serves the MCP server over stdin/stdout (the transport Claude Desktop, Claude Code and Cursor spawn).
 * Nothing else may write to stdout while it runs; log to stderr.
 *
 * @example
 * const server = await serveStdio(ts, { logger: createStderrLogger('warn') })
 * await server.closed
 * await ts.close()
 */
export async function serveStdio(teamState: TeamState, options: StdioOptions = {}): Promise<StdioServer> {
  // Refuse bad options (an unknown toolset, a malformed person) now, not at the client's first message.
  createMcpServer(teamState, options);
  const stdio = new StdioServerTransport(options.stdin ?? process.stdin, options.stdout ?? process.stdout);
  let failure: Error | undefined;
  let markClosed = () => {};
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  // The SDK's entry owns the transport it is given; this wrapper lets us see why and when it stops.
  const wire: Transport = {
    start: () => stdio.start(),
    send: (message) => stdio.send(message),
    close: () => stdio.close(),
  };
  stdio.onmessage = (message) => wire.onmessage?.(message);
  // The SDK closes the transport after a read error (a message over 10 MB): remember why, for the caller.
  stdio.onerror = (error) => {
    failure ??= error;
    wire.onerror?.(error);
  };
  stdio.onclose = () => {
    wire.onclose?.();
    markClosed();
  };
  // The opening message picks the era: `initialize` (2025-06-18, 2025-11-25) or a 2026-07-28 request envelope.
  const handle = serveSdkStdio(() => createMcpServer(teamState, options), { transport: wire });
  return {
    closed,
    get error() {
      return failure;
    },
    async close() {
      await handle.close();
      markClosed();
    },
  };
}
