import { type Block, clip, plain } from '../approvals/approval-blocks.js';

/** `action_id` of the "Write my report" button of a reminder. */
export const REPORT_OPEN_ACTION = 'teamstate.report.open';
/** `callback_id` of the daily-report modal. */
export const REPORT_CALLBACK_ID = 'teamstate.report';
/** Slack's limit on a `plain_text_input`, and so on a report typed in the modal. */
export const MODAL_TEXT_LIMIT = 3000;

/** What the daily-report modal carries from opening to its submission. */
export interface ReportModalMetadata {
  /** The person's local day the report is for, `YYYY-MM-DD`. */
  day: string;
}

/** `Wed 18 Mar` for `2026-03-18`. */
export function dayLabel(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

/** The reminder DM: its notification text and blocks with the button that opens the modal for `day`. */
export function reminderMessage(day: string): { text: string; blocks: Block[] } {
  const text = `Your daily report for ${dayLabel(day)} is not in yet.`;
  return {
    text,
    blocks: [
      { type: 'section', text: plain(`${text} A draft from your activity is ready to edit.`) },
      {
        type: 'actions',
        block_id: 'teamstate.report',
        elements: [
          {
            type: 'button',
            action_id: REPORT_OPEN_ACTION,
            value: day,
            style: 'primary',
            text: plain('Write my report'),
          },
        ],
      },
      {
        type: 'context',
        elements: [
          plain('Reports are your own words, not a time sheet. To stop these reminders, ask whoever runs teamstate to opt you out.'),
        ],
      },
    ],
  };
}

// The draft may be longer than the modal takes: cut at a line, so no half-line is left.
function fitDraft(text: string): string {
  if (text.length <= MODAL_TEXT_LIMIT) return text;
  const cut = text.slice(0, MODAL_TEXT_LIMIT - 1);
  const line = cut.lastIndexOf('\n');
  return line > MODAL_TEXT_LIMIT / 2 ? cut.slice(0, line) : clip(text, MODAL_TEXT_LIMIT);
}

/**
 * The daily-report modal for `day`, the report field prefilled with `draft` (plain text in an input, never read as
 * mrkdwn), and an optional blockers field.
 */
export function reportModal(day: string, draft: string): Block {
  const metadata: ReportModalMetadata = { day };
  const initial = fitDraft(draft);
  return {
    type: 'modal',
    callback_id: REPORT_CALLBACK_ID,
    private_metadata: JSON.stringify(metadata),
    title: plain('Daily report', 24),
    submit: plain('Submit'),
    close: plain('Cancel'),
    blocks: [
      { type: 'context', elements: [plain(`Your report for ${dayLabel(day)} (${day}). The draft lists your activity: edit it freely.`)] },
      {
        type: 'input',
        block_id: 'report',
        label: plain('What did you do?'),
        element: {
          type: 'plain_text_input',
          action_id: 'text',
          multiline: true,
          max_length: MODAL_TEXT_LIMIT,
          ...(initial.trim() === '' ? {} : { initial_value: initial }),
        },
      },
      {
        type: 'input',
        block_id: 'blockers',
        optional: true,
        label: plain('Anything blocking you?'),
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: MODAL_TEXT_LIMIT },
      },
    ],
  };
}
