import {
  FEEDBACK_CATEGORIES,
  FEEDBACK_PATHS_MAX,
  FEEDBACK_TEXT_MAX,
  type FeedbackCategory,
  type InteractionContext,
  type InteractionResult,
  repositoryPathProblem,
  TeamStateError,
  WebhookPayloadError,
} from '@teamstate/core';
import { z } from 'zod';
import { escapeMrkdwn } from '../approvals/approval-blocks.js';
import type { SlackClient } from '../client/slack-client.js';
import { FEEDBACK_CALLBACK_ID, FEEDBACK_TOOLS, type FeedbackModalMetadata, feedbackModal } from './feedback-blocks.js';

/** What a Slack user whose account is not linked to a person is told instead of a feedback form. */
export function feedbackUnlinkedText(user: string): string {
  return `:wave: Your Slack account (<@${user}>) is not linked to a person in teamstate, so an AI issue cannot be recorded as yours. Ask whoever runs teamstate to sync Slack (\`teamstate sync --only slack\`) or to add \`slack: ${user}\` to your entry under \`people:\` in teamstate.config.yaml.`;
}

const metadataSchema = z.strictObject({ pr: z.string().min(1) }) satisfies z.ZodType<FeedbackModalMetadata>;

function pullRequestOf(value: string | undefined): string {
  try {
    return metadataSchema.parse(JSON.parse(value ?? '')).pr;
  } catch {
    throw new WebhookPayloadError('block_actions.actions: a "Report an AI issue" button carries no pull request');
  }
}

/**
 * "Report an AI issue" on a survey message: opens the modal for the button's pull request with the click's
 * `trigger_id` (valid for 3 seconds, so right after the answer). A Slack user linked to nobody is told why instead.
 */
export async function openFeedbackFromButton(
  client: SlackClient,
  ctx: InteractionContext,
  click: { user: string; triggerId?: string; value?: string },
  reply: (text: string) => Promise<void>,
): Promise<InteractionResult> {
  const pullRequest = pullRequestOf(click.value);
  const triggerId = click.triggerId;
  if (!triggerId) throw new WebhookPayloadError('block_actions.trigger_id: missing, so no modal can be opened');
  const person = await ctx.personFor('slack', click.user);
  if (person === undefined)
    return { status: 200, answer: null, event: 'block_actions feedback (unlinked)', after: () => reply(feedbackUnlinkedText(click.user)) };
  return {
    status: 200,
    answer: null,
    event: 'block_actions feedback',
    async after() {
      const pr = await ctx.feedback.pullRequest(pullRequest);
      if (!pr) {
        await reply(':information_source: teamstate no longer has this pull request, so an AI issue cannot be reported on it here.');
        return;
      }
      await client.call('views.open', { trigger_id: triggerId, view: feedbackModal({ id: pullRequest, key: pr.key, title: pr.title }) });
    },
  };
}

/** Whether a `view_submission` is of the "Report an AI issue" modal. */
export const isFeedbackSubmission = (callbackId: string | undefined) => callbackId === FEEDBACK_CALLBACK_ID;

type Values = Record<string, Record<string, { value?: string | null; selected_option?: { value?: unknown } | null }>>;

/**
 * A submitted "Report an AI issue" modal. Bad input (no or an unknown category, empty or over-long text, an unknown
 * tool, a path outside the repository) and an unlinked Slack user are answered at once with `response_action: errors`
 * naming the field, and nothing is written. Otherwise the modal closes and the feedback is recorded after the answer
 * through `ts.feedback.add` as the verified Slack user's person, with the repository and number of the stored pull
 * request; a refusal then (the pull request or its repository gone) is explained to the person in a DM.
 */
export async function feedbackSubmission(
  ctx: InteractionContext,
  submission: { user: string; privateMetadata?: string; values: Values },
  tell: (text: string) => Promise<void>,
): Promise<InteractionResult> {
  let metadata: FeedbackModalMetadata;
  try {
    metadata = metadataSchema.parse(JSON.parse(submission.privateMetadata ?? ''));
  } catch {
    throw new WebhookPayloadError('view_submission.view.private_metadata: not what teamstate put in the feedback modal');
  }
  const { values } = submission;
  const selected = (block: string) => {
    const value = values[block]?.[block]?.selected_option?.value;
    return typeof value === 'string' ? value : undefined;
  };
  const category = selected('category');
  const tool = selected('tool');
  const text = values.text?.text?.value ?? '';
  const paths = (values.paths?.paths?.value ?? '')
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '');
  const errors: Record<string, string> = {};
  if (category === undefined) errors.category = 'Pick what kind of problem it was.';
  else if (!(FEEDBACK_CATEGORIES as readonly string[]).includes(category))
    errors.category = `Unknown category; pick one of the list (${FEEDBACK_CATEGORIES.join(', ')}).`;
  if (text.trim() === '') errors.text = 'Say what the assistant got wrong.';
  else if (text.length > FEEDBACK_TEXT_MAX)
    errors.text = `${text.length.toLocaleString('en-US')} characters: at most ${FEEDBACK_TEXT_MAX.toLocaleString('en-US')} (one correction per report).`;
  if (tool !== undefined && !FEEDBACK_TOOLS.some(([value]) => value === tool)) errors.tool = 'Unknown tool; pick one of the list.';
  if (paths.length > FEEDBACK_PATHS_MAX) errors.paths = `At most ${FEEDBACK_PATHS_MAX} paths; give the folders instead.`;
  else
    for (const path of paths) {
      const problem = repositoryPathProblem(path);
      if (problem) {
        errors.paths = problem.startsWith('"') ? `${problem}.` : `"${path}" ${problem}.`;
        break;
      }
    }
  const person = Object.keys(errors).length === 0 ? await ctx.personFor('slack', submission.user) : undefined;
  if (Object.keys(errors).length === 0 && person === undefined)
    errors.text = `Your Slack account is not linked to a person in teamstate, so this cannot be recorded as yours. Ask whoever runs teamstate to add slack: ${submission.user} to your entry under people: in teamstate.config.yaml, or to sync Slack.`;
  if (person === undefined)
    return { status: 200, answer: { response_action: 'errors', errors }, event: 'view_submission feedback (invalid)' };
  return {
    status: 200,
    answer: null,
    event: 'view_submission feedback',
    async after() {
      const pr = await ctx.feedback.pullRequest(metadata.pr);
      if (!pr) {
        await tell(':no_entry_sign: Your AI issue was not recorded: teamstate no longer has that pull request.');
        return;
      }
      try {
        await ctx.feedback.add({
          person,
          category: category as FeedbackCategory,
          text,
          ...(tool === undefined ? {} : { tool }),
          repository: pr.repository,
          pullRequest: pr.number,
          ...(paths.length === 0 ? {} : { paths }),
        });
      } catch (error) {
        if (!TeamStateError.isInstance(error)) throw error;
        ctx.log.info('slack: feedback was refused', { person, pullRequest: metadata.pr, code: error.code });
        await tell(`:no_entry_sign: Your AI issue about ${escapeMrkdwn(pr.key)} was not recorded: ${escapeMrkdwn(error.message)}`);
      }
    },
  };
}
