import type { Connector } from '@teamstate/core';
import { messageActions } from './message-actions.js';
import { slackApprovalChannel } from './slack-approval-channel.js';
import { createSlackClient } from './slack-client.js';
import { slackInteractions } from './slack-interactivity.js';
import { resolveSlackOptions, type SlackOptions } from './slack-options.js';
import { syncUsers } from './sync-users.js';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The Slack connector: links the workspace's people (`users.list`), posts messages and DMs as actions
 * the policy governs (`slack.message.post`, `slack.dm.send`), shows pending approvals in Slack with
 * Approve / Decline buttons and keeps those messages up to date, and, with a signing secret, receives
 * the clicks at `POST /webhooks/slack/interactivity` (`teamstate serve`).
 *
 * @example
 * const ts = await createTeamState({
 *   connectors: [slack({ token: process.env.SLACK_BOT_TOKEN!, signingSecret: process.env.SLACK_SIGNING_SECRET, approvalChannel: 'C0123ABCD' })],
 *   policy,
 * })
 * await ts.sync({ only: ['slack'] })
 * const watch = ts.approvals.watch() // what `teamstate serve` runs
 */
export function slack(options: SlackOptions): Connector {
  const resolved = resolveSlackOptions(options);
  const client = createSlackClient({
    token: resolved.token,
    apiUrl: resolved.apiUrl,
    timeoutMs: resolved.timeoutMs,
    sleep: resolved.sleep ?? defaultSleep,
  });
  return {
    specificationVersion: 'v1',
    id: 'slack',
    description: 'Slack: people (users.list), messages and DMs as actions, approvals decided with buttons',
    sync: (ctx) => syncUsers(client, ctx, resolved),
    actions: messageActions(client),
    ...(resolved.signingSecret ? { interactions: slackInteractions(client, resolved.signingSecret) } : {}),
    ...(resolved.approvalRequests ? { approvalChannel: slackApprovalChannel(client, resolved) } : {}),
  };
}
