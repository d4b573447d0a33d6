// The toolset names alone, without core: the stdio front (src/stdio-front.ts) selects tools before core loads.

/**
 * The groups a server's tools can be chosen by (`teamstate mcp --toolsets delivery,actions`, `mcp.toolsets` in the
 * config): every tool declares one, so a client that needs only some of them does not pay for the definitions of the
 * rest in its context window. Default: all.
 */
export const TOOLSETS = ['delivery', 'actions', 'reports', 'knowledge', 'ai', 'incidents', 'plans'] as const;

/** One of {@link TOOLSETS}. */
export type Toolset = (typeof TOOLSETS)[number];
