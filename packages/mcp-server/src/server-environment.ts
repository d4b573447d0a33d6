import type { Logger, TeamState } from '@teamstate/core';
import type { CallQueue } from './tools/call-queue.js';

/** What the tools, resources and prompts of one MCP server share. */
export interface ServerEnvironment {
  readonly teamState: TeamState;
  /** Recorded as `requestedBy` on every proposal made through this server. */
  readonly requestedBy: string;
  /** The calling person, recorded as `onBehalfOf` of proposals (when known). */
  readonly onBehalfOf?: string;
  /** What the caller's credential allows (`read`, `propose`, `write`); undefined: everything (stdio, the shared token). */
  readonly scopes?: readonly string[];
  readonly log: Logger;
  /** The turns tool calls take, shared by every server over the same `TeamState`. */
  readonly calls: CallQueue;
  /** Names of the tools this server offers; prompts mention only tools that exist. */
  readonly toolNames: ReadonlySet<string>;
}

/** A module that adds its resources or prompts to a server (`src/resources/*.ts`, `src/prompts/*.ts`). */
export type Register<Server> = (server: Server, environment: ServerEnvironment) => void;
