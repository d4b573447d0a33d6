import { type Approval, escapeMrkdwn, type TeamState, TeamStateError } from '@teamstate/core';
import { selfName } from './self-command.js';

/** What a `--post` flag posts (`teamstate standup --team X --post`). */
export interface SlackPost {
  /** A channel id (`C…`). */
  channel: string;
  /** The digest, in Slack mrkdwn. */
  text: string;
  /** Why it is posted; an approver sees it. */
  reason: string;
  /** Who asks; defaults to `teamstate-cli`. That requester can never approve it. */
  requestedBy?: string;
}

/** How a post went, for the command to print and to choose its exit code. */
export interface SlackPostOutcome {
  approval: Approval;
  /** One line for the terminal. */
  message: string;
  /** 0 posted or waiting for a person; 1 refused by the policy or failed. */
  exitCode: 0 | 1;
}

/**
 * Posts a digest to Slack through the policy (`slack.message.post`): at once where the policy says
 * `auto` and the channel is not larger than `limits.max_channel_size_auto_post`, otherwise as a pending
 * approval that a person decides (in Slack when `teamstate serve` runs, or with `teamstate approvals
 * approve`). The facade must have the Slack connector (`connectors.slack` in the config file).
 */
export async function postToSlack(ts: TeamState, post: SlackPost): Promise<SlackPostOutcome> {
  if (!ts.connectors.some((connector) => connector.id === 'slack')) {
    throw new TeamStateError(
      'invalid_config',
      'connectors.slack is not configured: add it to teamstate.config.yaml ({ token, signingSecret, approvalChannel }) to post to Slack',
    );
  }
  // Loaded here, so commands that never post do not load the Slack client.
  const { proposeSlackMessage } = await import('@teamstate/connectors/slack');
  const approval = await proposeSlackMessage(ts, { ...post, requestedBy: post.requestedBy ?? 'teamstate-cli' });
  switch (approval.status) {
    case 'executed': {
      const posted = approval.result as { ts?: string } | undefined;
      return { approval, message: `Posted to ${post.channel}${posted?.ts ? ` (message ${posted.ts})` : ''}.`, exitCode: 0 };
    }
    case 'pending':
      return {
        approval,
        message: `Waiting for approval ${approval.id}${approval.escalation ? ` (${approval.escalation})` : ''}: approve it in Slack, or run ${selfName()} approvals approve ${approval.id} --as <person>.`,
        exitCode: 0,
      };
    case 'denied':
      return { approval, message: `Not posted: the policy denies slack.message.post (approval ${approval.id}).`, exitCode: 1 };
    default:
      return {
        approval,
        message: `Not posted: approval ${approval.id} is ${approval.status}${approval.error ? ` (${approval.error.code}: ${approval.error.message})` : ''}.`,
        exitCode: 1,
      };
  }
}

/**
 * A digest as one Slack code block: names, titles and reports are people's words, so `&`, `<` and `>` are escaped
 * (no mention, link or channel ping) and a fence in them is broken up, so nothing leaves the block to be read as mrkdwn.
 */
export function slackCodeBlock(text: string): string {
  return `\`\`\`\n${escapeMrkdwn(text).replace(/```/g, '`\u200b`\u200b`')}\`\`\``;
}
