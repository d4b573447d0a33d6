import type { Approval, TeamState } from '@teamstate/core';

/** What {@link proposeSlackMessage} posts, and who asks. */
export interface SlackMessageProposal {
  /** A channel id (`C…`). */
  channel: string;
  /** The message (mrkdwn); also the notification text when `blocks` are given. */
  text: string;
  /** Block Kit blocks, optional. */
  blocks?: Record<string, unknown>[];
  /** Why it is posted; shown to an approver. */
  reason: string;
  /** Who asks (a person id, `assistant`, `teamstate-cli`); that one can never approve it. */
  requestedBy: string;
}

/**
 * Proposes `slack.message.post` through the policy, as the standup digest does
 * (`teamstate standup --team X --post`): it is posted at once where the policy says `auto` (and the
 * channel is not larger than `limits.max_channel_size_auto_post`), otherwise it waits for a person (in
 * Slack, if Slack shows approvals) and the returned approval is `pending`.
 *
 * @example
 * const approval = await proposeSlackMessage(ts, { channel: 'C0123ABCD', text: digest, reason: 'daily standup digest', requestedBy: 'teamstate-cli' })
 * if (approval.status === 'pending') logger.info(`waiting for approval ${approval.id}`)
 */
export function proposeSlackMessage(ts: Pick<TeamState, 'actions'>, message: SlackMessageProposal): Promise<Approval> {
  return ts.actions.propose({
    type: 'slack.message.post',
    target: message.channel,
    params: { channel: message.channel, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) },
    reason: message.reason,
    requestedBy: message.requestedBy,
  });
}
