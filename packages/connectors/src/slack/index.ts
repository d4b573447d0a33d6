import type { Connector } from '@teamstate/core';
import { messageActions } from './actions/message-actions.js';
import { slackApprovalChannel } from './approvals/slack-approval-channel.js';
import { createSlackClient } from './client/slack-client.js';
import { slackCommands } from './commands/slack-commands.js';
import { resolveSlackOptions, type SlackOptions } from './options.js';
import { syncUsers } from './sync/sync-users.js';
import { slackInteractions } from './webhooks/slack-interactivity.js';

export { ACTION_METADATA_EVENT, postMessageParams, sendDmParams } from './actions/message-actions.js';
export { proposeSlackMessage, type SlackMessageProposal } from './actions/propose-slack-message.js';
export {
  APPROVAL_ACTIONS,
  APPROVAL_METADATA_EVENT,
  type ApprovalMessageOptions,
  approvalMessage,
  type Block,
  escapeMrkdwn,
  MODIFY_CALLBACK_ID,
  type ModifyMetadata,
  modifyModal,
} from './approvals/approval-blocks.js';
export { SlackApiError } from './client/slack-api-error.js';
export { answerMessage, MAX_ANSWER_CHARS, MAX_BLOCKS, type SlackCommandAnswer } from './commands/answer-blocks.js';
export {
  COMMANDS_PATH,
  helpMessage,
  type SlackAnsweredSubcommand,
  type SlackCommandAnswers,
  type SlackCommandQuery,
} from './commands/slack-commands.js';
export { FEEDBACK_CALLBACK_ID, FEEDBACK_OPEN_ACTION, feedbackModal } from './feedback/feedback-blocks.js';
export type { SlackOptions } from './options.js';
export { PULSE_CALLBACK_ID, PULSE_OPEN_ACTION, pulseMessage, pulseModal } from './pulse/pulse-blocks.js';
export { type SlackPulseRound, sendSlackPulse } from './pulse/send-slack-pulse.js';
export { REPORT_CALLBACK_ID, REPORT_OPEN_ACTION, reminderMessage, reportModal } from './reports/report-blocks.js';
export { REMINDER_REQUESTER, type ReminderOutcome, sendReportReminders } from './reports/send-report-reminders.js';
export { type SlackSurveyRound, sendSlackSurveys } from './surveys/send-slack-surveys.js';
export { revealMessage, SURVEY_ACTIONS, surveyMessage } from './surveys/survey-blocks.js';
export { INTERACTIVITY_PATH, refusalText } from './webhooks/slack-interactivity.js';
export { MAX_SIGNATURE_AGE_SECONDS, signSlackRequest, verifySlackSignature } from './webhooks/verify-slack-signature.js';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The Slack connector: links the workspace's people (`users.list`), posts messages and DMs as actions
 * the policy governs (`slack.message.post`, `slack.dm.send`), shows pending approvals in Slack with
 * Approve / Decline buttons and keeps those messages up to date, and, with a signing secret, receives
 * the clicks at `POST /webhooks/slack/interactivity` and the `/teamstate` slash command at
 * `POST /webhooks/slack/commands` (`teamstate serve`). Daily report reminders ({@link sendReportReminders}) are
 * DMs whose button opens a modal with the person's draft; its submission files the report. `sendSlackSurveys(ts)`
 * sends the pull request surveys `ts.surveys` has due (`slack.survey.send`, through the policy); their answers arrive
 * as clicks too.
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
    providers: ['slack'],
    description: 'Slack: people (users.list), messages and DMs as actions, approvals decided with buttons',
    sync: (ctx) => syncUsers(client, ctx, resolved),
    actions: messageActions(client),
    ...(resolved.signingSecret
      ? {
          interactions: [
            slackInteractions(client, resolved.signingSecret),
            slackCommands(client, resolved.signingSecret, resolved.commands),
          ],
        }
      : {}),
    ...(resolved.approvalRequests ? { approvalChannel: slackApprovalChannel(client, resolved) } : {}),
  };
}
