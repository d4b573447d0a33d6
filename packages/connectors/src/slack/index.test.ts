import { describe, expect, it } from 'vitest';
import * as slackExports from './index.js';

describe('@teamstate/connectors/slack public surface', () => {
  it('exports the connector, the posting helper, the signature helpers, the message building blocks and the survey sender', () => {
    expect(Object.keys(slackExports).sort()).toEqual([
      'ACTION_METADATA_EVENT',
      'APPROVAL_ACTIONS',
      'APPROVAL_METADATA_EVENT',
      'INTERACTIVITY_PATH',
      'MAX_SIGNATURE_AGE_SECONDS',
      'MODIFY_CALLBACK_ID',
      'SURVEY_ACTIONS',
      'SlackApiError',
      'approvalMessage',
      'escapeMrkdwn',
      'modifyModal',
      'postMessageParams',
      'proposeSlackMessage',
      'refusalText',
      'revealMessage',
      'sendDmParams',
      'sendSlackSurveys',
      'signSlackRequest',
      'slack',
      'surveyMessage',
      'verifySlackSignature',
    ]);
  });
});
