import { type Approval, escapeMrkdwn } from '@teamstate/core';

/** Slack mrkdwn escaping (from core), for text that came from outside. */
export { escapeMrkdwn };

/** A Block Kit block, as sent to Slack. */
export type Block = Record<string, unknown>;

/** `action_id`s of the buttons on an approval message. */
export const APPROVAL_ACTIONS = { approve: 'teamstate.approve', decline: 'teamstate.decline', modify: 'teamstate.modify' } as const;
/** `callback_id` of the "Approve with changes" modal. */
export const MODIFY_CALLBACK_ID = 'teamstate.modify';
/** The `event_type` of the metadata on approval messages. */
export const APPROVAL_METADATA_EVENT = 'teamstate_approval';

/** What an approval message shows besides the approval. */
export interface ApprovalMessageOptions {
  /** Slack user ids by person id, to mention the requester and the decider. */
  slackUsers: ReadonlyMap<string, string>;
  /** Offer "Approve with changes" (this instance can check edited params). */
  modifiable: boolean;
  /** Buttons work (the signing secret is configured, so clicks reach `teamstate serve`). */
  interactive: boolean;
}

const SECTION_LIMIT = 3000;
const FIELD_LIMIT = 2000;
const PARAMS_LIMIT = 2600;

// Inside a code block, a ``` in the data would end the block early.
function codeBlock(text: string): string {
  return `\`\`\`${escapeMrkdwn(text).replace(/```/g, '`\u200b`\u200b`')}\`\`\``;
}

/** `text`, cut to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function who(id: string | undefined, users: ReadonlyMap<string, string>): string {
  if (id === undefined) return 'nobody';
  const slackUser = users.get(id);
  return slackUser ? `<@${slackUser}>` : `*${escapeMrkdwn(id)}*`;
}

function when(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${seconds}^{date_short_pretty} at {time}|${iso}>`;
}

function headline(approval: Approval): string {
  const titles: Record<Approval['status'], string> = {
    pending: 'Approval needed',
    approved: 'Approved',
    executing: 'Approved, running',
    executed: 'Approved and done',
    failed: 'Failed',
    declined: 'Declined',
    expired: 'Expired',
    denied: 'Denied by policy',
    auto: 'Running',
  };
  return clip(`${titles[approval.status]}: ${approval.type}`, 150);
}

/**
 * Where the approval stands: a line we compose (mrkdwn, with mentions and dates) and, apart, the words that
 * came from a person or upstream (a decision reason, an error message), shown as plain text.
 */
function status(approval: Approval, users: ReadonlyMap<string, string>): { line: string; words?: string } | undefined {
  const by = who(approval.decidedBy, users);
  const changed = approval.decision === 'modify' ? ' with changes' : '';
  const words = approval.decisionReason ? `Reason: ${clip(approval.decisionReason, 500)}` : undefined;
  switch (approval.status) {
    case 'pending':
      return undefined;
    case 'approved':
      // Only seen where the deciding process could not run it: it runs once a process with its connector picks it up.
      return { line: `:white_check_mark: Approved${changed} by ${by} · waiting to run`, words };
    case 'executing':
      return { line: `:white_check_mark: Approved${changed} by ${by} · running`, words };
    case 'executed':
      return {
        line: `:white_check_mark: Approved${changed} by ${by} · done ${when(approval.executedAt ?? approval.finishedAt ?? approval.decidedAt!)}`,
        words,
      };
    case 'failed':
      return {
        line: `:warning: ${approval.decidedBy ? `Approved${changed} by ${by}, but it` : 'It'} did not run${approval.error ? ` (${approval.error.code})` : ''}`,
        words: approval.error ? clip(approval.error.message, 800) : undefined,
      };
    case 'declined':
      return { line: `:x: Declined by ${by}`, words };
    case 'expired':
      return { line: `:zzz: Expired ${approval.expiresAt ? when(approval.expiresAt) : ''} without a decision` };
    case 'denied':
      return { line: ':no_entry: The policy denies this action' };
    case 'auto':
      return { line: ':gear: Running (the policy allows it without approval)' };
  }
}

/** Text from a person, an assistant or upstream: plain text (no formatting, mentions or links), never mrkdwn. */
/** A `plain_text` object (never read as mrkdwn), clipped to `max` characters. */
export const plain = (text: string, max = SECTION_LIMIT) => ({ type: 'plain_text', text: clip(text, max), emoji: false });

/**
 * The Block Kit message for an approval: what is proposed, on what, by whom and why, the risk, the
 * policy mode, the approvers, the expiry and the exact parameters; while pending, Approve / Decline
 * buttons (and "Approve with changes" where edits can be checked); once decided, who decided and what
 * came of it, without buttons. Everything that came from outside is escaped.
 */
export function approvalMessage(approval: Approval, options: ApprovalMessageOptions): { text: string; blocks: Block[] } {
  const users = options.slackUsers;
  const approvers = approval.approvers.length > 0 ? approval.approvers.join(', ') : 'anyone but the requester';
  const params = JSON.stringify(approval.params, null, 2);
  const shownParams =
    params.length > PARAMS_LIMIT
      ? `${params.slice(0, PARAMS_LIMIT)}\n… (cut; teamstate approvals show ${approval.id} has all of it)`
      : params;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: headline(approval), emoji: true } },
    { type: 'section', text: plain(`${approval.type} on ${approval.target}`) },
    { type: 'section', text: { type: 'mrkdwn', text: `*Proposed by* ${who(approval.requestedBy, users)}. *Why*, in their words:` } },
    { type: 'section', text: plain(approval.reason) },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Risk*\n${approval.risk}` },
        { type: 'mrkdwn', text: `*Policy*\n${approval.mode}` },
        { type: 'mrkdwn', text: `*Expires*\n${approval.expiresAt ? when(approval.expiresAt) : 'never'}` },
        plain(`Who can approve\n${approvers}`, FIELD_LIMIT),
      ],
    },
  ];
  if (approval.escalation) {
    blocks.push({
      type: 'context',
      elements: [plain(`Asked because ${approval.escalation}`)],
    });
  }
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Parameters*\n${codeBlock(shownParams)}` } });
  const where = status(approval, users);
  if (where) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(where.line, SECTION_LIMIT) } });
    if (where.words) blocks.push({ type: 'context', elements: [plain(where.words)] });
  }
  if (approval.status === 'pending' && options.interactive) {
    const approve: Block = {
      type: 'button',
      action_id: APPROVAL_ACTIONS.approve,
      text: { type: 'plain_text', text: 'Approve' },
      style: 'primary',
      value: approval.id,
    };
    if (approval.risk === 'high') {
      approve.confirm = {
        title: { type: 'plain_text', text: 'Approve a high-risk action?' },
        text: plain(`${approval.type} on ${approval.target} runs as soon as you approve.`, 300),
        confirm: { type: 'plain_text', text: 'Approve' },
        deny: { type: 'plain_text', text: 'Cancel' },
      };
    }
    const elements: Block[] = [
      approve,
      {
        type: 'button',
        action_id: APPROVAL_ACTIONS.decline,
        text: { type: 'plain_text', text: 'Decline' },
        style: 'danger',
        value: approval.id,
      },
    ];
    if (options.modifiable) {
      elements.push({
        type: 'button',
        action_id: APPROVAL_ACTIONS.modify,
        text: { type: 'plain_text', text: 'Approve with changes' },
        value: approval.id,
      });
    }
    blocks.push({ type: 'actions', block_id: `teamstate:${approval.id}`, elements });
  }
  const footer =
    approval.status === 'pending'
      ? `\`${approval.id}\` · or approve it in your own terminal with your token: \`teamstate approvals approve ${approval.id}\``
      : `\`${approval.id}\``;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer }] });
  const text = `${headline(approval)} on ${approval.target} (${approval.risk} risk), proposed by ${approval.requestedBy}`;
  return { text: escapeMrkdwn(clip(text, 3000)), blocks };
}

/** What the "Approve with changes" modal carries back on submission. */
export interface ModifyMetadata {
  approval: string;
  type: string;
  /** The message the click came from, to answer there. */
  channel?: string;
}

/** The "Approve with changes" modal: the parameters as editable JSON, and an optional reason. */
export function modifyModal(approval: Approval, metadata: ModifyMetadata): Block {
  const params = JSON.stringify(approval.params, null, 2);
  return {
    type: 'modal',
    callback_id: MODIFY_CALLBACK_ID,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Approve with changes' },
    submit: { type: 'plain_text', text: 'Approve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: plain(`${approval.type} on ${approval.target}\nWhy: ${approval.reason}`) },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Edit the parameters; they are checked again before anything runs.' }] },
      {
        type: 'input',
        block_id: 'params',
        label: { type: 'plain_text', text: 'Parameters (JSON)' },
        element: {
          type: 'plain_text_input',
          action_id: 'json',
          multiline: true,
          max_length: 3000,
          ...(params.length <= 3000 ? { initial_value: params } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'reason',
        optional: true,
        label: { type: 'plain_text', text: 'Why the change' },
        element: { type: 'plain_text_input', action_id: 'text', max_length: 2000 },
      },
    ],
  };
}
