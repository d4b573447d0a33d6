import {
  type InteractionContext,
  type InteractionResult,
  isDay,
  REPORT_TEXT_MAX,
  TeamStateError,
  WebhookPayloadError,
} from '@teamstate/core';
import { z } from 'zod';
import { escapeMrkdwn } from '../approvals/approval-blocks.js';
import type { SlackClient } from '../client/slack-client.js';
import { REPORT_CALLBACK_ID, type ReportModalMetadata, reportModal } from './report-blocks.js';

/** What a Slack user whose account is not linked to a person is told. */
export function unlinkedText(user: string): string {
  return `:wave: Your Slack account (<@${user}>) is not linked to a person in teamstate yet, so teamstate does not know whose report or data this is. Ask whoever runs teamstate to sync Slack (\`teamstate sync --only slack\`) or to add \`slack: ${user}\` to your entry under \`people:\` in teamstate.config.yaml.`;
}

/**
 * Opens the daily-report modal for the person of a verified Slack user, prefilled with their draft of `day` (default:
 * their local today). Runs after the answer: Slack's `trigger_id` is valid for 3 seconds after the click or command.
 */
export async function openReportModal(
  client: SlackClient,
  ctx: InteractionContext,
  input: { person: string; triggerId: string; day?: string },
): Promise<void> {
  const day = input.day !== undefined && isDay(input.day) ? input.day : await ctx.reports.today(input.person);
  const draft = await ctx.reports.draft(input.person, day);
  await client.call('views.open', { trigger_id: input.triggerId, view: reportModal(day, draft.text) });
}

const metadataSchema = z.strictObject({ day: z.string().refine(isDay) }) satisfies z.ZodType<ReportModalMetadata>;

/** Whether a `view_submission` is of the daily-report modal. */
export const isReportSubmission = (callbackId: string | undefined) => callbackId === REPORT_CALLBACK_ID;

/**
 * A submitted daily-report modal: empty or over-long text is answered at once with Slack's `response_action: errors`
 * naming the field, so does an unlinked Slack user; otherwise the modal closes and the report is filed as the verified
 * user's person with `source: 'slack'` after the answer (a replay of the same signed request is dropped by core
 * before that). A refusal then (a day now too far back) is explained to the person in a DM.
 */
export async function reportSubmission(
  ctx: InteractionContext,
  submission: { user: string; privateMetadata?: string; values: Record<string, Record<string, { value?: string | null }>> },
  tell: (text: string) => Promise<void>,
): Promise<InteractionResult> {
  let metadata: ReportModalMetadata;
  try {
    metadata = metadataSchema.parse(JSON.parse(submission.privateMetadata ?? ''));
  } catch {
    throw new WebhookPayloadError('view_submission.view.private_metadata: not what teamstate put in the report modal');
  }
  const text = submission.values.report?.text?.value ?? '';
  const blockers = submission.values.blockers?.text?.value ?? '';
  const errors: Record<string, string> = {};
  if (text.trim() === '') errors.report = 'Write what you did today (the draft lists your activity as a start).';
  else if (text.length > REPORT_TEXT_MAX)
    errors.report = `${text.length.toLocaleString('en-US')} characters: at most ${REPORT_TEXT_MAX.toLocaleString('en-US')}. Shorten it, or link to a longer document.`;
  if (blockers.length > REPORT_TEXT_MAX)
    errors.blockers = `${blockers.length.toLocaleString('en-US')} characters: at most ${REPORT_TEXT_MAX.toLocaleString('en-US')}.`;
  const person = Object.keys(errors).length === 0 ? await ctx.personFor('slack', submission.user) : undefined;
  if (Object.keys(errors).length === 0 && person === undefined)
    errors.report = `Your Slack account is not linked to a person in teamstate, so this report cannot be saved. Ask whoever runs teamstate to add slack: ${submission.user} to your entry under people: in teamstate.config.yaml, or to sync Slack.`;
  if (person === undefined)
    return { status: 200, answer: { response_action: 'errors', errors }, event: 'view_submission report (invalid)' };
  return {
    status: 200,
    answer: null,
    event: 'view_submission report',
    async after() {
      try {
        await ctx.reports.submit({
          person,
          day: metadata.day,
          text,
          ...(blockers.trim() === '' ? {} : { blockers }),
          source: 'slack',
        });
      } catch (error) {
        if (!TeamStateError.isInstance(error)) throw error;
        ctx.log.info('slack: a report was refused', { person, day: metadata.day, code: error.code });
        await tell(`:no_entry_sign: Your report for ${metadata.day} was not saved: ${escapeMrkdwn(error.message)}`);
      }
    },
  };
}
