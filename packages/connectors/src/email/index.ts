import type { Connector } from '@teamstate/core';
import { emailApprovalChannel } from './approval-email.js';
import { type EmailOptions, resolveEmailOptions } from './options.js';
import { sendEmailAction } from './send-action.js';
import { createMailer } from './smtp-mailer.js';

export { approvalEmail } from './approval-email.js';
export { escapeHtml, htmlOf } from './email-html.js';
export type { EmailOptions, SmtpOptions } from './options.js';
export { sendEmailParams } from './send-action.js';

/** Options of {@link email} besides its config section. */
export interface EmailConnectorOptions extends EmailOptions {
  /** The Slack connector is configured too: approvers with a Slack account are shown approvals there, not by email. */
  slackConfigured?: boolean;
}

/**
 * Email over SMTP (nodemailer) for people without Slack: approval requests go to each approver the policy names, one
 * message each, linking to `<publicUrl>/approvals/<id>` (sign-in required there; the link carries no credential); the
 * action `email.send` carries the nudges, personal alerts and digests of people without Slack (docs/connectors/email.md).
 * `sync` syncs nothing: it checks that the SMTP server answers (and accepts the sign-in), failing within 15 s naming it.
 *
 * @example
 * email({ smtp: { host: 'smtp.acme.example', port: 587, user: 'teamstate', password: process.env.SMTP_PASSWORD! },
 *   from: 'teamstate <teamstate@acme.example>', publicUrl: 'https://teamstate.acme.example' })
 */
export function email(options: EmailConnectorOptions): Connector {
  const resolved = resolveEmailOptions(options);
  const mailer = createMailer(resolved);
  return {
    specificationVersion: 'v1',
    id: resolved.id,
    providers: [],
    description: `Email through ${resolved.smtp.host}:${resolved.smtp.port}`,
    async sync(ctx) {
      ctx.progress({ phase: `checking ${resolved.smtp.host}:${resolved.smtp.port}` });
      await mailer.verify();
    },
    actions: [sendEmailAction(mailer)],
    approvalChannel: emailApprovalChannel(resolved, mailer, options.slackConfigured ?? false),
  };
}
