import { type Logger, runNudges, type TeamState, TeamStateError } from '@teamstate/core';
import type { RegisterCommand } from '../command-context.js';
import { unresolvedWarnings } from '../config/load-config.js';
import { openWithConnectors } from '../config/open-with-connectors.js';
import { commandLogger, configFor, storeSettings } from '../runtime.js';
import { chosenToolsets } from '../server/chosen-toolsets.js';
import { createHttpServer, type Route, type RouteHandler } from '../server/create-http-server.js';
import { createHubScheduler } from '../server/hub-schedule.js';
import { postWeeklyLeaderboard } from '../server/leaderboard-schedule.js';
import { allowedHostsFor, listen, parsePort, untilStopped } from '../server/listen.js';
import { describeMcpToken, mayShowToken, resolveMcpToken } from '../server/mcp-token.js';
import { metricsToken } from '../server/metrics-access.js';
import { oauthFromConfig } from '../server/oauth/oauth-from-config.js';
import { alertsJob, reachesPeople, sendPulse } from '../server/people-health-schedule.js';
import { createRestApi } from '../server/rest/rest-api.js';
import { scheduleRetention } from '../server/retention-schedule.js';
import { canEmail, riskDigestJob } from '../server/risk-digest-schedule.js';
import { registerServeGauges } from '../server/serve-gauges.js';
import { startTelemetry } from '../server/start-telemetry.js';
import { warmMcpHttp } from '../server/warm-mcp-http.js';
import { webFromConfig } from '../server/web/web-from-config.js';
import { slackCommandAnswers } from '../slack-command-answers.js';
import { SKIP_REASONS } from './nudges.js';

/**
 * `teamstate serve`: webhooks and Slack interactivity, health, and the MCP Streamable HTTP endpoint on
 * one HTTP port, until Ctrl-C. It syncs the configured connectors and refreshes signals on `schedule:` (docs/hub.md). It runs the approved actions it has a connector for, at start and within seconds of
 * their approval, and with an approval channel (Slack) configured it also keeps approval messages up to date. It drains the webhook queue every 10 s and runs retention at start and once a day; with Slack,
 * it answers `/teamstate`, and every minute sends the daily report reminders (`reminders.reports` in the policy) and
 * the pull request surveys (`surveys.enabled`) that are due, and posts the weekly leaderboard (`leaderboard.enabled`) at
 * its `schedule`. With working agreements in the policy it refreshes the signals and sends the nudges due every `schedule.nudges` (10 minutes),
 * and with Slack posts each team's risk digest to its agreements' channel once per `schedule.riskDigest` (a week),
 * sends pulse survey rounds (`pulse:`) and personal alerts (`alerts:`, every `schedule.alerts`).
 */
export const registerServe: RegisterCommand = (program, ctx) => {
  program
    .command('serve')
    .description(
      'serve webhooks and Slack interactivity (POST /webhooks/<path>), health (GET /healthz) and MCP (/mcp, bearer token) over HTTP',
    )
    .option('--port <n>', 'port (0 picks a free one)', '8787')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--allowed-host <name...>', 'extra Host names every route but /healthz accepts (e.g. behind a reverse proxy)', [])
    .option('--allowed-origin <origin...>', 'browser origins (https://app.example) to accept and send CORS headers to', [])
    .option(
      '--metrics',
      'serve Prometheus metrics at GET /metrics (bearer TEAMSTATE_METRICS_TOKEN or server.metricsToken; without one, loopback --host only); TEAMSTATE_OTEL=1 also sends OTLP',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ teamstate serve --port 8787\n  $ teamstate serve --port 8787 --host 0.0.0.0 --allowed-host teamstate.acme.internal   # behind your reverse proxy',
    )
    .action(
      ctx.action(
        async (globals, options: { port: string; host: string; allowedHost: string[]; allowedOrigin: string[]; metrics?: boolean }) => {
          const port = parsePort(options.port);
          const loaded = configFor(globals, ctx.io);
          // Checked before anything starts: /metrics off loopback needs its token.
          const metricsBearer = options.metrics ? metricsToken(ctx.io, loaded, options.host) : undefined;
          const token = resolveMcpToken(ctx.io, loaded, storeSettings(globals, ctx.io, loaded).database);
          const toolsets = await chosenToolsets(undefined, loaded?.config.mcp?.toolsets);
          const logger = commandLogger(globals, ctx.io, loaded);
          // Before the TeamState opens: its instruments are created on the provider registered here.
          const telemetry = await startTelemetry(ctx.io, {
            prometheus: options.metrics ?? false,
            log: logger,
            metricsToken: metricsBearer,
          });
          // The Slack command is answered from the facade, which is opened after the connectors are built.
          let opened: TeamState | undefined;
          const slackCommands = slackCommandAnswers(() => {
            if (!opened) throw new TeamStateError('unavailable', 'teamstate is starting; try again in a moment');
            return opened;
          });
          // Every configured connector; one whose secrets are not set is left out with a warning, and the rest is served.
          const warn = (warning: string) => logger.warn(warning);
          const ts = await openWithConnectors(globals, ctx.io, {}, { create: true }, { slackCommands }, { onUnresolved: warn });
          for (const { warning } of unresolvedWarnings(loaded, ['knowledge.embedder'])) warn(warning);
          opened = ts;
          const { createMcpHttpHandler, LOOPBACK_HOSTS } = await import('@teamstate/mcp-server');
          // A server: the reader threads start now, not in its first refresh, and /mcp is warmed before it listens.
          await ts.store.warmReadAside();
          // With `auth:`, people sign in through OAuth 2.1 (docs/remote-mcp.md); personal and shared tokens keep working.
          const oauth = oauthFromConfig(ts, loaded, logger);
          const mcp = createMcpHttpHandler(ts, {
            resourceMetadataUrl: oauth?.resourceMetadataUrl,
            token: token.token,
            onBehalfOf: loaded?.config.mcp?.person,
            toolsets,
            logger,
            // The public address's host is one of ours: clients reach /mcp, and webhook senders (pointed at
            // server.publicUrl by `webhooks install`) reach /webhooks/*, through it.
            allowedHosts: allowedHostsFor(
              options.host,
              [
                ...options.allowedHost,
                ...[oauth?.resource, loaded?.config.server?.publicUrl].flatMap((url) => (url ? [new URL(url).hostname] : [])),
              ],
              LOOPBACK_HOSTS,
            ),
            allowedOrigins: options.allowedOrigin,
          });
          await warmMcpHttp({ teamState: ts, handler: mcp, token: token.token });
          const gateway = gatewayRoutes(ts, token.token, loaded, oauth?.resourceMetadataUrl, logger);
          const server = createHttpServer(
            ts,
            {
              ...gateway,
              '/mcp': mcp.route,
              ...oauth?.routes,
              ...(telemetry.metricsRoute ? { '/metrics': telemetry.metricsRoute } : {}),
            },
            logger,
            {},
            mcp.access,
          );
          const bound = await listen(server, port, options.host);
          // Stopped by a signal from here on, before anyone is told where it listens.
          const stopped = untilStopped(server);
          ctx.io.stderr(
            `teamstate serve: listening on http://${options.host}:${bound} (workspace ${ts.workspace}); MCP at /mcp${oauth ? ` (OAuth sign-in for ${oauth.resource})` : ''}, REST at /v1${gateway['/'] ? ', web page at /' : ''}${telemetry.metricsRoute ? ', metrics at /metrics' : ''}\n${describeMcpToken(token, mayShowToken(ctx.io, globals.logFormat))}`,
          );
          // The approvals watch, at start and then within seconds of any change: runs every approved action this server
          // has a connector for (approved where none could run it: a CLI or a Slack button elsewhere, the SDK), each
          // exactly once under the execution lease, expires overdue ones, and keeps approval channels (Slack) current.
          const watch = ts.approvals.watch();
          // The hub's schedule: incremental syncs of the configured connectors (one process at a time per connector,
          // through a lease in the database) and the signals refresh, on `schedule:` with jitter and back-off.
          const { scheduler, intervals } = await createHubScheduler(ts, loaded?.config, logger, {
            syncs: loaded ? ts.connectors.map((c) => c.id) : [],
          });
          // With --metrics: each team's metrics as gauges for the dashboards (deploy/grafana), recomputed on the signals schedule.
          const gauges = telemetry.metricsRoute ? registerServeGauges(ts) : undefined;
          if (gauges) scheduler.add({ name: 'metric gauges', everyMs: intervals.signals, run: () => gauges.refresh() });
          // Working agreements (agreements: in the policy): signals refreshed, then the nudges that are due, every
          // schedule.nudges, one process at a time.
          if (ts.agreements.list().length > 0)
            scheduler.add({ name: 'nudges', everyMs: intervals.nudges, lease: '@nudges', run: () => nudge(ts, logger) });
          const slack = ts.connectors.some((c) => c.id === 'slack');
          // The weekly risk digest to each team's channel (an agreement's channel) and by email to members without Slack, once
          // per team and schedule.riskDigest across restarts and processes (lease @risk-digest, the period recorded first).
          if ((slack && ts.agreements.list().some((a) => a.channel !== undefined)) || canEmail(ts))
            scheduler.add(riskDigestJob(ts, logger, intervals.riskDigest));
          // Personal alerts (alerts: in the config): by DM, or by email to people without Slack, once per event.
          if (reachesPeople(ts) && loaded?.config.alerts) scheduler.add(alertsJob(ts, logger, intervals.alerts));
          scheduler.start();
          const leaderboard = loaded?.config.leaderboard;
          if (leaderboard?.enabled && !(slack && leaderboard.channel))
            logger.warn('leaderboard: enabled but not posted: it needs connectors.slack and leaderboard.channel');
          const loops = [
            repeat('webhook queue', DRAIN_EVERY_MS, logger, (signal) => ts.webhooks.drain({ signal })),
            ...(slack && ts.policy.document.reminders?.reports
              ? [repeat('daily report reminders', EVERY_MINUTE_MS, logger, () => remindToReport(ts, logger))]
              : []),
            ...(slack && loaded?.config.surveys?.enabled
              ? [repeat('surveys', EVERY_MINUTE_MS, logger, () => sendSurveys(ts, logger))]
              : []),
            // Pulse survey rounds (pulse: in the config) on their schedule, each person asked once per round.
            ...(slack && loaded?.config.pulse
              ? [repeat('pulse', EVERY_MINUTE_MS, logger, () => sendPulse(ts, logger, loaded.config.pulse?.minGroup))]
              : []),
            // The weekly leaderboard, at leaderboard.schedule (UTC), once per week even across restarts.
            ...(slack && leaderboard?.enabled && leaderboard.channel
              ? [repeat('leaderboard', EVERY_MINUTE_MS, logger, () => postWeeklyLeaderboard(ts, leaderboard, logger))]
              : []),
            // A recent joiner's onboarding plan, proposed as a Slack DM to them and their leads (through the policy), once.
            ...(slack ? [repeat('onboarding', EVERY_MINUTE_MS * 10, logger, () => proposeOnboarding(ts, logger))] : []),
            // Expired rows are archived and deleted at start and then every schedule.retention (retention: in the config).
            scheduleRetention(ts, logger, { everyMs: intervals.retention }),
          ];
          await stopped;
          await scheduler.stop();
          gauges?.close();
          for (const loop of loops) await loop.stop();
          await watch.stop();
          await mcp.close();
          await ts.close();
          await telemetry.shutdown();
          return 0;
        },
      ),
    );
};

/**
 * The web page for approvers and leads (`server.web`, default on, with every identity provider of `auth:`) and REST
 * under /v1 with the credentials of /mcp, a decide token too (docs/web.md, docs/rest-api.md).
 */
function gatewayRoutes(
  ts: TeamState,
  sharedToken: string,
  loaded: ReturnType<typeof configFor>,
  resourceMetadataUrl: string | undefined,
  log: Logger,
): Record<string, RouteHandler | Route> {
  return { ...webFromConfig(ts, loaded, log), '/v1/*': restApi(ts, sharedToken, loaded, resourceMetadataUrl, log) };
}

/** The REST API of `serve`, over the shared token and people's tokens (docs/rest-api.md). */
function restApi(
  ts: TeamState,
  sharedToken: string,
  loaded: ReturnType<typeof configFor>,
  resourceMetadataUrl: string | undefined,
  log: Logger,
): ReturnType<typeof createRestApi> {
  const publicUrl = loaded?.config.server?.publicUrl;
  const sharedPerson = loaded?.config.mcp?.person;
  return createRestApi(ts, {
    ts,
    sharedToken,
    log,
    ...(sharedPerson ? { sharedPerson } : {}),
    ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
    ...(publicUrl ? { publicUrl } : {}),
  });
}

/** How often `serve` looks for webhook deliveries whose retry is due. */
const DRAIN_EVERY_MS = 10_000;
/** How often `serve` looks for daily report reminders, and pull request surveys and reveals, that are due. */
const EVERY_MINUTE_MS = 60_000;

/**
 * Runs `pass` at start (what a stopped server left behind) and every `everyMs`, one pass at a time; a failed pass is
 * logged and the next one runs as usual. `stop()` waits for the pass in progress.
 */
function repeat(label: string, everyMs: number, log: Logger, pass: (signal: AbortSignal) => Promise<unknown>): { stop(): Promise<void> } {
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

/** One nudges pass (docs/hub.md#working-agreements-and-nudges) on freshly refreshed signals, logged whatever it did. */
async function nudge(ts: TeamState, log: Logger): Promise<void> {
  await ts.signals.refresh();
  const round = await runNudges(ts);
  const sent = round.sent.map((n) => `${n.stage} ${n.recipient}`).join(', ');
  const skipped = round.skipped.map((s) => `${s.stage} ${s.recipient}: ${SKIP_REASONS[s.reason]}`).join('; ');
  log.info(
    `nudges: ${round.sent.length} sent${sent ? ` (${sent})` : ''}, ${round.skipped.length} skipped${skipped ? ` (${skipped})` : ''}, ${round.deferred} waiting for working hours`,
  );
  for (const failed of round.failed) log.warn(`nudges: ${failed.recipient} about ${failed.signal}: ${failed.error}`);
}

/** Onboarding plans go to recent joiners and their leads as Slack DMs, proposed through the policy, once each. */
async function proposeOnboarding(ts: TeamState, log: Logger): Promise<void> {
  const proposed = await ts.onboarding.proposeMessages({ requestedBy: 'teamstate' });
  if (proposed.length > 0)
    log.info(
      `onboarding: ${proposed.length} messages proposed (${proposed.map((m) => `${m.person} to ${m.recipient} ${m.status}`).join(', ')})`,
    );
}

/** Pull request surveys go out through Slack when `surveys.enabled` is set and Slack is configured. */
async function sendSurveys(ts: TeamState, log: Logger): Promise<void> {
  const { sendSlackSurveys } = await import('@teamstate/connectors/slack');
  const round = await sendSlackSurveys(ts);
  if (round.surveys + round.reveals > 0) log.info(`surveys: ${round.surveys} sent, ${round.reveals} reveals`);
  if (round.skipped.length > 0) log.debug(`surveys: no Slack account for ${[...new Set(round.skipped)].join(', ')}`);
}

/**
 * With Slack configured and `reminders.reports` in the policy, sends the daily report reminders that are due, on the
 * facade's clock (each person's local time; at most once per person and day).
 */
async function remindToReport(ts: TeamState, log: Logger): Promise<void> {
  const { sendReportReminders } = await import('@teamstate/connectors/slack');
  const outcomes = await sendReportReminders(ts);
  const sent = outcomes.filter((o) => o.outcome === 'sent');
  const message = `daily report reminders: ${sent.length} sent${sent.length > 0 ? ` (${sent.map((o) => `${o.person} ${o.status}`).join(', ')})` : ''}`;
  if (sent.length > 0) log.info(message);
  else log.debug(message);
}
