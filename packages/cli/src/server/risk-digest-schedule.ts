import type { Logger, TeamState } from '@teamstate/core';
import { riskDigest } from '@teamstate/metrics';
import { postToSlack, slackCodeBlock } from '../post-to-slack.js';
import type { HubJob } from './scheduler.js';

/** The default period of the weekly risk digest (`schedule.riskDigest`): a week. */
export const DEFAULT_RISK_DIGEST_MS = 7 * 86_400_000;
/** How often `serve` looks for a team whose digest is due (the post itself is once per period). */
export const RISK_DIGEST_CHECK_MS = 3_600_000;
/** Periods start on a Monday 00:00 UTC (1970-01-05), so a week's digest is due from the start of its week. */
const MONDAY = Date.parse('1970-01-05T00:00:00Z');

/**
 * The team channel each team's digest goes to: the `channel` of the working agreements that apply to it (one naming
 * the team wins over one for all teams). Teams without one get no digest.
 */
export function teamChannels(ts: TeamState, teams: readonly string[]): Map<string, string> {
  const channels = new Map<string, string>();
  const agreements = ts.agreements.list().filter((a) => a.channel !== undefined);
  for (const team of teams) {
    const named = agreements.find((a) => a.teams?.includes(team));
    const all = agreements.find((a) => a.teams === undefined);
    const channel = (named ?? all)?.channel;
    if (channel !== undefined) channels.set(team, channel);
  }
  return channels;
}

/** What a pass did for each team with a channel. */
export type RiskDigestOutcome = { team: string; outcome: 'posted' | 'waiting' | 'refused' | 'already posted' };

/**
 * One pass of `serve`'s weekly risk digest (docs/hub.md#risk-register): for each team with a team channel whose digest
 * for the current period (`everyMs`, a week by default, from Monday 00:00 UTC) was not posted yet, proposes the digest
 * of the period before now as `slack.message.post` through the policy. The period is recorded (workspace setting
 * `risks.digestPosted`) before the post, so a restart or a second process never posts it twice; `serve` runs the pass
 * under the lease `@risk-digest`. The digest is read as a viewer who names nobody: a channel is not a person.
 */
export async function postRiskDigests(ts: TeamState, log: Logger, options: { everyMs?: number } = {}): Promise<RiskDigestOutcome[]> {
  const everyMs = options.everyMs ?? DEFAULT_RISK_DIGEST_MS;
  const now = ts.now().getTime();
  const period = new Date(MONDAY + Math.floor((now - MONDAY) / everyMs) * everyMs).toISOString();
  const channels = teamChannels(
    ts,
    (await ts.teams.list()).map((t) => t.id),
  );
  const outcomes: RiskDigestOutcome[] = [];
  const anyone = ts.as({});
  for (const [team, channel] of channels) {
    const posted = (await ts.settings.get('risks.digestPosted')) ?? {};
    if (posted[team] === period) {
      outcomes.push({ team, outcome: 'already posted' });
      continue;
    }
    // Claimed first: at most once per team and period, whatever happens to the post (a denied one is not retried).
    await ts.settings.set('risks.digestPosted', { ...posted, [team]: period }, 'teamstate-serve');
    const digest = await riskDigest(anyone, { team, since: new Date(now - everyMs).toISOString() });
    const post = await postToSlack(ts, {
      channel,
      text: slackCodeBlock(digest.text),
      reason: `weekly risk digest for ${digest.team.name}`,
      requestedBy: 'teamstate-serve',
    });
    if (post.exitCode === 0) log.info(`risk digest ${team}: ${post.message}`);
    else log.warn(`risk digest ${team}: ${post.message}`);
    outcomes.push({
      team,
      outcome: post.exitCode !== 0 ? 'refused' : post.approval.status === 'executed' ? 'posted' : 'waiting',
    });
  }
  return outcomes;
}

/**
 * `serve`'s job for the weekly risk digest: a pass every hour (or every period, when shorter), one process at a time
 * (lease `@risk-digest`), posting what is due for the period `everyMs` (`schedule.riskDigest`).
 */
export function riskDigestJob(ts: TeamState, log: Logger, everyMs: number = DEFAULT_RISK_DIGEST_MS): HubJob {
  return {
    name: 'risk digest',
    everyMs: Math.min(RISK_DIGEST_CHECK_MS, everyMs),
    lease: '@risk-digest',
    run: () => postRiskDigests(ts, log, { everyMs }),
  };
}
