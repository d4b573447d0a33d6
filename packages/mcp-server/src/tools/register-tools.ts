import {
  type CallToolRequest,
  type CallToolResult,
  ProtocolError,
  ProtocolErrorCode,
  type Server,
  type ServerContext,
  type Tool,
  type ToolAnnotations,
} from '@modelcontextprotocol/server';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { errorFields, redactSecrets, TeamStateError, unknownId, type ValidationError } from '@teamstate/core';
import type { z } from 'zod';
import type { ServerEnvironment } from '../server-environment.js';
import { VERSION } from '../version.js';
import { describeArgumentIssues } from './arguments.js';
import type { ListedFrom, ToolContext, ToolDefinition } from './tool-definition.js';
import { toolJsonSchema } from './tool-json-schema.js';
import type { Toolset } from './toolsets.js';

/** Which of the tools a server offers: those of `toolsets`, and with `readOnly` only those annotated `readOnlyHint: true`. */
export interface ToolSelection {
  readonly toolsets: readonly Toolset[];
  readonly readOnly: boolean;
}

/**
 * Refuses a definition whose declarations contradict each other, before anything is served: a tool that `writes`
 * must not claim `readOnlyHint: true` (a `--read-only` server would offer it), and one that does not write must say
 * so (clients would ask the user before every call for nothing).
 */
export function checkToolDefinition(tool: ToolDefinition): void {
  if (tool.writes && tool.annotations.readOnlyHint)
    throw new TeamStateError(
      'invalid_config',
      `tool ${tool.name}: declares writes: true but annotations.readOnlyHint: true; a tool that can change anything must set readOnlyHint: false`,
    );
  if (!tool.writes && !tool.annotations.readOnlyHint)
    throw new TeamStateError(
      'invalid_config',
      `tool ${tool.name}: declares writes: false but annotations.readOnlyHint: false; set readOnlyHint: true, or writes: true if a call can change anything`,
    );
}

/** The tools a server offers, and why a call to one of the others is refused. */
export interface SelectedTools {
  readonly offered: readonly ToolDefinition[];
  /** The answer to a call of a known tool that is not offered; undefined for a name that is no tool at all. */
  refusal(name: string): string | undefined;
}

/** Checks every definition ({@link checkToolDefinition}), then picks the tools of `selection`. */
export function selectTools(tools: readonly ToolDefinition[], selection: ToolSelection): SelectedTools {
  for (const tool of tools) checkToolDefinition(tool);
  const known = new Map(tools.map((tool) => [tool.name, tool]));
  return {
    offered: tools.filter((tool) => withheld(tool, selection) === undefined),
    refusal(name) {
      const tool = known.get(name);
      return tool && withheld(tool, selection);
    },
  };
}

/** Why a tool is not offered; undefined when it is. */
function withheld(tool: ToolDefinition, selection: ToolSelection): string | undefined {
  if (!selection.toolsets.includes(tool.toolset))
    return `name: ${tool.name} is in the toolset "${tool.toolset}", which this server does not offer (it offers: ${selection.toolsets.join(', ')}); start it with --toolsets including ${tool.toolset}`;
  if (selection.readOnly && !tool.annotations.readOnlyHint)
    return `name: ${tool.name} changes data and this server is read-only (started with --read-only)`;
  return undefined;
}

const jsonSchemas = new WeakMap<z.ZodObject, Tool['inputSchema']>();

/** The JSON Schema of a tool's input or output, computed once per zod schema. */
function jsonSchemaOf(schema: z.ZodObject, io: 'input' | 'output'): Tool['inputSchema'] {
  let json = jsonSchemas.get(schema);
  if (!json) {
    json = toolJsonSchema(schema, io);
    jsonSchemas.set(schema, json);
  }
  return json;
}

/** A tool as `tools/list` sends it; a description that depends on the instance is written for `teamState`. */
export function listedTool(tool: ToolDefinition, teamState: ListedFrom): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: typeof tool.description === 'function' ? tool.description(teamState) : tool.description,
    inputSchema: jsonSchemaOf(tool.input, 'input'),
    outputSchema: jsonSchemaOf(tool.output, 'output'),
    annotations: listedAnnotations(tool.annotations),
  };
}

function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * A teamstate error with machine-readable fields (`rate_limited` and its `retryAfter`): the message as text, and
 * `{ code, retryAfter, message }` as structured content, so a client can wait and try again without parsing text.
 */
function fieldsResult(error: TeamStateError): CallToolResult | undefined {
  const fields = errorFields(error);
  if (Object.keys(fields).length === 0) return undefined;
  return { ...errorResult(error.message), structuredContent: { code: error.code, ...fields, message: error.message } };
}

/**
 * Serves `tools/list` and `tools/call` for the tools {@link selectTools} offered, on a low-level SDK server.
 *
 * The SDK's `McpServer.registerTool` validates arguments itself and answers a failure with
 * `Input validation error: Invalid arguments for tool …: Too big: expected number to be <=100 at limit`;
 * owning these two handlers lets every failure start with the argument and show the value given
 * (`limit: expected a whole number from 1 to 100, got 1000`), unknown arguments and tools get a
 * suggestion, and the same JSON goes out as `structuredContent` and as text.
 */
export function registerTools(server: Server, { offered, refusal }: SelectedTools, environment: ServerEnvironment): void {
  const byName = new Map(offered.map((tool) => [tool.name, tool]));
  const listed = offered.map((tool) => listedTool(tool, environment.teamState));
  server.registerCapabilities({ tools: { listChanged: false } });
  server.setRequestHandler('tools/list', () => ({ tools: listed }));
  server.setRequestHandler('tools/call', (request, ctx) =>
    // The OpenTelemetry MCP conventions: a server span per call, an answer with isError marks it as an error.
    tracer().startActiveSpan(
      `tools/call ${request.params.name}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'mcp.method.name': 'tools/call',
          'gen_ai.tool.name': request.params.name,
          'gen_ai.operation.name': 'execute_tool',
          ...(ctx.sessionId === undefined ? {} : { 'mcp.session.id': ctx.sessionId }),
          'jsonrpc.request.id': String(ctx.mcpReq.id),
        },
      },
      async (span) => {
        try {
          const result = await callTool(request, ctx);
          if (result.isError) {
            span.setAttribute('error.type', 'tool_error');
            span.setStatus({ code: SpanStatusCode.ERROR, message: redactSecrets(firstText(result)) });
          }
          return result;
        } catch (error) {
          span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
          span.setStatus({ code: SpanStatusCode.ERROR, message: redactSecrets(error instanceof Error ? error.message : String(error)) });
          throw error;
        } finally {
          span.end();
        }
      },
    ),
  );

  async function callTool(request: CallToolRequest, ctx: ServerContext): Promise<CallToolResult> {
    const { name } = request.params;
    const tool = byName.get(name);
    // A tool this server does not list is unknown to the client: the specification makes that a protocol error.
    if (!tool)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        refusal(name) ?? unknownId('name', name, [...byName.keys()], { what: 'tool', listAs: 'available: ', list: 'always' }).message,
      );
    const parsed = tool.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) return errorResult(describeArgumentIssues(tool.input, parsed.error.issues));
    const progressToken = request.params._meta?.progressToken;
    const context: ToolContext = {
      teamState: environment.teamState,
      requestedBy: environment.requestedBy,
      onBehalfOf: environment.onBehalfOf,
      ...clientOf(server),
      scopes: environment.scopes,
      signal: ctx.mcpReq.signal,
      log: environment.log,
      progress: async (update) => {
        if (progressToken === undefined) return;
        await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, ...update } });
      },
    };
    try {
      const run = () => tool.run(parsed.data, context) as Promise<Record<string, unknown>>;
      const output = tool.waits || tool.ownTurns ? await run() : await environment.calls.run(run, ctx.mcpReq.signal);
      return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: output };
    } catch (error) {
      if (TeamStateError.isInstance(error)) {
        const withFields = fieldsResult(error);
        if (withFields) return withFields;
        // A validation error lists its problems under a heading; a model needs only the lines, each naming its path.
        const issues = (error as Partial<ValidationError>).issues;
        return errorResult(Array.isArray(issues) ? issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n') : error.message);
      }
      // A cancelled call gets no response at all (the SDK drops it); nothing to report.
      if (ctx.mcpReq.signal.aborted) throw error;
      // Anything else is a bug or a broken store: the model gets the message, the log gets the stack.
      const message = error instanceof Error ? error.message : String(error);
      environment.log.error(`tool ${name} failed`, { message, stack: error instanceof Error ? error.stack : undefined });
      return errorResult(`${name} failed: ${message}`);
    }
  }
}

/** The client's `name/version` from the initialize handshake, when it sent one. */
function clientOf(server: Server): { client?: string } {
  const info = server.getClientVersion();
  if (!info?.name) return {};
  return { client: info.version ? `${info.name}/${info.version}` : info.name };
}

/** The text of an answer's first content block (the message of an error answer). */
function firstText(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

const tracer = () => trace.getTracer('teamstate-mcp', VERSION);

/**
 * The annotations a client needs, within the context budget (docs/mcp.md#the-context-budget): a read-only tool is just
 * `readOnlyHint: true` (the MCP specification gives `destructiveHint` and `idempotentHint` meaning only when it is
 * false); a tool that writes keeps all four.
 */
function listedAnnotations(annotations: ToolAnnotations): ToolAnnotations {
  return annotations.readOnlyHint === true ? { readOnlyHint: true, openWorldHint: annotations.openWorldHint } : { ...annotations };
}
