import { signSlackRequest } from '@teamstate/connectors/slack';
import type { WebhookRequest } from '@teamstate/core';
import { fixture } from './slack-mock.js';

/** The signing secret the interactivity tests configure. */
export const SIGNING_SECRET = 'test-signing-secret';

let sequence = 0;

/** A block_actions payload (from the recorded fixture) for a click on one of teamstate's buttons. */
export function clickPayload(approvalId: string, user: string, actionId: string, channel = 'C0APPROVALS'): Record<string, unknown> {
  const payload = fixture<Record<string, unknown> & { actions: Record<string, unknown>[]; user: Record<string, unknown> }>(
    'interaction.block_actions',
  );
  sequence++;
  return {
    ...payload,
    user: { ...payload.user, id: user },
    container: { ...(payload.container as object), channel_id: channel },
    channel: { id: channel, name: 'approvals' },
    trigger_id: `1772442020.3810.trigger${sequence}`,
    actions: [
      {
        ...payload.actions[0],
        action_id: actionId,
        value: approvalId,
        block_id: `teamstate:${approvalId}`,
        action_ts: `1772442020.${sequence}`,
      },
    ],
  };
}

/** A view_submission payload of the "Approve with changes" modal. */
export function modifyPayload(
  approvalId: string,
  type: string,
  user: string,
  paramsText: string,
  reason: string | null = null,
  channel: string | null = 'C0APPROVALS',
) {
  const payload = fixture<Record<string, unknown> & { view: Record<string, unknown>; user: Record<string, unknown> }>(
    'interaction.view_submission',
  );
  return {
    ...payload,
    user: { ...payload.user, id: user },
    view: {
      ...payload.view,
      private_metadata: JSON.stringify({ approval: approvalId, type, ...(channel ? { channel } : {}) }),
      state: {
        values: {
          params: { json: { type: 'plain_text_input', value: paramsText } },
          reason: { text: { type: 'plain_text_input', value: reason } },
        },
      },
    },
  };
}

/** The request Slack sends: `payload=<json>` form-encoded, signed for `now`. */
export function signedInteraction(payload: unknown, now: Date, secret = SIGNING_SECRET): WebhookRequest {
  const rawBody = Buffer.from(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(secret, rawBody, Math.floor(now.getTime() / 1000)),
    },
    rawBody,
  };
}

/**
 * A `/teamstate` slash command as Slack sends it (the recorded fixture's fields, form-encoded), signed for `now`;
 * `fields` replace the fixture's (`text`, `user_id`, `channel_id`…).
 */
export function signedCommand(fields: Record<string, string>, now: Date, secret = SIGNING_SECRET): WebhookRequest {
  sequence++;
  const form = new URLSearchParams({
    ...fixture<Record<string, string>>('command.teamstate'),
    trigger_id: `1772442050.3810.trigger${sequence}`,
    ...fields,
  });
  const rawBody = Buffer.from(form.toString());
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(secret, rawBody, Math.floor(now.getTime() / 1000)),
    },
    rawBody,
  };
}

/** A view_submission payload of the daily-report modal for `day`. */
export function reportSubmissionPayload(user: string, day: string, text: string | null, blockers: string | null = null) {
  const payload = fixture<Record<string, unknown> & { view: Record<string, unknown>; user: Record<string, unknown> }>(
    'interaction.view_submission',
  );
  sequence++;
  return {
    ...payload,
    user: { ...payload.user, id: user },
    trigger_id: `1772442040.3810.trigger${sequence}`,
    view: {
      ...payload.view,
      id: `V0REPORT${sequence}`,
      callback_id: 'teamstate.report',
      title: { type: 'plain_text', text: 'Daily report', emoji: false },
      private_metadata: JSON.stringify({ day }),
      state: {
        values: {
          report: { text: { type: 'plain_text_input', value: text } },
          blockers: { text: { type: 'plain_text_input', value: blockers } },
        },
      },
    },
  };
}

/** What a person entered in the "Report an AI issue" modal (`null`: left empty). */
export interface FeedbackForm {
  category: string | null;
  text: string | null;
  tool?: string | null;
  paths?: string | null;
}

/** A view_submission payload of the "Report an AI issue" modal about the pull request work item `pr`. */
export function feedbackSubmissionPayload(user: string, pr: string, form: FeedbackForm) {
  const payload = fixture<Record<string, unknown> & { view: Record<string, unknown>; user: Record<string, unknown> }>(
    'interaction.view_submission',
  );
  sequence++;
  const select = (value: string | null | undefined) => ({
    type: 'static_select',
    selected_option: value ? { text: { type: 'plain_text', text: value }, value } : null,
  });
  return {
    ...payload,
    user: { ...payload.user, id: user },
    trigger_id: `1772442060.3810.trigger${sequence}`,
    view: {
      ...payload.view,
      id: `V0FEEDBACK${sequence}`,
      callback_id: 'teamstate.feedback',
      title: { type: 'plain_text', text: 'Report an AI issue', emoji: false },
      private_metadata: JSON.stringify({ pr }),
      state: {
        values: {
          category: { category: select(form.category) },
          text: { text: { type: 'plain_text_input', value: form.text } },
          tool: { tool: select(form.tool) },
          paths: { paths: { type: 'plain_text_input', value: form.paths ?? null } },
        },
      },
    },
  };
}
