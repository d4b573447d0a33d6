import type { Approval, ApprovalChannel, ApprovalChannelContext } from '@teamstate/core';
import { openDirectMessage } from '../client/open-direct-message.js';
import { SlackApiError } from '../client/slack-api-error.js';
import type { SlackClient } from '../client/slack-client.js';
import { type ResolvedSlackOptions, USER_ID } from '../options.js';
import { APPROVAL_METADATA_EVENT, approvalMessage } from './approval-blocks.js';

/** A message reference as stored by core: `<conversation id>/<message ts>`. */
function messageRef(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

function parseMessageRef(ref: string): { channel: string; ts: string } {
  const slash = ref.indexOf('/');
  if (slash <= 0) throw new SlackApiError('chat.update', 'invalid_message_ref', `chat.update: "${ref}" is not a Slack message reference`);
  return { channel: ref.slice(0, slash), ts: ref.slice(slash + 1) };
}

/**
 * Slack as an approval channel: each pending approval is posted to `approvalChannel`, or, without one,
 * sent as a direct message to each eligible approver who has a Slack account (approvals without an
 * approver list are then not posted). The message is updated in place as the approval changes.
 * Calls are made once per pass: a rate limit pauses the channel (core retries after Retry-After).
 */
export function slackApprovalChannel(client: SlackClient, options: ResolvedSlackOptions): ApprovalChannel {
  const render = async (approval: Approval, ctx: ApprovalChannelContext) => {
    const people = [approval.requestedBy, ...(approval.decidedBy ? [approval.decidedBy] : [])];
    const accounts = await ctx.accounts('slack', people);
    const slackUsers = new Map([...accounts].map(([person, ids]) => [person, ids[0]!]));
    const interactive = options.signingSecret !== undefined;
    return approvalMessage(approval, { slackUsers, interactive, modifiable: interactive && ctx.canModify(approval.type) });
  };
  return {
    id: 'slack',
    async destinations(approval, ctx) {
      if (options.approvalChannel) return [options.approvalChannel];
      const approvers = await ctx.approvers(approval);
      const accounts = await ctx.accounts('slack', approvers);
      const users = approvers.flatMap((person) => accounts.get(person)?.slice(0, 1) ?? []);
      if (users.length === 0) {
        ctx.log.info(
          `slack: approval ${approval.id} is not posted: set connectors.slack.approvalChannel to post every approval, or give its approvers Slack accounts`,
          { approvers: approvers.length },
        );
      }
      return users;
    },
    async show(approval, destination, ctx) {
      // A user id: the app's direct message with that user (conversations.open returns the same one every time).
      const channel = USER_ID.test(destination) ? await openDirectMessage(client, destination) : destination;
      const posted = await client.call<{ channel: string; ts: string }>('chat.postMessage', {
        channel,
        ...(await render(approval, ctx)),
        metadata: { event_type: APPROVAL_METADATA_EVENT, event_payload: { approval_id: approval.id } },
        unfurl_links: false,
        unfurl_media: false,
      });
      return messageRef(posted.channel, posted.ts);
    },
    async update(approval, message, ctx) {
      const { channel, ts } = parseMessageRef(message.messageId);
      await client.call('chat.update', { channel, ts, ...(await render(approval, ctx)) });
    },
  };
}
