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

/** What a pass did for each team with a channel, and (`recipient`: a person) for each member it emailed. */
export type RiskDigestOutcome = { team: string; recipient?: string; outcome: 'posted' | 'waiting' | 'refused' | 'already posted' };

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
  if (canEmail(ts)) outcomes.push(...(await emailRiskDigests(ts, log, { everyMs, now, period })));
  return outcomes;
}

/** Whether the email connector is configured (`email.send`): team members without Slack get the digest by email. */
export const canEmail = (ts: TeamState) => ts.actions.list().some((action) => action.type === 'email.send');

/**
 * The members of `team` Slack cannot reach (no Slack account, or no Slack connector) who have an email address: they
 * get the team's risk digest by email.
 */
async function emailRecipients(ts: TeamState, team: string): Promise<{ person: string; email: string }[]> {
  const slack = ts.connectors.some((c) => c.id === 'slack');
  const people = await ts.people.list({ team });
  return people.flatMap((p) =>
    p.email && !(slack && (p.accounts ?? []).some((a) => a.provider === 'slack')) ? [{ person: p.id, email: p.email }] : [],
  );
}

/**
 * The risk digest of each team with members Slack cannot reach, emailed to each of them (`email.send` through the
 * policy, one message per person), once per team and period: the period is recorded (workspace setting
 * `risks.digestEmailed`) before the emails are proposed, under the same lease as the channel's post.
 */
async function emailRiskDigests(
  ts: TeamState,
  log: Logger,
  at: { everyMs: number; now: number; period: string },
): Promise<RiskDigestOutcome[]> {
  const outcomes: RiskDigestOutcome[] = [];
  const anyone = ts.as({});
  for (const { id: team } of await ts.teams.list()) {
    const recipients = await emailRecipients(ts, team);
    if (recipients.length === 0) continue;
    const emailed = (await ts.settings.get('risks.digestEmailed')) ?? {};
    if (emailed[team] === at.period) continue;
    await ts.settings.set('risks.digestEmailed', { ...emailed, [team]: at.period }, 'teamstate-serve');
    const digest = await riskDigest(anyone, { team, since: new Date(at.now - at.everyMs).toISOString() });
    for (const { person, email } of recipients) {
      try {
        const approval = await ts.actions.propose({
          type: 'email.send',
          target: person,
          params: { to: email, subject: `Risk digest for ${digest.team.name}`.replace(/\s+/g, ' ').slice(0, 200), text: digest.text },
          reason: `weekly risk digest for ${digest.team.name}`,
          requestedBy: 'teamstate-serve',
        });
        outcomes.push({ team, recipient: person, outcome: approval.status === 'executed' ? 'posted' : 'waiting' });
      } catch (error) {
        log.warn(`risk digest ${team} to ${person}: ${error instanceof Error ? error.message : String(error)}`);
        outcomes.push({ team, recipient: person, outcome: 'refused' });
      }
    }
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
