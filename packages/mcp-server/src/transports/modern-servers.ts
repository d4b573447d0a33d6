import type { NodeMcpRequestHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type McpServer } from '@modelcontextprotocol/server';
import type { McpServerOptions } from '../create-mcp-server.js';
import type { Admitted } from './http-callers.js';

/** The most 2026-07-28 servers kept for a caller between requests: as many as it sends at once, up to this. */
const IDLE_SERVERS_PER_CALLER = 16;

/**
 * 2026-07-28 clients: no sessions, a server per request for the caller the request authenticated as. Once its
 * exchange is over (the SDK closes it), it waits to serve the same caller's next request: building one (its tools,
 * prompts and their schemas) took about a millisecond of the event loop per request under load.
 */
export interface ModernServers {
  handler: ReturnType<typeof createMcpHandler>;
  /** Idle servers by caller key; the callers most recently served last. */
  idle: Map<string, McpServer[]>;
  /** The handler adapted to Node, made with the first such request (it needs the Node adapter). */
  serve: NodeMcpRequestHandler | undefined;
}

/** The servers of 2026-07-28 clients: kept for up to `maxCallers` callers. */
export function modernServers(
  serverFor: (caller: Admitted) => McpServer,
  maxCallers: number,
  options: Pick<McpServerOptions, 'logger'>,
): ModernServers {
  const idle = new Map<string, McpServer[]>();
  const modernServerFor = (caller: Admitted): McpServer => {
    const spare = idle.get(caller.key)?.pop();
    if (spare) return spare;
    const server = serverFor(caller);
    server.server.onclose = () => {
      const waiting = idle.get(caller.key) ?? [];
      // The callers most recently served last: the first is forgotten beyond the limit.
      idle.delete(caller.key);
      idle.set(caller.key, waiting);
      if (waiting.length < IDLE_SERVERS_PER_CALLER) waiting.push(server);
      if (idle.size > maxCallers) idle.delete(idle.keys().next().value!);
    };
    return server;
  };
  const handler = createMcpHandler((context) => modernServerFor(context.authInfo?.extra?.caller as Admitted), {
    legacy: 'reject',
    onerror: (error) => options.logger?.debug('MCP request refused', { message: error.message }),
  });
  return { handler, idle, serve: undefined };
}
