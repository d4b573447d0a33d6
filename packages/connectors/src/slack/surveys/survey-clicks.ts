import { type InteractionContext, type InteractionResult, type SurveyAssisted, TeamStateError, WebhookPayloadError } from '@teamstate/core';
import type { SlackClient } from '../client/slack-client.js';
import { answeredMessage, SURVEY_ACTIONS, SURVEY_TOOLS } from './survey-blocks.js';

/** A survey click as the interactivity payload carries it. */
export interface SurveyClick {
  user: string;
  actionId: string;
  value?: string;
  responseUrl?: string;
  /** `state.values` of the message: the ticked tools and the chosen rating. */
  state?: Record<string, Record<string, { selected_options?: { value?: string }[] | null; selected_option?: { value?: string } | null }>>;
}

const LEVELS: readonly SurveyAssisted[] = ['none', 'partly', 'mostly', 'agent'];
const LABEL: Record<SurveyAssisted, string> = {
  none: 'no AI',
  partly: 'partly AI-assisted',
  mostly: 'mostly AI-assisted',
  agent: 'agent-authored',
};

/**
 * A click on a survey message: an author's answer button, or a reviewer's guess (with the rating ticked above it).
 * Ticking tools or a rating alone only changes the message's state: nothing to record yet. The clicking Slack user
 * must be the person the survey asked (a forwarded message answers nothing); the answer is recorded after the
 * acknowledgement and the message is replaced in place, so it cannot be answered twice. Late and repeated clicks are
 * answered politely and change nothing.
 */
export function surveyClick(client: SlackClient, ctx: InteractionContext, click: SurveyClick): InteractionResult {
  const { actionId } = click;
  if (actionId === SURVEY_ACTIONS.tools || actionId === SURVEY_ACTIONS.quality || actionId === 'teamstate.survey.open')
    return { status: 200, answer: null, event: 'block_actions survey (selection)' };
  const [kind, choice] = [actionId.slice(0, actionId.lastIndexOf('.')), actionId.slice(actionId.lastIndexOf('.') + 1)];
  const isAuthor = kind === SURVEY_ACTIONS.assisted && (LEVELS as readonly string[]).includes(choice);
  const isReviewer = kind === SURVEY_ACTIONS.guess && (choice === 'yes' || choice === 'no');
  if (!isAuthor && !isReviewer) return { status: 200, answer: null, event: `block_actions ${actionId} (unknown)` };
  const pullRequest = pullRequestOf(click.value);
  const picked = (block: string, action: string) => click.state?.[block]?.[action];
  const tools = (picked('tools', SURVEY_ACTIONS.tools)?.selected_options ?? [])
    .map((o) => o.value ?? '')
    .filter((tool) => (SURVEY_TOOLS as readonly string[]).includes(tool));
  const rating = Number(picked('quality', SURVEY_ACTIONS.quality)?.selected_option?.value);
  const quality = Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : undefined;
  const reply = async (text: string, replace: boolean) => {
    if (!click.responseUrl) return;
    await client.respond(
      click.responseUrl,
      replace
        ? { replace_original: true, ...answeredMessage(text, pullRequest) }
        : { response_type: 'ephemeral', replace_original: false, text },
    );
  };
  return {
    status: 200,
    answer: null,
    event: `block_actions survey ${isAuthor ? 'author' : 'reviewer'}`,
    async after() {
      const person = await ctx.personFor('slack', click.user);
      if (!person) {
        await reply(
          `Your Slack account (<@${click.user}>) is not linked to a person in teamstate, so your answer was not recorded.`,
          false,
        );
        return;
      }
      try {
        const outcome = isAuthor
          ? await ctx.surveys.answer({ pullRequest, person, role: 'author', assisted: choice as SurveyAssisted, tools })
          : await ctx.surveys.answer({ pullRequest, person, role: 'reviewer', guess: choice === 'yes', ...(quality ? { quality } : {}) });
        if (outcome.status === 'already_answered') {
          await reply('You already answered this one: your first answer counts.', true);
          return;
        }
        const summary = isAuthor
          ? `Thanks! Recorded: ${LABEL[choice as SurveyAssisted]}${tools.length ? ` (${tools.join(', ')})` : ''}.`
          : `Thanks! Recorded: ${quality ? `quality ${quality}/5, ` : ''}you think AI ${choice === 'yes' ? 'helped' : 'did not help'}. You will get the author's answer once they have given it.`;
        await reply(summary, true);
      } catch (error) {
        if (!TeamStateError.isInstance(error)) throw error;
        if (error.code === 'survey_expired') await reply(`Thank you, but this survey has closed: ${error.message}.`, true);
        else if (error.code === 'survey_not_found')
          await reply('This survey was sent to someone else, so your click did not count.', false);
        else throw error;
      }
    },
  };
}

function pullRequestOf(value: string | undefined): string {
  try {
    const parsed = JSON.parse(value ?? '') as { pr?: unknown };
    if (typeof parsed.pr === 'string' && parsed.pr !== '') return parsed.pr;
  } catch {
    // Reported below.
  }
  throw new WebhookPayloadError('block_actions.actions: a survey button carries no pull request');
}
