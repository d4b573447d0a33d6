import type { Tool } from '@modelcontextprotocol/server';
import type { Toolset } from './toolset-names.js';

/** Every tool as `tools/list` sends it where no connector contributes an action type, in order, with its toolset. */
export interface StdioFrontManifest {
  readonly tools: readonly { readonly toolset: Toolset; readonly tool: Tool }[];
}
