import {
  type InteractionContext,
  type InteractionResult,
  type InteractionSpec,
  TeamStateError,
  WebhookPayloadError,
} from '@teamstate/core';
import { type Block, escapeMrkdwn, plain } from '../approvals/approval-blocks.js';
import type { SlackClient } from '../client/slack-client.js';
import { openReportModal, unlinkedText } from '../reports/report-interactions.js';
import { slackRequestChecks } from '../webhooks/verify-slack-signature.js';
import { answerMessage, type SlackCommandAnswer } from './answer-blocks.js';

/** The path under `/webhooks/` that the `/teamstate` slash command's Request URL points at. */
export const COMMANDS_PATH = 'slack/commands';

/** The subcommands answered from teamstate's data (`report` and `help` are the connector's own). */
export type SlackAnsweredSubcommand = 'standup' | 'sprint' | 'triage' | 'ask' | 'incident';

/** What a subcommand is asked: its argument (a team id, the question of `ask`, an incident id) and who asks. */
export interface SlackCommandQuery {
  /** `payments` in `/teamstate standup payments`; the question of `ask`; empty when none was given. */
  argument: string;
  /** The person of the verified Slack user who typed the command. */
  person: string;
  /** Their Slack user id. */
  user: string;
}

/**
 * How the data subcommands are answered, each from the same renderer as its digest (`teamstate standup`, `sprint`,
 * the review queue, knowledge search). A subcommand without an answerer, or whose answerer resolves to `undefined`
 * (what it needs is not set up here), says it is not configured. An answerer throws a `TeamStateError` for bad input
 * (an unknown team): its message is shown to the person.
 */
export type SlackCommandAnswers = Partial<
  Record<SlackAnsweredSubcommand, (query: SlackCommandQuery) => Promise<SlackCommandAnswer | undefined>>
>;

const SUBCOMMANDS = ['standup', 'sprint', 'triage', 'ask', 'incident', 'report', 'help'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const HELP: [string, string][] = [
  ['/teamstate standup [team]', "what each member did since the last working day, and the team's blockers"],
  ['/teamstate sprint [team]', "the health of the team's active sprint"],
  ['/teamstate triage [team]', 'pull requests waiting for review, with who could review them'],
  ['/teamstate ask <question>', 'search the team’s documents, with citations'],
  ['/teamstate incident [id]', 'open incidents, or one incident’s brief: the likely cause, timeline and runbooks'],
  ['/teamstate report', 'write your daily report (a draft from your activity is ready)'],
  ['/teamstate help', 'this list'],
];

/** The help answer: the subcommands, and the `--public` flag. */
export function helpMessage(intro?: string): { text: string; blocks: Block[] } {
  const lines = HELP.map(([usage, what]) => `${usage}: ${what}`).join('\n');
  return {
    text: intro ?? 'teamstate in Slack',
    blocks: [
      ...(intro ? [{ type: 'section', text: plain(intro) }] : []),
      { type: 'section', text: plain(lines) },
      {
        type: 'context',
        elements: [
          plain(
            'Answers are visible to you only. Add --public to post one in the channel (through the team’s policy). Without a team: your first team.',
          ),
        ],
      },
    ],
  };
}

interface CommandRequest {
  user: string;
  channel: string;
  responseUrl: string;
  triggerId?: string;
  text: string;
}

function parseForm(rawBody: Buffer): CommandRequest {
  const form = new URLSearchParams(rawBody.toString('utf8'));
  const field = (name: string) => {
    const value = form.get(name);
    if (value === null || value === '')
      throw new WebhookPayloadError(`${name}: missing (Slack sends a slash command as a form with ${name})`);
    return value;
  };
  if (!form.has('command')) throw new WebhookPayloadError('command: missing (this endpoint takes Slack slash commands)');
  return {
    user: field('user_id'),
    channel: field('channel_id'),
    responseUrl: field('response_url'),
    ...(form.get('trigger_id') ? { triggerId: form.get('trigger_id')! } : {}),
    text: form.get('text') ?? '',
  };
}

const ephemeral = (message: { text: string; blocks?: Block[] }) => ({ response_type: 'ephemeral', ...message });

/**
 * The `/teamstate` slash command at `POST /webhooks/slack/commands`, signed like interactivity (v0 HMAC, ±300 s,
 * compared in constant time; a replay is dropped by core). `help`, an unknown subcommand and an unlinked Slack user
 * are answered at once; every other subcommand is acknowledged with an empty 200 at once and worked on after the
 * answer: `report` opens the daily-report modal with the person's draft, the data subcommands answer through the
 * command's `response_url`, visible to the person only, or with `--public` posted in the channel through
 * `slack.message.post` and the policy.
 */
export function slackCommands(client: SlackClient, signingSecret: string, answers: SlackCommandAnswers = {}): InteractionSpec {
  return {
    path: COMMANDS_PATH,
    ...slackRequestChecks(signingSecret),
    async handle(request, ctx): Promise<InteractionResult> {
      const command = parseForm(request.rawBody);
      const words = command.text.trim().split(/\s+/).filter(Boolean);
      const isPublic = words.includes('--public');
      const rest = words.filter((word) => word !== '--public');
      const name = (rest[0] ?? 'help').toLowerCase();
      const argument = rest.slice(1).join(' ');
      if (!(SUBCOMMANDS as readonly string[]).includes(name)) {
        return {
          status: 200,
          answer: ephemeral(helpMessage(`There is no "${name.slice(0, 40)}" subcommand. This is what /teamstate does:`)),
          event: 'command unknown',
        };
      }
      const subcommand = name as Subcommand;
      if (subcommand === 'help') return { status: 200, answer: ephemeral(helpMessage()), event: 'command help' };
      const person = await ctx.personFor('slack', command.user);
      if (person === undefined)
        return { status: 200, answer: ephemeral({ text: unlinkedText(command.user) }), event: `command ${subcommand} (unlinked)` };
      if (subcommand === 'report') {
        const triggerId = command.triggerId;
        if (!triggerId) throw new WebhookPayloadError('trigger_id: missing, so the report modal cannot be opened');
        return { status: 200, answer: null, event: 'command report', after: () => openReportModal(client, ctx, { person, triggerId }) };
      }
      return {
        status: 200,
        answer: null,
        event: `command ${subcommand}${isPublic ? ' --public' : ''}`,
        after: () =>
          answerCommand(client, ctx, answers, { subcommand, query: { argument, person, user: command.user }, isPublic, command }),
      };
    },
  };
}

async function answerCommand(
  client: SlackClient,
  ctx: InteractionContext,
  answers: SlackCommandAnswers,
  input: { subcommand: SlackAnsweredSubcommand; query: SlackCommandQuery; isPublic: boolean; command: CommandRequest },
): Promise<void> {
  const { subcommand, query, command } = input;
  const reply = (message: { text: string; blocks?: Block[] }) => client.respond(command.responseUrl, ephemeral(message));
  const notConfigured = () =>
    reply({
      text:
        subcommand === 'ask'
          ? ':information_source: Knowledge search is not configured for this teamstate, so there is nothing to search yet.'
          : `:information_source: /teamstate ${subcommand} is not available here.`,
    });
  const answerer = answers[subcommand];
  if (!answerer) return notConfigured();
  if (subcommand === 'ask' && query.argument === '') {
    await reply({ text: 'Ask a question after the word ask, e.g. /teamstate ask how do we rotate the API keys?' });
    return;
  }
  let answer: SlackCommandAnswer | undefined;
  try {
    answer = await answerer(query);
  } catch (error) {
    if (!TeamStateError.isInstance(error)) throw error;
    // The message may quote what was typed: shown as plain text, the notification line escaped.
    await reply({ text: `:no_entry_sign: ${escapeMrkdwn(error.message)}`, blocks: [{ type: 'section', text: plain(error.message) }] });
    return;
  }
  if (answer === undefined) return notConfigured();
  const message = answerMessage(answer);
  if (!input.isPublic) return reply(message);
  const approval = await ctx.propose({
    type: 'slack.message.post',
    target: command.channel,
    params: { channel: command.channel, text: message.text, blocks: message.blocks },
    reason: `/teamstate ${subcommand} --public, asked by ${query.person}`,
    requestedBy: query.person,
  });
  const outcomes: Partial<Record<string, string>> = {
    executed: ':white_check_mark: Posted in this channel.',
    pending: `:hourglass: The policy asks a person to approve posting in this channel: approval ${approval.id} is waiting${approval.escalation ? ` (${escapeMrkdwn(approval.escalation)})` : ''}.`,
    denied: ':no_entry_sign: The policy does not allow teamstate to post in channels (slack.message.post is denied).',
  };
  await reply({
    text:
      outcomes[approval.status] ??
      `:no_entry_sign: Not posted: approval ${approval.id} is ${approval.status}${approval.error ? ` (${escapeMrkdwn(approval.error.message)})` : ''}.`,
  });
}
