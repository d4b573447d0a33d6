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
} from './approval-blocks.js';
export { ACTION_METADATA_EVENT, postMessageParams, sendDmParams } from './message-actions.js';
export { proposeSlackMessage, type SlackMessageProposal } from './propose-slack-message.js';
export { SlackApiError } from './slack-api-error.js';
export { slack } from './slack-connector.js';
export { INTERACTIVITY_PATH, refusalText } from './slack-interactivity.js';
export type { SlackOptions } from './slack-options.js';
export { MAX_SIGNATURE_AGE_SECONDS, signSlackRequest, verifySlackSignature } from './verify-slack-signature.js';
