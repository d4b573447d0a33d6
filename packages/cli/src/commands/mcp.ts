import { type Logger, type TeamState, unknownId } from '@teamstate/core';
import { flag, scalar } from '@teamstate/core/store';
import type { CommandContext, RegisterCommand } from '../command-context.js';
import { unresolvedWarnings } from '../config/load-config.js';
import { openWithConnectors } from '../config/open-with-connectors.js';
import { UsageError } from '../errors.js';
import { commandLogger, configFor, type GlobalOptions, storeSettings } from '../runtime.js';
import { selfCommand, selfName } from '../self-command.js';
import { chosenToolsets } from '../server/chosen-toolsets.js';
import { createGuardedServer } from '../server/create-http-server.js';
import { allowedHostsFor, listen, parsePort, untilStopped } from '../server/listen.js';
import { describeMcpToken, mayShowToken, resolveMcpToken } from '../server/mcp-token.js';
import { metricsToken } from '../server/metrics-access.js';
import { oauthFromConfig, serveOAuthRoute } from '../server/oauth/oauth-from-config.js';
import { startTelemetry } from '../server/start-telemetry.js';
import { warmMcpHttp } from '../server/warm-mcp-http.js';

interface McpOptions {
  http?: boolean;
  port?: string;
  host?: string;
  allowedHost?: string[];
  allowedOrigin?: string[];
  requestedBy: string;
  person?: string;
  toolsets?: string;
  readOnly?: boolean;
  metrics?: boolean;
}

/**
 * The facade with the configured connectors (or a demo workspace's; so an approved action runs in this process) and the CLI's
 * metrics. Nothing syncs at start-up. The caller runs `ts.approvals.watch()`, as `teamstate serve` does:
 * it expires overdue approvals, runs those a person approved from another process, and keeps Slack
 * approval messages current when an approval channel is configured. With `warm` (the HTTP server), on a company-size
 * local file the reader threads start as it opens, and it resolves once they are ready; the stdio server starts them
 * with its first read aside, so that initialize and tools/list do not share the cores with them. A connector (or the
 * embedder) whose secrets are not set is left out, with one warning on stderr naming the variables.
 */
async function open(globals: GlobalOptions, ctx: CommandContext, logger: Logger, warm: boolean): Promise<TeamState> {
  // Every configured connector; one whose secrets are not set is left out with a warning, and the tools still read.
  const warn = (warning: string) => logger.warn(warning);
  const ts = await openWithConnectors(globals, ctx.io, { metrics: ctx.metrics }, {}, {}, { onUnresolved: warn });
  for (const { warning } of unresolvedWarnings(configFor(globals, ctx.io), ['knowledge.embedder'])) warn(warning);
  // A server for many: the reader threads start now (on a company-size file), not in the first list_signals or
  // get_metrics, and it listens once they are ready, not while they start.
  if (warm) await ts.store.warmReadAside();
  return ts;
}

/** Says on stderr when the workspace holds nothing yet, so an empty answer is not read as "all clear". */
async function warnWhenEmpty(ts: TeamState, ctx: CommandContext): Promise<void> {
  const filled = await ts.store.execute(
    `SELECT EXISTS (SELECT 1 FROM teams WHERE workspace = ?1) OR EXISTS (SELECT 1 FROM people WHERE workspace = ?1)
       OR EXISTS (SELECT 1 FROM work_items WHERE workspace = ?1) OR EXISTS (SELECT 1 FROM deployments WHERE workspace = ?1) AS filled`,
    [ts.workspace],
  );
  if (scalar(filled.rows, 'filled', flag)) return;
  ctx.io.stderr(
    `teamstate mcp: warning: workspace ${ts.workspace} in ${ts.store.url} is empty (nothing synced or imported yet), so every tool answers with nothing; run ${selfName()} sync, ${selfName()} import <bundle> or ${selfName()} demo first\n`,
  );
}

/** `teamstate mcp`: the MCP server over stdio (default) or Streamable HTTP (`--http`). */
export const registerMcp: RegisterCommand = (program, ctx) => {
  program
    .command('mcp')
    .description('serve the MCP server for Claude, Claude Code and Cursor: stdio by default, Streamable HTTP with --http')
    .option('--http', 'serve Streamable HTTP at /mcp instead of stdio (bearer token required)')
    .option('--port <n>', 'with --http: port (0 picks a free one; default 8787)')
    .option('--host <address>', 'with --http: address to bind (default 127.0.0.1)')
    .option('--allowed-host <name...>', 'with --http: extra Host names to accept (e.g. behind a reverse proxy)')
    .option('--allowed-origin <origin...>', 'with --http: browser origins (https://app.example) to accept and send CORS headers to')
    .option('--requested-by <id>', 'who proposals are recorded as requested by', 'assistant')
    .option('--person <id>', 'the person using this server: recorded as onBehalfOf of proposals (default: mcp.person in the config)')
    .option(
      '--toolsets <names>',
      'offer only these toolsets, comma-separated: delivery, actions, reports, knowledge, ai, incidents, plans, insights (default: mcp.toolsets in the config, else all but insights)',
    )
    .option('--read-only', 'offer only the tools that change nothing (no proposals, no reports, no actions carried out)')
    .option(
      '--metrics',
      'with --http: serve Prometheus metrics at GET /metrics (bearer TEAMSTATE_METRICS_TOKEN or server.metricsToken; without one, loopback --host only)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ teamstate mcp --db ~/acme/.teamstate/teamstate.db          # stdio, for Claude Desktop / Claude Code / Cursor',
        `  $ claude mcp add teamstate -- ${selfCommand()} mcp --db ~/acme/.teamstate/teamstate.db`,
        '  $ teamstate mcp --http --port 8787                           # http://127.0.0.1:8787/mcp, token saved on first start',
        '  $ teamstate mcp --toolsets delivery,actions --read-only      # fewer tool definitions in the context window',
        'The token comes from TEAMSTATE_MCP_TOKEN, mcp.token in the config, or the file mcp-token next to the database.',
        'Tools, resources and prompts: docs/mcp.md',
      ].join('\n'),
    )
    .action(
      ctx.action(async (globals, options: McpOptions) => {
        const logger = commandLogger(globals, ctx.io);
        // Loaded here, not at the top: the other commands do not pay for the MCP SDK.
        const { createMcpHttpHandler, LOOPBACK_HOSTS, serveStdio } = await import('@teamstate/mcp-server');
        const mcpConfig = configFor(globals, ctx.io)?.config.mcp;
        const asked = options.person ?? mcpConfig?.person;
        const offer = { toolsets: await chosenToolsets(options.toolsets, mcpConfig?.toolsets), readOnly: options.readOnly ?? false };
        if (options.metrics && !options.http)
          throw new UsageError('--metrics: needs --http (stdio has no HTTP server to serve /metrics on; use TEAMSTATE_OTEL=1 for OTLP)');
        // A flag of the HTTP server without --http would be ignored by the stdio server: say so rather than serve stdio.
        for (const [flag, given] of [
          ['--port', options.port],
          ['--host', options.host],
          ['--allowed-host', options.allowedHost],
          ['--allowed-origin', options.allowedOrigin],
        ] as const)
          if (given !== undefined && !options.http)
            throw new UsageError(`${flag}: needs --http (without it the server speaks stdio and listens on no port); add --http`);
        // Before the TeamState opens: its instruments are created on the provider registered here; off loopback, /metrics needs a token.
        const bearer = options.metrics ? metricsToken(ctx.io, configFor(globals, ctx.io), options.host ?? '127.0.0.1') : undefined;
        const telemetry = await startTelemetry(ctx.io, { prometheus: options.metrics ?? false, log: logger, metricsToken: bearer });
        if (!options.http) {
          // stdout belongs to JSON-RPC from here on: everything else goes to stderr.
          const ts = await open(globals, ctx, logger, false);
          const person = asked === undefined ? undefined : await knownPerson(ts, asked);
          const watch = ts.approvals.watch();
          const server = await serveStdio(ts, {
            requestedBy: options.requestedBy,
            onBehalfOf: person,
            logger,
            ...offer,
            ...(ctx.mcpStdio ?? {}),
          });
          // Stopped by a signal from here on, before it says it serves.
          const stop = () => void server.close();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
          // The quick start (src/mcp-front.ts) said so already, before it handed the connection over.
          if (!ctx.mcpStdio) ctx.io.stderr(`teamstate mcp: serving ${ts.store.url} (workspace ${ts.workspace}) over stdio\n`);
          await warnWhenEmpty(ts, ctx);
          await server.closed;
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          await watch.stop();
          await ts.close();
          await telemetry.shutdown();
          if (server.error) {
            const oversized = /maximum size/i.test(server.error.message);
            ctx.io.stderr(
              `teamstate mcp: stopped: ${oversized ? 'the client sent a message over 10 MB, the stdio limit' : 'the stdio transport failed'} (${server.error.message})\n`,
            );
            return 1;
          }
          return 0;
        }
        const port = parsePort(options.port ?? '8787');
        const host = options.host ?? '127.0.0.1';
        const loaded = configFor(globals, ctx.io);
        const token = resolveMcpToken(ctx.io, loaded, storeSettings(globals, ctx.io, loaded).database);
        const ts = await open(globals, ctx, logger, true);
        const person = asked === undefined ? undefined : await knownPerson(ts, asked);
        // With `auth:`, people sign in through OAuth 2.1 (docs/remote-mcp.md), as with `serve`.
        const oauth = oauthFromConfig(ts, loaded, logger);
        const handler = createMcpHttpHandler(ts, {
          resourceMetadataUrl: oauth?.resourceMetadataUrl,
          token: token.token,
          requestedBy: options.requestedBy,
          onBehalfOf: person,
          logger,
          ...offer,
          allowedHosts: allowedHostsFor(
            host,
            [...(options.allowedHost ?? []), ...(oauth ? [new URL(oauth.resource).host.replace(/:\d+$/, '')] : [])],
            LOOPBACK_HOSTS,
          ),
          allowedOrigins: options.allowedOrigin ?? [],
        });
        // Before it accepts a connection: a burst of sessions on its own handler, over a window that holds no record.
        await warmMcpHttp({ teamState: ts, handler, token: token.token });
        const server = createGuardedServer((request, response) => {
          const path = new URL(request.url ?? '/', 'http://localhost').pathname;
          // Host/Origin (DNS rebinding) and CORS on every route, the sign-in and metrics ones included.
          response.setHeader('connection', 'close');
          if (handler.access.refuse(request, response)) return void response.once('finish', () => request.destroy());
          response.removeHeader('connection');
          if (oauth && serveOAuthRoute(oauth, path, request, response, logger)) return;
          if (path === '/metrics' && telemetry.metricsRoute) return void telemetry.metricsRoute(request, response, Buffer.alloc(0));
          if (path === '/mcp') {
            handler.handle(request, response).catch((error: unknown) => {
              logger.error('MCP request failed', { message: error instanceof Error ? error.message : String(error) });
              if (!response.headersSent) response.writeHead(500).end();
            });
            return;
          }
          response
            .writeHead(404, { 'content-type': 'application/json; charset=utf-8' })
            .end(JSON.stringify({ ok: false, message: 'the MCP endpoint is /mcp' }));
        });
        const bound = await listen(server, port, host);
        // Stopped by a signal from here on, before anyone is told where it listens.
        const stopped = untilStopped(server);
        const watch = ts.approvals.watch();
        ctx.io.stderr(
          `teamstate mcp: Streamable HTTP on http://${host}:${bound}/mcp (workspace ${ts.workspace})${telemetry.metricsRoute ? `; metrics at http://${host}:${bound}/metrics` : ''}\n${describeMcpToken(token, mayShowToken(ctx.io, globals.logFormat))}`,
        );
        await warnWhenEmpty(ts, ctx);
        await stopped;
        await watch.stop();
        await handler.close();
        await ts.close();
        await telemetry.shutdown();
        return 0;
      }),
    );
};

/** `--person` / `mcp.person` must name a person of the workspace (by id, login or email); returns their id. */
async function knownPerson(ts: TeamState, person: string): Promise<string> {
  const found = await ts.people.get(person);
  if (found) return found.id;
  const ids = (await ts.people.list()).map((p) => p.id);
  throw new UsageError(unknownId('--person', person, ids, { what: 'person', list: 'never' }).message);
}
