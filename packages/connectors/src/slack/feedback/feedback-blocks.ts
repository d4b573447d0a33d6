import type { FeedbackCategory } from '@teamstate/core';
import { type Block, plain } from '../approvals/approval-blocks.js';

/** `action_id` of the "Report an AI issue" button on survey messages; its value is {@link feedbackValue}. */
export const FEEDBACK_OPEN_ACTION = 'teamstate.feedback.open';
/** `callback_id` of the "Report an AI issue" modal. */
export const FEEDBACK_CALLBACK_ID = 'teamstate.feedback';
/** Slack's limit on a `plain_text_input`. */
const INPUT_LIMIT = 3000;

/** The categories as people read them, in the order of `FEEDBACK_CATEGORIES` (docs/ai-feedback.md). */
export const FEEDBACK_CATEGORY_LABELS: Record<FeedbackCategory, string> = {
  wrong_code: 'Wrong code',
  missed_context: 'Missed context',
  style: 'Style',
  missing_tests: 'Missing tests',
  security: 'Security',
  hallucinated_api: 'Hallucinated API',
  performance: 'Performance',
  other: 'Other',
};

/** The tools offered in the modal: the value stored, then the label. */
export const FEEDBACK_TOOLS: readonly (readonly [string, string])[] = [
  ['copilot', 'GitHub Copilot'],
  ['claude-code', 'Claude Code'],
  ['cursor', 'Cursor'],
  ['codex', 'Codex'],
  ['gemini', 'Gemini'],
  ['other', 'Other'],
];

/** What the modal carries from opening to its submission: the pull request's work item id. */
export interface FeedbackModalMetadata {
  pr: string;
}

/** The value the button carries: which pull request (the person is the one who clicks). */
export const feedbackValue = (pullRequest: string) => JSON.stringify({ pr: pullRequest });

/** The "Report an AI issue" button, in its own actions block, for a survey message about `pullRequest`. */
export function feedbackButtonBlock(pullRequest: string): Block {
  return {
    type: 'actions',
    block_id: 'feedback',
    elements: [{ type: 'button', action_id: FEEDBACK_OPEN_ACTION, text: plain('Report an AI issue'), value: feedbackValue(pullRequest) }],
  };
}

const option = (text: string, value: string) => ({ text: plain(text, 75), value });

/**
 * The "Report an AI issue" modal for a pull request: the category, what went wrong (people's words, typed in a plain
 * text input), the tool, and the paths it was about. The pull request's key and title are plain text.
 */
export function feedbackModal(pullRequest: { id: string; key: string; title: string }): Block {
  const metadata: FeedbackModalMetadata = { pr: pullRequest.id };
  return {
    type: 'modal',
    callback_id: FEEDBACK_CALLBACK_ID,
    private_metadata: JSON.stringify(metadata),
    title: plain('Report an AI issue', 24),
    submit: plain('Report'),
    close: plain('Cancel'),
    blocks: [
      { type: 'context', elements: [plain(`${pullRequest.key}: ${pullRequest.title}`, 2000)] },
      {
        type: 'input',
        block_id: 'category',
        label: plain('What kind of problem?'),
        element: {
          type: 'static_select',
          action_id: 'category',
          placeholder: plain('Pick a category'),
          options: (Object.keys(FEEDBACK_CATEGORY_LABELS) as FeedbackCategory[]).map((c) => option(FEEDBACK_CATEGORY_LABELS[c], c)),
        },
      },
      {
        type: 'input',
        block_id: 'text',
        label: plain('What went wrong?'),
        hint: plain('e.g. "It keeps forgetting our refund test fixtures". Your teammates can read this.'),
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: INPUT_LIMIT },
      },
      {
        type: 'input',
        block_id: 'tool',
        optional: true,
        label: plain('Which assistant?'),
        element: {
          type: 'static_select',
          action_id: 'tool',
          placeholder: plain('Pick a tool'),
          options: FEEDBACK_TOOLS.map(([value, label]) => option(label, value)),
        },
      },
      {
        type: 'input',
        block_id: 'paths',
        optional: true,
        label: plain('Files or folders'),
        hint: plain('Relative to the repository root, separated by commas, e.g. services/payments, services/payments/refund.ts'),
        element: { type: 'plain_text_input', action_id: 'paths', max_length: INPUT_LIMIT },
      },
    ],
  };
}
