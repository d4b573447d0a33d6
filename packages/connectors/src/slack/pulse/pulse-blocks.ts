import type { PulseQuestion } from '@teamstate/core';
import { type Block, clip, plain } from '../approvals/approval-blocks.js';

/** `action_id` of the "Answer" button of a pulse DM (its value: the round id). */
export const PULSE_OPEN_ACTION = 'teamstate.pulse.open';
/** `callback_id` of the pulse modal. */
export const PULSE_CALLBACK_ID = 'teamstate.pulse';
/** The longest comment the modal takes. */
export const PULSE_COMMENT_MAX = 2000;

const SCALE = ['1 · strongly disagree', '2 · disagree', '3 · neutral', '4 · agree', '5 · strongly agree'];

/** The pulse DM: what it is, who reads what, and the button that opens the modal. */
export function pulseMessage(round: string, minGroup: number): { text: string; blocks: Block[] } {
  const text = 'Pulse survey: eight quick questions about how work is going (2 minutes).';
  return {
    text,
    blocks: [
      { type: 'section', text: plain(text) },
      {
        type: 'actions',
        block_id: 'teamstate.pulse',
        elements: [{ type: 'button', action_id: PULSE_OPEN_ACTION, value: round, style: 'primary', text: plain('Answer') }],
      },
      {
        type: 'context',
        elements: [
          plain(
            `Results are shown only for groups of ${minGroup} or more answers, never per person. Your comment reaches your team's leads only if you choose to share it.`,
          ),
        ],
      },
    ],
  };
}

/** The modal: one 1-5 choice per question, an optional comment, and whether leads may read it. */
export function pulseModal(round: string, questions: readonly PulseQuestion[]): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: PULSE_CALLBACK_ID,
    private_metadata: JSON.stringify({ round }),
    title: plain('Pulse survey'),
    submit: plain('Send'),
    close: plain('Cancel'),
    blocks: [
      ...questions.map((q) => ({
        type: 'input',
        block_id: `q.${q.id}`,
        label: plain(clip(q.text, 150)),
        element: {
          type: 'static_select',
          action_id: 'score',
          placeholder: plain('Choose 1 to 5'),
          options: SCALE.map((label, i) => ({ text: plain(label), value: String(i + 1) })),
        },
      })),
      {
        type: 'input',
        block_id: 'comment',
        optional: true,
        label: plain('Anything else? (optional)'),
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: PULSE_COMMENT_MAX },
      },
      {
        type: 'input',
        block_id: 'share',
        optional: true,
        label: plain('Your comment'),
        element: {
          type: 'checkboxes',
          action_id: 'share',
          options: [{ text: plain("Share my comment with my team's leads (without my name)"), value: 'share' }],
        },
      },
    ],
  };
}
