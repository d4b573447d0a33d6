import { McpServer } from '@modelcontextprotocol/server';
import { idSchema, type Logger, silentLogger, type TeamState, TeamStateError } from '@teamstate/core';
import { instructions } from './instructions.js';
import { prompts } from './prompts/index.js';
import { resources } from './resources/index.js';
import type { ServerEnvironment } from './server-environment.js';
import { callQueueOf } from './tools/call-queue.js';
import { tools } from './tools/index.js';
import { registerTools, selectTools } from './tools/register-tools.js';
import { parseToolsets, type Toolset } from './tools/toolsets.js';
import { refuseNonObjectArguments, sendPlainErrors } from './transports/plain-protocol-errors.js';
import { VERSION } from './version.js';

/** Options of {@link createMcpServer}. */
export interface McpServerOptions {
  /**
   * Recorded as `requestedBy` on every proposal made through this server (default `assistant`). Use a
   * name that is not a person's id: the requester can never decide its own proposal.
   */
  requestedBy?: string;
  /**
   * The person calling through this server (stdio `--person`, or the person of an HTTP token): recorded as
   * `onBehalfOf` of every proposal, so `require_approval` keeps them from approving it too.
   */
  onBehalfOf?: string;
  /**
   * What the caller's credential allows (a per-person token's scopes: `read`, `propose`, `write`). Tools that
   * write (`submit_daily_report`) need `write`, `propose_action` needs `propose`. Default: everything (stdio,
   * the shared token of a single-user set-up).
   */
  scopes?: readonly string[];
  /**
   * Read people's words as the caller (`onBehalfOf`; nobody when absent) under the reading rule and the policy's
   * `privacy` (docs/security.md#who-may-read-what). Default: when `onBehalfOf` or `scopes` (a credential) are set;
   * otherwise the server reads as the database's owner (stdio without `--person`). The HTTP handler always reads as
   * the caller.
   */
  readAsCaller?: boolean;
  /**
   * The toolsets whose tools are offered (`delivery`, `actions`, `reports`, `knowledge`, `ai`, …); default all but `insights`. An unknown
   * name is an error listing the known ones.
   */
  toolsets?: readonly (Toolset | (string & {}))[];
  /** Offer only the tools annotated `readOnlyHint: true` (nothing can be proposed, submitted or carried out). */
  readOnly?: boolean;
  /** Where the server logs (stderr in the CLI; never stdout, which the stdio transport owns). Default: silent. */
  logger?: Logger;
}

/**
 * An MCP server over a `TeamState`: the read tools, `propose_action` and the approval tools, the
 * `teamstate://` resources and the prompts. Connect it to a transport; one server serves one client
 * connection (`serveStdio` and `createMcpHttpHandler` do this for you).
 *
 * @example
 * const ts = await createTeamState({ database: 'file:.teamstate/teamstate.db' })
 * const server = createMcpServer(ts, { requestedBy: 'claude' })
 * await server.connect(new StdioServerTransport())
 */
export function createMcpServer(teamState: TeamState, options: McpServerOptions = {}): McpServer {
  const requestedBy = options.requestedBy ?? 'assistant';
  if (!idSchema.safeParse(requestedBy).success) {
    throw new TeamStateError(
      'invalid_config',
      `requestedBy: expected a non-empty id without surrounding spaces, got ${JSON.stringify(requestedBy)}`,
    );
  }
  if (options.onBehalfOf !== undefined && !idSchema.safeParse(options.onBehalfOf).success) {
    throw new TeamStateError('invalid_config', `person: expected a person id, got ${JSON.stringify(options.onBehalfOf)}`);
  }
  const selected = selectTools(tools, { toolsets: parseToolsets(options.toolsets), readOnly: options.readOnly ?? false });
  const readAsCaller = options.readAsCaller ?? (options.onBehalfOf !== undefined || options.scopes !== undefined);
  const environment: ServerEnvironment = {
    teamState: readAsCaller ? teamState.as({ person: options.onBehalfOf, scopes: options.scopes }) : teamState,
    requestedBy,
    onBehalfOf: options.onBehalfOf,
    scopes: options.scopes,
    log: options.logger ?? silentLogger,
    calls: callQueueOf(teamState),
    toolNames: new Set(selected.offered.map((tool) => tool.name)),
  };
  const server = new McpServer(
    { name: 'teamstate', title: 'teamstate', version: VERSION },
    { instructions: instructions(environment.toolNames), capabilities: { resources: {}, prompts: {} } },
  );
  registerTools(server.server, selected, environment);
  for (const register of resources) register(server, environment);
  for (const register of prompts) register(server, environment);
  // Protocol errors read well in clients: the MCP prefix once, one line for non-object tool arguments.
  const connect = server.connect.bind(server);
  server.connect = async (transport) => {
    await connect(sendPlainErrors(transport));
    refuseNonObjectArguments(transport);
  };
  return server;
}
