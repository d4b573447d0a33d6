import {
  type InteractionContext,
  type InteractionResult,
  type InteractionSpec,
  TeamStateError,
  WebhookPayloadError,
} from '@teamstate/core';
import { z } from 'zod';
import { APPROVAL_ACTIONS, MODIFY_CALLBACK_ID, type ModifyMetadata, modifyModal } from '../approvals/approval-blocks.js';
import { openDirectMessage } from '../client/open-direct-message.js';
import type { SlackClient } from '../client/slack-client.js';
import { FEEDBACK_OPEN_ACTION } from '../feedback/feedback-blocks.js';
import { feedbackSubmission, isFeedbackSubmission, openFeedbackFromButton } from '../feedback/feedback-interactions.js';
import { PULSE_OPEN_ACTION } from '../pulse/pulse-blocks.js';
import { isPulseSubmission, openPulseFromButton, pulseSubmission } from '../pulse/pulse-interactions.js';
import { REPORT_OPEN_ACTION } from '../reports/report-blocks.js';
import { isReportSubmission, openReportModal, reportSubmission, unlinkedText } from '../reports/report-interactions.js';
import { isSignalClick, signalClick } from '../signals/signal-clicks.js';
import { type SurveyClick, surveyClick } from '../surveys/survey-clicks.js';
import { slackRequestChecks } from './verify-slack-signature.js';

/** The path under `/webhooks/` that Slack's Interactivity Request URL points at. */
export const INTERACTIVITY_PATH = 'slack/interactivity';

const blockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: z.string().min(1) }),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  container: z.looseObject({ channel_id: z.string().optional() }).optional(),
  channel: z.looseObject({ id: z.string() }).optional(),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })),
  state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.looseObject({}))) }).optional(),
});

const viewSubmissionSchema = z.looseObject({
  type: z.literal('view_submission'),
  user: z.looseObject({ id: z.string().min(1) }),
  view: z.looseObject({
    callback_id: z.string().optional(),
    private_metadata: z.string().optional(),
    state: z.looseObject({
      values: z.record(z.string(), z.record(z.string(), z.looseObject({ value: z.string().nullish() }))),
    }),
  }),
});

const modifyMetadataSchema = z.strictObject({ approval: z.string().min(1), type: z.string().min(1), channel: z.string().optional() });

type Decision = 'approve' | 'decline' | 'modify';

const DECISIONS: Record<string, Decision> = { [APPROVAL_ACTIONS.approve]: 'approve', [APPROVAL_ACTIONS.decline]: 'decline' };

/**
 * Slack interactivity at `POST /webhooks/slack/interactivity`: Approve / Decline clicks on approval
 * messages, "Approve with changes" (a modal with the parameters as JSON, checked before the modal
 * closes), and answers to pull request surveys. The request is answered at once (an empty 200, or the modal's field errors) and the decision
 * is made after, as the clicking Slack user's person, through the policy's approver rules; a refused
 * decision (not linked, the requester, not an approver, already decided, expired) is audited by core and
 * explained to that user alone (an ephemeral message). Also the daily report: "Write my report" on a reminder
 * opens the report modal with the person's draft, and its submission files the report (`source: 'slack'`). And
 * "Report an AI issue" on a survey message: a modal whose submission records feedback (`ts.feedback.add`) as the
 * verified user's person. And Acknowledge / Snooze on a working agreement's nudge, as the clicking user's person.
 */
export function slackInteractions(client: SlackClient, signingSecret: string): InteractionSpec {
  return {
    path: INTERACTIVITY_PATH,
    ...slackRequestChecks(signingSecret),
    async handle(request, ctx): Promise<InteractionResult> {
      const payload = parsePayload(request.rawBody);
      const type = typeof payload.type === 'string' ? payload.type : 'unknown';
      if (type === 'block_actions') return blockActions(client, ctx, payload);
      if (type === 'view_submission') return viewSubmission(client, ctx, payload);
      return { status: 200, answer: null, event: `ignored ${type}` };
    },
  };
}

function parsePayload(rawBody: Buffer): Record<string, unknown> {
  const field = new URLSearchParams(rawBody.toString('utf8')).get('payload');
  if (field === null) throw new WebhookPayloadError('payload: missing (Slack sends application/x-www-form-urlencoded with payload=<JSON>)');
  let payload: unknown;
  try {
    payload = JSON.parse(field);
  } catch {
    throw new WebhookPayloadError('payload: not valid JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new WebhookPayloadError('payload: expected a JSON object');
  return payload as Record<string, unknown>;
}

function parseWith<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WebhookPayloadError(`${what}.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

async function blockActions(client: SlackClient, ctx: InteractionContext, payload: unknown): Promise<InteractionResult> {
  const click = parseWith(blockActionsSchema, payload, 'block_actions');
  const action = click.actions.find((a) => a.action_id.startsWith('teamstate.'));
  if (!action) return { status: 200, answer: null, event: 'block_actions (not ours)' };
  if (action.action_id.startsWith('teamstate.survey.'))
    return surveyClick(client, ctx, {
      user: click.user.id,
      actionId: action.action_id,
      value: action.value,
      responseUrl: click.response_url,
      state: click.state?.values as SurveyClick['state'],
    });
  const user = click.user.id;
  const channel = click.container?.channel_id ?? click.channel?.id;
  const reply = (text: string) =>
    click.response_url
      ? client.respond(click.response_url, { response_type: 'ephemeral', replace_original: false, text })
      : tellPrivately(client, user, channel, text);
  if (action.action_id === FEEDBACK_OPEN_ACTION)
    return openFeedbackFromButton(client, ctx, { user, triggerId: click.trigger_id, value: action.value }, reply);
  if (action.action_id === REPORT_OPEN_ACTION) return openReportFromButton(ctx, click, action.value, { client, reply });
  if (action.action_id === PULSE_OPEN_ACTION) return openPulseFromButton(client, ctx, { triggerId: click.trigger_id, round: action.value });
  if (isSignalClick(action.action_id)) return signalClick(ctx, { user, actionId: action.action_id, value: action.value }, reply);
  if (!action.value) throw new WebhookPayloadError(`block_actions.actions: ${action.action_id} carries no approval id`);
  const approvalId = action.value;
  if (action.action_id === APPROVAL_ACTIONS.modify) {
    const triggerId = click.trigger_id;
    if (!triggerId) throw new WebhookPayloadError('block_actions.trigger_id: missing, so no modal can be opened');
    return {
      status: 200,
      answer: null,
      event: 'block_actions modify',
      async after() {
        const approval = await ctx.approvals.get(approvalId);
        if (approval?.status !== 'pending') {
          await reply(
            `:no_entry_sign: Nothing to change: approval ${approvalId} is ${approval ? `already ${approval.status}` : 'unknown'}.`,
          );
          return;
        }
        const metadata: ModifyMetadata = { approval: approval.id, type: approval.type, ...(channel ? { channel } : {}) };
        // The trigger id is valid for 3 seconds after the click: this runs right after the answer.
        await client.call('views.open', { trigger_id: triggerId, view: modifyModal(approval, metadata) });
      },
    };
  }
  const decision = DECISIONS[action.action_id];
  if (!decision) return { status: 200, answer: null, event: `block_actions ${action.action_id} (unknown)` };
  return {
    status: 200,
    answer: null,
    event: `block_actions ${decision}`,
    after: () => decideInSlack(ctx, { approvalId, user, decision, reply }),
  };
}

async function viewSubmission(client: SlackClient, ctx: InteractionContext, payload: unknown): Promise<InteractionResult> {
  const submission = parseWith(viewSubmissionSchema, payload, 'view_submission');
  if (isReportSubmission(submission.view.callback_id)) {
    const user = submission.user.id;
    return reportSubmission(
      ctx,
      { user, privateMetadata: submission.view.private_metadata, values: submission.view.state.values },
      (text) => tellPrivately(client, user, undefined, text),
    );
  }
  if (isPulseSubmission(submission.view.callback_id)) {
    const user = submission.user.id;
    return pulseSubmission(ctx, { user, privateMetadata: submission.view.private_metadata, values: submission.view.state.values }, (text) =>
      tellPrivately(client, user, undefined, text),
    );
  }
  if (isFeedbackSubmission(submission.view.callback_id)) {
    const user = submission.user.id;
    return feedbackSubmission(
      ctx,
      { user, privateMetadata: submission.view.private_metadata, values: submission.view.state.values },
      (text) => tellPrivately(client, user, undefined, text),
    );
  }
  if (submission.view.callback_id !== MODIFY_CALLBACK_ID) return { status: 200, answer: null, event: 'view_submission (not ours)' };
  let metadata: ModifyMetadata;
  try {
    metadata = modifyMetadataSchema.parse(JSON.parse(submission.view.private_metadata ?? ''));
  } catch {
    throw new WebhookPayloadError('view_submission.view.private_metadata: not what teamstate put in the modal');
  }
  const values = submission.view.state.values;
  const text = values.params?.json?.value ?? '';
  const reason = values.reason?.text?.value?.trim() || undefined;
  const fieldError = (message: string): InteractionResult => ({
    status: 200,
    answer: { response_action: 'errors', errors: { params: message.length > 1000 ? `${message.slice(0, 999)}…` : message } },
    event: 'view_submission modify (invalid)',
  });
  let params: unknown;
  try {
    params = JSON.parse(text);
  } catch (error) {
    return fieldError(`Not valid JSON: ${(error as Error).message}`);
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    return fieldError('Expected a JSON object such as { "text": "…" }');
  const checked = ctx.checkParams(metadata.type, params);
  if (!checked.ok) return fieldError(checked.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') || checked.message);
  const user = submission.user.id;
  return {
    status: 200,
    answer: null,
    event: 'view_submission modify',
    after: () =>
      decideInSlack(ctx, {
        approvalId: metadata.approval,
        user,
        decision: 'modify',
        params: checked.params,
        reason,
        reply: (message) => tellPrivately(client, user, metadata.channel, message),
      }),
  };
}

// "Write my report" on a reminder DM: the modal with the person's draft of the reminder's day.
async function openReportFromButton(
  ctx: InteractionContext,
  click: z.infer<typeof blockActionsSchema>,
  day: string | undefined,
  { client, reply }: { client: SlackClient; reply(text: string): Promise<void> },
): Promise<InteractionResult> {
  const user = click.user.id;
  const triggerId = click.trigger_id;
  if (!triggerId) throw new WebhookPayloadError('block_actions.trigger_id: missing, so no modal can be opened');
  const person = await ctx.personFor('slack', user);
  if (person === undefined)
    return { status: 200, answer: null, event: 'block_actions report (unlinked)', after: () => reply(unlinkedText(user)) };
  return {
    status: 200,
    answer: null,
    event: 'block_actions report',
    after: () => openReportModal(client, ctx, { person, triggerId, ...(day ? { day } : {}) }),
  };
}

/** Decides as the clicking user's person; a refusal is explained to that user alone. */
async function decideInSlack(
  ctx: InteractionContext,
  input: {
    approvalId: string;
    user: string;
    decision: Decision;
    params?: Record<string, unknown>;
    reason?: string;
    reply(text: string): Promise<void>;
  },
): Promise<void> {
  const person = await ctx.personFor('slack', input.user);
  try {
    // An unlinked user is named by their Slack id, so core audits the refused attempt under it.
    await ctx.approvals.decide(input.approvalId, {
      decision: input.decision,
      by: person ?? `slack:${input.user}`,
      // The Slack user verified by the request signature: recorded on the decision's ledger entry.
      authentication: { method: 'slack', user: input.user },
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.params ? { params: input.params } : {}),
    });
  } catch (error) {
    if (!TeamStateError.isInstance(error)) throw error;
    ctx.log.info('slack: a decision was refused', { approval: input.approvalId, user: input.user, code: error.code });
    await input.reply(refusalText(error, input.user));
  }
}

/** What a person sees when their click did not count. */
export function refusalText(error: TeamStateError, user: string): string {
  switch (error.code) {
    case 'unknown_approver':
      return `:no_entry_sign: Your Slack account (<@${user}>) is not linked to a person in teamstate, so your click did not count. Ask whoever runs teamstate to sync Slack (\`teamstate sync --only slack\`) or to add \`slack: ${user}\` to your entry under \`people:\` in teamstate.config.yaml.`;
    case 'self_decision':
      return ':no_entry_sign: You proposed this action, so someone else has to decide it.';
    case 'not_an_approver':
      return `:no_entry_sign: You cannot decide this one: ${error.message}.`;
    case 'approval_not_pending':
      return `:information_source: Nothing changed: ${error.message}.`;
    case 'approval_expired':
      return `:zzz: Too late: ${error.message}.`;
    default:
      return `:no_entry_sign: Your decision was refused (${error.code}): ${error.message}`;
  }
}

// Only the user sees it: an ephemeral message in the channel where they clicked; in their DM with the
// app (where a DM'd approval request is), a plain message; otherwise a DM opened for it.
async function tellPrivately(client: SlackClient, user: string, channel: string | undefined, text: string): Promise<void> {
  if (channel && !channel.startsWith('D')) {
    await client.call('chat.postEphemeral', { channel, user, text });
    return;
  }
  await client.call('chat.postMessage', { channel: channel ?? (await openDirectMessage(client, user)), text });
}
