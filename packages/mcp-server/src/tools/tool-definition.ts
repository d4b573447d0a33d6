import type { Logger, TeamState } from '@teamstate/core';
import type { z } from 'zod';
import type { Toolset } from './toolsets.js';

/**
 * The behaviour hints MCP clients use to decide whether to ask the user before a call. Every tool sets
 * all four explicitly (the protocol's defaults are the most cautious ones, which would misdescribe reads).
 */
export interface ToolAnnotations {
  /** The tool changes nothing. */
  readonly readOnlyHint: boolean;
  /** The tool may change or delete something outside the conversation (only meaningful when not read-only). */
  readonly destructiveHint: boolean;
  /** Calling it again with the same arguments has no further effect. */
  readonly idempotentHint: boolean;
  /** The tool reaches systems beyond the local teamstate database (GitHub, Jira, Slack). */
  readonly openWorldHint: boolean;
}

/** The annotations of a tool that only reads the local store (most of them). */
export const readOnly: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** A progress update for a call whose client sent a progress token. */
export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

/** What a tool's `run` gets besides its validated arguments. */
export interface ToolContext {
  readonly teamState: TeamState;
  /** Who proposals are recorded as requested by (the assistant); never a person who could approve them. */
  readonly requestedBy: string;
  /** The calling person, when known: recorded as `onBehalfOf` of proposals. */
  readonly onBehalfOf?: string;
  /** The MCP client as it named itself in the initialize handshake, `name/version` (the model's, when no `model` is given). */
  readonly client?: string;
  /** What the caller's credential allows (`read`, `propose`, `write`); undefined: everything (stdio, the shared token). */
  readonly scopes?: readonly string[];
  /** Aborted when the client cancels the call or the connection closes. */
  readonly signal: AbortSignal;
  /** Sends a progress notification when the client asked for them (sent a progress token); a no-op otherwise. */
  progress(update: ToolProgress): Promise<void>;
  readonly log: Logger;
}

/**
 * One MCP tool: its contract (name, a description written for a model, zod input and output schemas,
 * annotations) and what it runs. A tool lives in `src/tools/<name>.ts` and is listed in `src/tools/index.ts`.
 * Arguments are validated before `run` is called; a `TeamStateError` thrown by `run` becomes an
 * `isError` result carrying its message.
 */
export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject, Output extends z.ZodObject = z.ZodObject> {
  /** snake_case; the names are public contract (docs/mcp.md#tools). */
  readonly name: string;
  readonly title: string;
  /** The group it is offered in (`--toolsets`); a server started without that toolset does not list it. */
  readonly toolset: Toolset;
  /**
   * True when a call can change anything (the store, or GitHub, Jira, Slack through an action). Declared apart from
   * `annotations.readOnlyHint` and checked against it at registration: a tool that writes but claims to be read-only
   * would be offered by a `--read-only` server, so the server refuses to start instead.
   */
  readonly writes: boolean;
  /** What it answers and when to use it; a function when it depends on the instance (the action types it can propose). */
  readonly description: string | ((teamState: ListedFrom) => string);
  /** A strict zod object with bounds on every field. */
  readonly input: Input;
  /** The shape of `structuredContent` (the same JSON is sent as text). */
  readonly output: Output;
  readonly annotations: ToolAnnotations;
  /**
   * True for a call that mostly waits for something outside the server (a person's decision): it does not take one of
   * the turns the other calls share (`CallQueue`), so waiting calls never hold up work.
   */
  readonly waits?: boolean;
  /**
   * True for a call whose heavy work takes turns of its own in core (`ts.metrics.compute`: a few computations at once,
   * first come first served, on reader threads for a large file; a query asked again answered from its last result):
   * it takes none of the shared turns either, so an answer at hand never waits behind a computation.
   */
  readonly ownTurns?: boolean;
  run(input: z.output<Input>, context: ToolContext): Promise<z.input<Output>>;
}

/**
 * Declares a tool with its argument and result types inferred from the schemas.
 *
 * @example
 * export const getApprovalTool = defineTool({
 *   name: 'get_approval', title: 'Get an approval', toolset: 'actions', writes: false,
 *   description: 'The current state of one approval…',
 *   input: z.strictObject({ id: idArgument('the approval id') }), output: approvalOutput,
 *   annotations: readOnly,
 *   run: ({ id }, { teamState }) => requireApproval(teamState, id),
 * })
 */
/** What a tool's listing may depend on: the action types the instance can propose. */
export interface ListedFrom {
  readonly actions: Pick<TeamState['actions'], 'list'>;
}

export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(tool: ToolDefinition<Input, Output>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}
