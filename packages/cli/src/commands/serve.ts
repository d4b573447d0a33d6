import { createStderrLogger, type Logger, type TeamState, TeamStateError } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { openWithConnectors } from '../config/open-with-connectors.js';
import { configFor, storeSettings } from '../runtime.js';
import { createHttpServer } from '../server/create-http-server.js';
import { allowedHostsFor, listen, parsePort, untilStopped } from '../server/listen.js';
import { describeMcpToken, resolveMcpToken } from '../server/mcp-token.js';
import { slackCommandAnswers } from '../slack-command-answers.js';

/**
 * `teamstate serve`: webhooks and Slack interactivity, health, and the MCP Streamable HTTP endpoint on
 * one HTTP port, until Ctrl-C; with an approval channel (Slack) configured it also keeps approval
 * messages up to date.
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
        // The Slack command is answered from the facade, which is opened after the connectors are built.
        let opened: TeamState | undefined;
        const slackCommands = slackCommandAnswers(() => {
          if (!opened) throw new TeamStateError('unavailable', 'teamstate is starting; try again in a moment');
          return opened;
        });
        const ts = await openWithConnectors(globals, ctx.io, {}, { create: true }, { slackCommands });
        opened = ts;
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
        const reminders = remindToReport(ts, logger);
        await untilStopped(server);
        await reminders?.stop();
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
  return repeat('webhook queue', DRAIN_EVERY_MS, log, (signal) => ts.webhooks.drain({ signal }).then(() => undefined));
}

/** How often `serve` looks for daily report reminders that are due. */
const REMIND_EVERY_MS = 60_000;

/**
 * With Slack configured and `reminders.reports` in the policy, sends the daily report reminders that are due, at
 * start and every minute, on the facade's clock (each person's local time; at most once per person and day).
 */
function remindToReport(ts: TeamState, log: Logger): { stop(): Promise<void> } | undefined {
  if (!ts.policy.document.reminders?.reports || !ts.connectors.some((c) => c.id === 'slack')) return undefined;
  return repeat('daily report reminders', REMIND_EVERY_MS, log, async () => {
    const { sendReportReminders } = await import('@teamstate/connectors/slack');
    const outcomes = await sendReportReminders(ts);
    const sent = outcomes.filter((o) => o.outcome === 'sent');
    const message = `daily report reminders: ${sent.length} sent${sent.length > 0 ? ` (${sent.map((o) => `${o.person} ${o.status}`).join(', ')})` : ''}`;
    if (sent.length > 0) log.info(message);
    else log.debug(message);
  });
}

/** Runs `pass` at once and every `everyMs`, one at a time; failures are logged; `stop()` waits for the pass in progress. */
function repeat(label: string, everyMs: number, log: Logger, pass: (signal: AbortSignal) => Promise<void>): { stop(): Promise<void> } {
  const stopping = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(async () => {
      try {
        await pass(stopping.signal);
      } catch (error) {
        log.error(`${label}: ${error instanceof Error ? error.message : String(error)}`);
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
      await running;
    },
  };
}
