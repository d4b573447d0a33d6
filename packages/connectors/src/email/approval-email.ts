import type { Approval, ApprovalChannel } from '@teamstate/core';
import type { ResolvedEmailOptions } from './options.js';
import type { Mailer } from './smtp-mailer.js';

/** A line of text from a proposal (people's and assistants' words): one line, no control characters, bounded. */
function oneLine(text: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The message asking `approval`'s approver to decide it: what, why, who asked, and the link to the approval page. */
export function approvalEmail(approval: Approval, publicUrl: string): { subject: string; text: string } {
  const link = `${publicUrl}/approvals/${encodeURIComponent(approval.id)}`;
  return {
    subject: oneLine(`Approval needed: ${approval.type} on ${approval.target}`, 200),
    text: [
      `${oneLine(approval.requestedBy, 200)} proposes ${approval.type} on ${oneLine(approval.target, 500)} (risk: ${approval.risk}).`,
      '',
      `Why: ${oneLine(approval.reason, 2000)}`,
      ...(approval.expiresAt ? ['', `It expires at ${approval.expiresAt}.`] : []),
      '',
      `Review and decide it here (sign-in required; the link alone decides nothing):`,
      link,
      '',
      `Approval ${approval.id}. You receive this because the policy names you as an approver.`,
    ].join('\n'),
  };
}

/**
 * Shows a pending approval by email to each approver the policy names who has an email address (and, when Slack is
 * configured too, no Slack account: Slack shows them the approval). One message per recipient; the destination is the
 * person's id, so core's claim on it sends each approver one message, whichever process holds the approval. A sent email
 * cannot change: `update` sends nothing, and the approval page shows the approval as it is now.
 */
export function emailApprovalChannel(options: ResolvedEmailOptions, mailer: Mailer, slackConfigured: boolean): ApprovalChannel {
  return {
    specificationVersion: 'v1',
    id: 'email',
    async destinations(approval, ctx) {
      const approvers = await ctx.approvers(approval);
      if (approvers.length === 0) return [];
      const emails = await ctx.emails(approvers);
      const onSlack = slackConfigured ? await ctx.accounts('slack', approvers) : new Map<string, string[]>();
      return approvers.filter((person) => emails.has(person) && !(onSlack.get(person)?.length ?? 0));
    },
    async show(approval, person, ctx) {
      const to = (await ctx.emails([person])).get(person);
      if (to === undefined) throw new Error(`email: ${person} has no email address any more`);
      return mailer.send({ to, ...approvalEmail(approval, options.publicUrl), date: ctx.now() });
    },
    async update() {},
  };
}
