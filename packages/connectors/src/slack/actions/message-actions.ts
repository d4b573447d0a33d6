import { type ActionContext, type ActionType, defineActionType, type ExecutionCheck } from '@teamstate/core';
import { z } from 'zod';
import { openDirectMessage } from '../client/open-direct-message.js';
import { SlackApiError } from '../client/slack-api-error.js';
import type { SlackClient } from '../client/slack-client.js';
import { CHANNEL_ID, USER_ID } from '../options.js';

/** The `event_type` of the metadata teamstate attaches to what it posts, to find a post again by its idempotency key. */
export const ACTION_METADATA_EVENT = 'teamstate_action';

const text = z.string().trim().min(1, { error: 'must not be empty' }).max(40_000, { error: 'Slack accepts at most 40,000 characters' });
const blocks = z
  .array(z.looseObject({ type: z.string().min(1) }), { error: 'expected an array of Block Kit blocks, e.g. [{ "type": "section", … }]' })
  .max(50, { error: 'Slack accepts at most 50 blocks in a message' })
  .optional();

/** Params of `slack.message.post` (docs/connectors/slack.md: `{ channel, text, blocks? }`). */
export const postMessageParams = z.strictObject({
  channel: z.string().regex(CHANNEL_ID, {
    error: 'expected a Slack channel id such as C0123ABCD (copy it from the channel details; names can change)',
  }),
  text,
  blocks,
});

/** Params of `slack.dm.send`. */
export const sendDmParams = z.strictObject({
  user: z
    .string()
    .regex(USER_ID, { error: 'expected a Slack user id such as U0123ABCD (people listed by teamstate show their Slack account)' }),
  text,
  blocks,
});

interface PostedMessage {
  channel: string;
  ts: string;
}

interface HistoryPage {
  messages?: { ts: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }[];
  has_more?: boolean;
  response_metadata?: { next_cursor?: string };
}

/** How far back a post is looked for by its idempotency key (after a crash or an unanswered request). */
const LOOKBACK_MS = 24 * 3_600_000;
const LOOKUP_PAGES = 3;

/**
 * `slack.message.post`, `slack.dm.send` and `slack.survey.send` (a DM too). All attach the approval's idempotency key as message
 * metadata and are sent once: a rate-limited post is queued again only while that keeps it before the
 * approval's deadline; a post that got no clear answer is looked up by its key instead of being sent
 * again, and so is an interrupted one (`checkExecuted`). Posting to a channel with more members than
 * the policy's `limits.max_channel_size_auto_post` needs a person's approval even where the policy says
 * `auto` (`escalate`), and so does posting to a public channel under a rule with `ask_if_channel_public: true`
 * (`channelVisibility`: Slack's `is_private`).
 */
export function messageActions(client: SlackClient): ActionType[] {
  return [
    defineActionType({
      type: 'slack.message.post',
      description: 'Post a message to a Slack channel',
      risk: 'medium',
      params: postMessageParams,
      async escalate(params, ctx) {
        const limit = ctx.limits.max_channel_size_auto_post;
        if (limit === undefined || params.channel.startsWith('D')) return undefined;
        const info = await client.call<{ channel?: { num_members?: number; is_im?: boolean } }>('conversations.info', {
          channel: params.channel,
          include_num_members: true,
        });
        if (info.channel?.is_im) return undefined;
        const members = info.channel?.num_members;
        if (members === undefined) return `Slack did not say how many members ${params.channel} has, so a person decides`;
        return members > limit
          ? `channel ${params.channel} has ${members} members, more than limits.max_channel_size_auto_post (${limit})`
          : undefined;
      },
      // What ask_if_channel_public reads: Slack's own is_private; an answer without it is a failed lookup (public).
      async channelVisibility(params) {
        if (params.channel.startsWith('D')) return 'direct';
        const info = await client.call<{ channel?: { is_private?: unknown; is_im?: boolean } }>('conversations.info', {
          channel: params.channel,
        });
        if (info.channel?.is_im) return 'direct';
        if (typeof info.channel?.is_private !== 'boolean')
          throw new Error(`conversations.info did not say whether ${params.channel} is private`);
        return info.channel.is_private ? 'private' : 'public';
      },
      execute: (params, ctx) => post(client, params.channel, params, ctx),
      checkExecuted: (params, ctx) => findPost(client, params.channel, ctx),
    }),
    directMessage(client, 'slack.dm.send', 'Send a direct message to a Slack user', 'medium'),
    // Surveys and their reveals are DMs with a type of their own, so a policy can let them run without a person.
    directMessage(client, 'slack.survey.send', 'Send a pull request survey (or its reveal) to a Slack user', 'low'),
  ];
}

function directMessage(client: SlackClient, type: string, description: string, risk: 'low' | 'medium'): ActionType {
  return defineActionType({
    type,
    description,
    risk,
    params: sendDmParams,
    async execute(params, ctx) {
      return post(client, await openDirectMessage(client, params.user, { deadline: ctx.deadline, now: ctx.now }), params, ctx);
    },
    async checkExecuted(params, ctx) {
      return findPost(client, await openDirectMessage(client, params.user, { deadline: ctx.deadline, now: ctx.now }), ctx);
    },
  });
}

async function post(
  client: SlackClient,
  channel: string,
  params: { text: string; blocks?: Record<string, unknown>[] },
  ctx: ActionContext,
): Promise<PostedMessage> {
  try {
    const posted = await client.write<PostedMessage>(
      'chat.postMessage',
      {
        channel,
        text: params.text,
        ...(params.blocks ? { blocks: params.blocks } : {}),
        metadata: {
          event_type: ACTION_METADATA_EVENT,
          event_payload: { approval_id: ctx.approvalId, idempotency_key: ctx.idempotencyKey },
        },
        unfurl_links: false,
        unfurl_media: false,
      },
      { deadline: ctx.deadline, now: ctx.now },
    );
    return { channel: posted.channel, ts: posted.ts };
  } catch (error) {
    // No clear answer: it may have been posted. Look it up rather than post it twice.
    if (SlackApiError.isInstance(error) && error.outcomeUnknown) {
      const found = await findPost(client, channel, ctx).catch(() => ({ executed: false }) as const);
      if (found.executed) return found.result as PostedMessage;
      throw new SlackApiError(
        'chat.postMessage',
        error.slackError,
        `${error.message}; no message with this approval's idempotency key is in ${channel}, and it was not sent again: propose it again if it should be`,
        { statusCode: error.statusCode, cause: error },
      );
    }
    throw error;
  }
}

/** Looks in the channel's recent history for the message carrying this approval's idempotency key. */
async function findPost(client: SlackClient, channel: string, ctx: ActionContext): Promise<ExecutionCheck> {
  let cursor: string | undefined;
  const oldest = ((ctx.now().getTime() - LOOKBACK_MS) / 1000).toFixed(6);
  for (let page = 0; page < LOOKUP_PAGES; page++) {
    const history = await client.call<HistoryPage>('conversations.history', {
      channel,
      oldest,
      limit: 200,
      include_all_metadata: true,
      ...(cursor ? { cursor } : {}),
    });
    const found = (history.messages ?? []).find(
      (message) =>
        message.metadata?.event_type === ACTION_METADATA_EVENT && message.metadata.event_payload?.idempotency_key === ctx.idempotencyKey,
    );
    if (found) return { executed: true, result: { channel, ts: found.ts } };
    cursor = history.response_metadata?.next_cursor || undefined;
    if (!history.has_more || !cursor) break;
  }
  return { executed: false };
}
