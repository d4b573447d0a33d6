import type { TeamState } from '@teamstate/core';
import { pulseMessage } from './pulse-blocks.js';

/** Who proposes pulse messages: a requester that can never approve them. */
const PULSE_REQUESTER = 'teamstate-pulse';

/** What one pass of {@link sendSlackPulse} did. */
export interface SlackPulseRound {
  /** The round sent, when one was due. */
  round?: string;
  /** Invitations proposed (sent where the policy says `auto`). */
  sent: number;
  /** People due an invitation with no Slack account to send it to. */
  skipped: string[];
}

/**
 * Sends the pulse round `ts.pulse` has due (on `pulse:`'s schedule, or now with `force`: `teamstate pulse send`) as
 * `slack.survey.send` DMs through the policy, each person once per round (claimed before the proposal, so a second
 * process sends none). `teamstate serve` runs this every minute when `pulse:` is configured and Slack is.
 * @example const pass = await sendSlackPulse(ts, { force: true })
 */
export async function sendSlackPulse(
  ts: Pick<TeamState, 'pulse' | 'actions'>,
  options: { force?: boolean; minGroup?: number } = {},
): Promise<SlackPulseRound> {
  const due = await ts.pulse.due({ force: options.force ?? false });
  if (!due) return { sent: 0, skipped: [] };
  const pass: SlackPulseRound = { round: due.round, sent: 0, skipped: [] };
  const message = pulseMessage(due.round, options.minGroup ?? 5);
  for (const person of due.people) {
    if (!person.slackUser) {
      pass.skipped.push(person.person);
      continue;
    }
    if (!(await ts.pulse.recordSent(due.round, person.person))) continue;
    await ts.actions.propose({
      type: 'slack.survey.send',
      target: person.slackUser,
      params: { user: person.slackUser, ...message },
      reason: `pulse survey round ${due.round}`,
      requestedBy: PULSE_REQUESTER,
    });
    pass.sent += 1;
  }
  return pass;
}
