import type { Logger, TeamState } from '@teamstate/core';
import type { HubJob } from './scheduler.js';

/** The default of `schedule.alerts`: how often `serve` looks for personal alerts due. */
export const DEFAULT_ALERTS_MS = 5 * 60_000;

/**
 * Whether `ts` can message people directly: a Slack connector (DMs), or an email connector (`email.send`, for people
 * without Slack). `serve` runs personal alerts only then.
 */
export function reachesPeople(ts: TeamState): boolean {
  return ts.connectors.some((c) => c.id === 'slack') || ts.actions.list().some((action) => action.type === 'email.send');
}

/**
 * `serve`'s personal alerts job (docs/people-health.md#personal-alerts): one pass every `schedule.alerts`, one process
 * at a time (lease `@alerts`); each alert is recorded before it is proposed, so none is sent twice across restarts.
 */
export function alertsJob(ts: TeamState, log: Logger, everyMs: number = DEFAULT_ALERTS_MS): HubJob {
  return {
    name: 'alerts',
    everyMs,
    lease: '@alerts',
    async run() {
      const pass = await ts.alerts.run({ requestedBy: 'teamstate-serve' });
      const sent = pass.sent.map((a) => `${a.kind} to ${a.person} about ${a.pullRequest}`).join(', ');
      const message = `alerts: ${pass.sent.length} sent${sent ? ` (${sent})` : ''}, ${pass.deferred} waiting for working hours`;
      if (pass.sent.length > 0) log.info(message);
      else log.debug(message);
    },
  };
}

/** One pulse pass of `serve`: the round due on `pulse:`'s schedule, if any, by Slack DM through the policy. */
export async function sendPulse(ts: TeamState, log: Logger, minGroup: number | undefined): Promise<void> {
  const { sendSlackPulse } = await import('@teamstate/connectors/slack');
  const pass = await sendSlackPulse(ts, { minGroup: minGroup ?? 5 });
  if (pass.sent > 0) log.info(`pulse round ${pass.round}: ${pass.sent} invitations proposed`);
  if (pass.skipped.length > 0) log.debug(`pulse: no Slack account for ${pass.skipped.join(', ')}`);
}
