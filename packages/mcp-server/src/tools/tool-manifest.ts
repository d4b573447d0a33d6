import { tools } from './index.js';
import type { StdioFrontManifest } from './manifest-shape.js';
import { listedTool } from './register-tools.js';
import type { ListedFrom } from './tool-definition.js';

/** A workspace no connector contributes an action to: what propose_action's description says then. */
const withoutActions: ListedFrom = { actions: { list: () => [] } };

/**
 * Every tool as `tools/list` sends it for `teamState`'s action types (default: none, as without a config in a workspace
 * that is not a demo one), with its toolset: what the stdio front answers `tools/list` with before core loads. The build
 * writes it to dist/tool-manifest.json (scripts/write-tool-manifest.mjs), and the CLI's build the demo workspace's to its
 * dist/demo-tool-manifest.json; test/stdio-front.test.ts checks it against the server.
 */
export function toolManifest(teamState: ListedFrom = withoutActions): StdioFrontManifest {
  return { tools: tools.map((tool) => ({ toolset: tool.toolset, tool: listedTool(tool, teamState) })) };
}
