// The toolset names alone, without core: the stdio front (src/stdio-front.ts) selects tools before core loads.

/**
 * The groups a server's tools can be chosen by (`teamstate mcp --toolsets delivery,actions`, `mcp.toolsets` in the
 * config): every tool declares one, so a client that needs only some of them does not pay for the definitions of the
 * rest in its context window. Default: {@link DEFAULT_TOOLSETS}.
 */
export const TOOLSETS = ['delivery', 'actions', 'reports', 'knowledge', 'ai', 'incidents', 'plans', 'insights'] as const;

/**
 * The toolsets offered when none are chosen: every one but `insights` (allocation, capacity, pulse, on-call), which
 * is enabled by naming it, so the default tools/list stays within its context budget.
 */
export const DEFAULT_TOOLSETS = TOOLSETS.filter((name) => name !== 'insights');

/** One of {@link TOOLSETS}. */
export type Toolset = (typeof TOOLSETS)[number];
