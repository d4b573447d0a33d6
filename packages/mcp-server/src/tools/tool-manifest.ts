import { tools } from './index.js';
import type { StdioFrontManifest } from './manifest-shape.js';
import { listedTool } from './register-tools.js';
import type { ListedFrom } from './tool-definition.js';

/** A workspace no connector contributes an action to: what propose_action's description says then. */
const withoutActions: ListedFrom = { actions: { list: () => [] } };

/**
 * Every tool as `tools/list` sends it where no connector contributes an action type (no config, not a demo workspace),
 * with its toolset: what the stdio front answers `tools/list` with before core loads. The build writes it to
 * dist/tool-manifest.json (scripts/write-tool-manifest.mjs); test/stdio-front.test.ts checks it against the server.
 */
export function toolManifest(): StdioFrontManifest {
  return { tools: tools.map((tool) => ({ toolset: tool.toolset, tool: listedTool(tool, withoutActions) })) };
}
