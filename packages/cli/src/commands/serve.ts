import { createStderrLogger, type Logger, type TeamState } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { openWithConnectors } from '../config/open-with-connectors.js';
import { configFor, storeSettings } from '../runtime.js';
import { createHttpServer } from '../server/create-http-server.js';
import { allowedHostsFor, listen, parsePort, untilStopped } from '../server/listen.js';
import { describeMcpToken, resolveMcpToken } from '../server/mcp-token.js';
import { scheduleRetention } from '../server/retention-schedule.js';

/**
 * `teamstate serve`: webhooks and Slack interactivity, health, and the MCP Streamable HTTP endpoint on
 * one HTTP port, until Ctrl-C; with an approval channel (Slack) configured it also keeps approval
 * messages up to date. It drains the webhook queue every 10 s and runs retention at start and once a day.
 */
export const registerServe: RegisterCommand = (program, ctx) => {
  program
    .command('serve')
    .description(
      'serve webhooks and Slack interactivity (POST /webhooks/<path>), health (GET /healthz) and MCP (/mcp, bearer token) over HTTP',
    )
    .option('--port <n>', 'port (0 picks a free one)', '8787')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--allowed-host <name...>', 'extra Host names /mcp accepts (e.g. behind a reverse proxy)', [])
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate serve --port 8787\n  $ teamstate serve --port 8787 --host 0.0.0.0 --allowed-host teamstate.acme.internal   # behind your reverse proxy',
    )
    .action(
      ctx.action(async (globals, options: { port: string; host: string; allowedHost: string[] }) => {
        const port = parsePort(options.port);
        const loaded = configFor(globals, ctx.io);
        const token = resolveMcpToken(ctx.io, loaded, storeSettings(globals, ctx.io, loaded).database);
        const ts = await openWithConnectors(globals, ctx.io, {}, { create: true });
        const { createMcpHttpHandler, LOOPBACK_HOSTS } = await import('@teamstate/mcp-server');
        const logger = createStderrLogger(globals.debug ? 'debug' : 'warn', ctx.io.stderr);
        const mcp = createMcpHttpHandler(ts, {
          token: token.token,
          onBehalfOf: loaded?.config.mcp?.person,
          logger,
          allowedHosts: allowedHostsFor(options.host, options.allowedHost, LOOPBACK_HOSTS),
        });
        const server = createHttpServer(ts, { '/mcp': mcp.route }, logger);
        const bound = await listen(server, port, options.host);
        ctx.io.stderr(
          `teamstate serve: listening on http://${options.host}:${bound} (workspace ${ts.workspace}); MCP at /mcp\n${describeMcpToken(token)}`,
        );
        // Approval channels (Slack) show pending approvals and follow decisions made by any process.
        const watch = ts.connectors.some((c) => c.approvalChannel) ? ts.approvals.watch() : undefined;
        const drain = drainWebhooks(ts, logger);
        // Expired rows are archived and deleted at start and then once a day (retention: in the config).
        const retention = scheduleRetention(ts, logger);
        await untilStopped(server);
        await retention.stop();
        await drain.stop();
        await watch?.stop();
        await mcp.close();
        await ts.close();
        return 0;
      }),
    );
};

/** How often `serve` looks for webhook deliveries whose retry is due. */
const DRAIN_EVERY_MS = 10_000;

/**
 * Drains the webhook queue at start (what a stopped server left behind) and every {@link DRAIN_EVERY_MS},
 * one pass at a time; `stop()` waits for the pass in progress.
 */
function drainWebhooks(ts: TeamState, log: Logger): { stop(): Promise<void> } {
  const stopping = new AbortController();
  let pass: Promise<void> = Promise.resolve();
  const run = () => {
    pass = pass.then(async () => {
      try {
        await ts.webhooks.drain({ signal: stopping.signal });
      } catch (error) {
        log.error(`webhook queue: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  };
  run();
  const timer = setInterval(run, DRAIN_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await pass;
    },
  };
}
