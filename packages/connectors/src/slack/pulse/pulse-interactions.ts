import { type InteractionContext, type InteractionResult, TeamStateError, WebhookPayloadError } from '@teamstate/core';
import { escapeMrkdwn } from '../approvals/approval-blocks.js';
import type { SlackClient } from '../client/slack-client.js';
import { PULSE_CALLBACK_ID, PULSE_COMMENT_MAX, pulseModal } from './pulse-blocks.js';

/** A value of a submitted modal's input: text, a chosen option, ticked options. */
type InputValue = { value?: string | null; selected_option?: { value?: string } | null; selected_options?: { value?: string }[] | null };

/** Whether a `view_submission` is of the pulse modal. */
export const isPulseSubmission = (callbackId: string | undefined) => callbackId === PULSE_CALLBACK_ID;

/** "Answer" on a pulse DM: opens the modal of the round (after the answer: the trigger is valid for 3 seconds). */
export function openPulseFromButton(
  client: SlackClient,
  ctx: InteractionContext,
  click: { triggerId?: string; round?: string },
): InteractionResult {
  if (!click.triggerId) throw new WebhookPayloadError('block_actions.trigger_id: missing, so no modal can be opened');
  if (!click.round) throw new WebhookPayloadError('block_actions.actions: the pulse button carries no round');
  const { triggerId, round } = click;
  if (!ctx.pulse) return { status: 200, answer: null, event: 'block_actions pulse (not enabled)' };
  const questions = ctx.pulse.questions();
  return {
    status: 200,
    answer: null,
    event: 'block_actions pulse',
    after: () => client.call('views.open', { trigger_id: triggerId, view: pulseModal(round, questions) }).then(() => undefined),
  };
}

/**
 * A submitted pulse modal: a question left unanswered is named at once (Slack's `response_action: errors`), so is an
 * unlinked Slack user; otherwise the modal closes and the answer is stored as the verified user's person after the
 * answer (a replay of the same signed request is dropped by core before that).
 */
export function pulseSubmission(
  ctx: InteractionContext,
  submission: { user: string; privateMetadata?: string; values: Record<string, Record<string, InputValue>> },
  tell: (text: string) => Promise<void>,
): Promise<InteractionResult> | InteractionResult {
  let round: string;
  try {
    const parsed = JSON.parse(submission.privateMetadata ?? '') as { round?: unknown };
    if (typeof parsed.round !== 'string' || parsed.round === '') throw new Error('no round');
    round = parsed.round;
  } catch {
    throw new WebhookPayloadError('view_submission.view.private_metadata: not what teamstate put in the pulse modal');
  }
  const pulse = ctx.pulse;
  if (!pulse) return { status: 200, answer: null, event: 'view_submission pulse (not enabled)' };
  const answers: Record<string, number> = {};
  const errors: Record<string, string> = {};
  for (const q of pulse.questions()) {
    const value = Number(submission.values[`q.${q.id}`]?.score?.selected_option?.value);
    if (Number.isInteger(value) && value >= 1 && value <= 5) answers[q.id] = value;
    else errors[`q.${q.id}`] = 'Choose 1 to 5.';
  }
  const comment = submission.values.comment?.text?.value?.trim() ?? '';
  if (comment.length > PULSE_COMMENT_MAX) errors.comment = `At most ${PULSE_COMMENT_MAX.toLocaleString('en-US')} characters.`;
  const share = (submission.values.share?.share?.selected_options ?? []).some((o) => o.value === 'share');
  return (async (): Promise<InteractionResult> => {
    const person = Object.keys(errors).length === 0 ? await ctx.personFor('slack', submission.user) : undefined;
    if (Object.keys(errors).length === 0 && person === undefined)
      errors.comment = `Your Slack account is not linked to a person in teamstate, so this answer cannot be saved. Ask whoever runs teamstate to add slack: ${submission.user} to your entry under people:.`;
    if (person === undefined)
      return { status: 200, answer: { response_action: 'errors', errors }, event: 'view_submission pulse (invalid)' };
    return {
      status: 200,
      answer: null,
      event: 'view_submission pulse',
      async after() {
        try {
          await pulse.answer({ round, person, answers, ...(comment ? { comment, shareComment: share } : {}) });
        } catch (error) {
          if (!TeamStateError.isInstance(error)) throw error;
          await tell(`:no_entry_sign: Your pulse answer was not saved: ${escapeMrkdwn(error.message)}`);
        }
      },
    };
  })();
}
