import { type ActionType, defineActionType } from '@teamstate/core';
import { z } from 'zod';

/**
 * `demo.note.add`: notes a remark on a work item of the demo organisation. Harmless by design: the note
 * is the action's result, kept on the approval and in the audit ledger; nothing leaves teamstate. It
 * lets you try the propose → approve → execute loop (CLI, MCP) without credentials.
 */
export const demoNoteAdd: ActionType = defineActionType({
  type: 'demo.note.add',
  description: 'Add a note to a work item of the demo organisation (recorded on the approval; nothing leaves teamstate)',
  risk: 'low',
  params: z.strictObject({
    key: z.string().min(1).max(200).describe('The work item key, e.g. "PAY-12" or "acme/payments-api#7"'),
    text: z.string().min(1).max(2000).describe('The note'),
  }),
  async execute(params, ctx) {
    return { noted: true, key: params.key, text: params.text, at: ctx.now().toISOString() };
  },
});

/** The demo connector's action types. */
export const demoActions: readonly ActionType[] = [demoNoteAdd];
