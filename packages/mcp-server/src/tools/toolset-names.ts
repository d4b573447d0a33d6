// The toolset names alone, without core: the stdio front (src/stdio-front.ts) selects tools before core loads.

/**
 * The groups a server's tools can be chosen by (`teamstate mcp --toolsets delivery,actions`, `mcp.toolsets` in the
 * config): every tool declares one, so a client that needs only some of them does not pay for the definitions of the
 * rest in its context window. Default: {@link DEFAULT_TOOLSETS}.
 */
export const TOOLSETS = ['delivery', 'actions', 'reports', 'knowledge', 'ai', 'incidents', 'plans', 'insights'] as const;

/** One of {@link TOOLSETS}. */
export type Toolset = (typeof TOOLSETS)[number];

/**
 * The toolsets offered when none are chosen: all but `insights` (allocation, capacity …), which a client enables with
 * `--toolsets` so that the default tools/list stays within its size budget; the server's instructions name it.
 */
export const DEFAULT_TOOLSETS: readonly Toolset[] = TOOLSETS.filter((name) => name !== 'insights');
