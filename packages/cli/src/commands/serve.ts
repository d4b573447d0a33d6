import type { Logger, TeamState } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { openWithConnectors } from '../config/open-with-connectors.js';
import { commandLogger, configFor, storeSettings } from '../runtime.js';
import { chosenToolsets } from '../server/chosen-toolsets.js';
import { createHttpServer } from '../server/create-http-server.js';
import { allowedHostsFor, listen, parsePort, untilStopped } from '../server/listen.js';
import { describeMcpToken, resolveMcpToken } from '../server/mcp-token.js';
import { scheduleRetention } from '../server/retention-schedule.js';
import { startTelemetry } from '../server/start-telemetry.js';

/**
 * `teamstate serve`: webhooks and Slack interactivity, health, and the MCP Streamable HTTP endpoint on
 * one HTTP port, until Ctrl-C; with an approval channel (Slack) configured it also keeps approval
 * messages up to date. It drains the webhook queue every 10 s, runs retention at start and once a day, and with
 * `surveys.enabled` and Slack it sends the pull request surveys that are due.
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
    .option('--metrics', 'serve Prometheus metrics at GET /metrics (OpenTelemetry); TEAMSTATE_OTEL=1 also sends OTLP')
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate serve --port 8787\n  $ teamstate serve --port 8787 --host 0.0.0.0 --allowed-host teamstate.acme.internal   # behind your reverse proxy',
    )
    .action(
      ctx.action(async (globals, options: { port: string; host: string; allowedHost: string[]; metrics?: boolean }) => {
        const port = parsePort(options.port);
        const loaded = configFor(globals, ctx.io);
        const token = resolveMcpToken(ctx.io, loaded, storeSettings(globals, ctx.io, loaded).database);
        const toolsets = await chosenToolsets(undefined, loaded?.config.mcp?.toolsets);
        const logger = commandLogger(globals, ctx.io, loaded);
        // Before the TeamState opens: its instruments are created on the provider registered here.
        const telemetry = await startTelemetry(ctx.io, { prometheus: options.metrics ?? false, log: logger });
        const ts = await openWithConnectors(globals, ctx.io, {}, { create: true });
        const { createMcpHttpHandler, LOOPBACK_HOSTS } = await import('@teamstate/mcp-server');
        const mcp = createMcpHttpHandler(ts, {
          token: token.token,
          onBehalfOf: loaded?.config.mcp?.person,
          toolsets,
          logger,
          allowedHosts: allowedHostsFor(options.host, options.allowedHost, LOOPBACK_HOSTS),
        });
        const server = createHttpServer(
          ts,
          { '/mcp': mcp.route, ...(telemetry.metricsRoute ? { '/metrics': telemetry.metricsRoute } : {}) },
          logger,
        );
        const bound = await listen(server, port, options.host);
        ctx.io.stderr(
          `teamstate serve: listening on http://${options.host}:${bound} (workspace ${ts.workspace}); MCP at /mcp${telemetry.metricsRoute ? ', metrics at /metrics' : ''}\n${describeMcpToken(token)}`,
        );
        // Approval channels (Slack) show pending approvals and follow decisions made by any process.
        const watch = ts.connectors.some((c) => c.approvalChannel) ? ts.approvals.watch() : undefined;
        const drain = periodically('webhook queue', DRAIN_EVERY_MS, logger, (signal) => ts.webhooks.drain({ signal }));
        const surveys =
          loaded?.config.surveys?.enabled && ts.connectors.some((c) => c.id === 'slack')
            ? periodically('surveys', SURVEYS_EVERY_MS, logger, () => sendSurveys(ts, logger))
            : undefined;
        // Expired rows are archived and deleted at start and then once a day (retention: in the config).
        const retention = scheduleRetention(ts, logger);
        await untilStopped(server);
        await retention.stop();
        await drain.stop();
        await surveys?.stop();
        await watch?.stop();
        await mcp.close();
        await ts.close();
        await telemetry.shutdown();
        return 0;
      }),
    );
};

/** How often `serve` looks for webhook deliveries whose retry is due. */
const DRAIN_EVERY_MS = 10_000;
/** How often `serve` sends the pull request surveys (and reveals) that are due. */
const SURVEYS_EVERY_MS = 60_000;

/**
 * Runs `task` at start (what a stopped server left behind) and every `everyMs`, one pass at a time; a failed pass is
 * logged and the next one runs as usual. `stop()` waits for the pass in progress.
 */
function periodically(
  what: string,
  everyMs: number,
  log: Logger,
  task: (signal: AbortSignal) => Promise<unknown>,
): { stop(): Promise<void> } {
  const stopping = new AbortController();
  let pass: Promise<void> = Promise.resolve();
  const run = () => {
    pass = pass.then(async () => {
      try {
        await task(stopping.signal);
      } catch (error) {
        log.error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await pass;
    },
  };
}

/** Pull request surveys go out through Slack when `surveys.enabled` is set and Slack is configured. */
async function sendSurveys(ts: TeamState, log: Logger): Promise<void> {
  const { sendSlackSurveys } = await import('@teamstate/connectors/slack');
  const round = await sendSlackSurveys(ts);
  if (round.surveys + round.reveals > 0) log.info(`surveys: ${round.surveys} sent, ${round.reveals} reveals`);
  if (round.skipped.length > 0) log.debug(`surveys: no Slack account for ${[...new Set(round.skipped)].join(', ')}`);
}
