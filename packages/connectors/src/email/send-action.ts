import { type ActionType, defineActionType } from '@teamstate/core';
import { z } from 'zod';
import { htmlOf } from './email-html.js';
import { isSender } from './options.js';
import type { Mailer } from './smtp-mailer.js';

/** Params of `email.send`: one message to one address (a person's, as teamstate knows it). */
export const sendEmailParams = z.strictObject({
  to: z.string().refine((to) => isSender(to) && !to.includes('<'), {
    error: 'expected one email address, e.g. ana@acme.example',
  }),
  subject: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'at most 200 characters' })
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a line break in a subject would start a header of its own
    .refine((subject) => !/[\u0000-\u001f\u007f-\u009f]/.test(subject), { error: 'must be one line, without control characters' }),
  text: z.string().trim().min(1, { error: 'must not be empty' }).max(20_000, { error: 'at most 20,000 characters' }),
});

/**
 * `email.send`: the nudges, personal alerts and digests of people without Slack, proposed through the policy like
 * their Slack counterparts (risk low; the built-in policy asks a person, as for every write). Sent once per approval,
 * as a plain-text part and an HTML part with every character of the text escaped, under a Message-ID made from the
 * approval's idempotency key (so a receiving server can tell a retry from a new message).
 */
export function sendEmailAction(mailer: Mailer): ActionType {
  return defineActionType({
    type: 'email.send',
    description: 'Send an email to a person (nudges, alerts and digests for people without Slack)',
    risk: 'low',
    params: sendEmailParams,
    async execute(params, ctx) {
      const messageId = `<${ctx.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '-')}@teamstate>`;
      await mailer.send({
        to: params.to,
        subject: params.subject,
        text: params.text,
        html: htmlOf(params.subject, params.text),
        messageId,
        date: ctx.now(),
      });
      return { messageId };
    },
  });
}
