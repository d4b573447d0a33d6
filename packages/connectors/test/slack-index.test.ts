import { describe, expect, it } from 'vitest';
import * as slackExports from '../src/slack/index.js';

describe('@teamstate/connectors/slack public surface', () => {
  it('exports the connector, the posting, reminder, survey and pulse helpers, the signature helpers and the message building blocks', () => {
    expect(Object.keys(slackExports).sort()).toEqual([
      'ACTION_METADATA_EVENT',
      'APPROVAL_ACTIONS',
      'APPROVAL_METADATA_EVENT',
      'COMMANDS_PATH',
      'FEEDBACK_CALLBACK_ID',
      'FEEDBACK_OPEN_ACTION',
      'INTERACTIVITY_PATH',
      'MAX_ANSWER_CHARS',
      'MAX_BLOCKS',
      'MAX_SIGNATURE_AGE_SECONDS',
      'MODIFY_CALLBACK_ID',
      'PULSE_CALLBACK_ID',
      'PULSE_OPEN_ACTION',
      'REMINDER_REQUESTER',
      'REPORT_CALLBACK_ID',
      'REPORT_OPEN_ACTION',
      'SURVEY_ACTIONS',
      'SlackApiError',
      'answerMessage',
      'approvalMessage',
      'escapeMrkdwn',
      'feedbackModal',
      'helpMessage',
      'modifyModal',
      'postMessageParams',
      'proposeSlackMessage',
      'pulseMessage',
      'pulseModal',
      'refusalText',
      'reminderMessage',
      'reportModal',
      'revealMessage',
      'sendDmParams',
      'sendReportReminders',
      'sendSlackPulse',
      'sendSlackSurveys',
      'signSlackRequest',
      'slack',
      'surveyMessage',
      'verifySlackSignature',
    ]);
  });
});
