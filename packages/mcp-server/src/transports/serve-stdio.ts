import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
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
  const stdin = options.stdin ?? process.stdin;
  const server = createMcpServer(teamState, options);
  const transport = new StdioServerTransport(stdin, options.stdout ?? process.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  // The SDK's transport does not notice the client going away; an ended stdin is that signal.
  const end = () => void server.close();
  stdin.once('end', end);
  stdin.once('close', end);
  await server.connect(transport);
  // The SDK closes the transport after a read error (a message over 10 MB): remember why, for the caller.
  let failure: Error | undefined;
  const onerror = transport.onerror;
  transport.onerror = (error) => {
    failure ??= error;
    onerror?.(error);
  };
  return {
    closed,
    get error() {
      return failure;
    },
    async close() {
      stdin.off('end', end);
      stdin.off('close', end);
      await server.close();
    },
  };
}
