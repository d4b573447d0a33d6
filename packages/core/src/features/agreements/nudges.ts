import type { Logger } from '../../kernel/logger.js';
import type { Approval } from '../../kernel/model/derived.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
import { emailSubject } from '../../kernel/text/email-subject.js';
import { escapeMrkdwn } from '../../kernel/text/escape-mrkdwn.js';
import type { Actions, AgreementRecipient, PolicyDocument, ProposeAll } from '../../services/approvals/index.js';
import { isWithinWorkingHours, type WorkingHours } from '../../services/working-hours/index.js';

/** One working agreement of the policy (`agreements:`). */
export type Agreement = NonNullable<PolicyDocument['agreements']>[number];

/** A stage of an agreement: the first nudge, or the escalation. */
export type NudgeStage = 'nudge' | 'escalate';

/** Who proposes nudges on the approval ledger; that requester can never approve one. */
export const NUDGES_REQUESTER = 'teamstate-nudges';

/** The `action_id`s of the buttons on a nudge (the Slack connector answers them). */
export const SIGNAL_ACTIONS = { ack: 'teamstate.signal.ack', snooze: 'teamstate.signal.snooze' } as const;

/** How long the Snooze button of a nudge snoozes a signal. */
export const NUDGE_SNOOZE = '1d';

/** What one nudges pass did. */
export interface NudgeRound {
  at: string;
  /** Nudges proposed (sent where the policy says `auto`), by agreement, stage and recipient. */
  sent: { agreement: string; signal: string; stage: NudgeStage; recipient: string; approval: string; status: string }[];
  /** Due but outside the recipient's working hours: they go out in a later pass. */
  deferred: number;
  /** Due but impossible to send: a person without a linked Slack account, a `team` recipient without a channel. */
  skipped: {
    agreement: string;
    signal: string;
    stage: NudgeStage;
    recipient: string;
    /** `wellbeing`: a wellbeing signal goes only to people who may read the person's wellbeing, never to a channel. */
    reason: 'no_slack_account' | 'no_channel' | 'wellbeing';
  }[];
  /** Proposals that failed (retried in a later pass), with the reason. */
  failed: { agreement: string; signal: string; recipient: string; error: string }[];
  /** A dry run only: the nudges this pass would propose (nothing was proposed, claimed or recorded). */
  due?: {
    agreement: string;
    signal: string;
    stage: NudgeStage;
    recipient: string;
    via: 'slack.dm.send' | 'slack.message.post' | 'email.send';
  }[];
}

/** What a nudges pass runs with. */
export interface NudgePassDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
  log: Logger;
  agreements: readonly Agreement[];
  /** The policy's approver references (person ids, `team:<id>`): those who are members lead their teams. */
  approvers?: readonly string[];
  workingHours: WorkingHours;
  actions: Pick<Actions, 'list'> & { proposeAll: ProposeAll };
  /** Called once per nudge proposed (the `teamstate_nudges_total` counter). */
  onNudge?: (stage: NudgeStage) => void;
  /** The wellbeing detectors' kinds, and whether `recipient` may read `person`'s wellbeing (the reading rule). */
  wellbeing?: { kinds: readonly string[]; mayRead(recipient: string, person: string): Promise<boolean> };
  /** The policy's free-text redaction (`limits.pii_redaction`), for what a nudge quotes. */
  redact?: (text: string) => string;
}

/** An open signal an agreement may nudge about. */
export const candidate = columns({
  fingerprint: text,
  subject_type: text,
  subject_id: text,
  team_id: nullable(text),
  title: text,
  evidence: text,
  first_seen_at: integer,
});

export type Candidate = ReturnType<typeof candidate.all>[number];

/** A two-column read: a key and a value. */
export const pair = columns({ a: text, b: text });

/**
 * A nudge due now, as it is proposed: to a person's Slack user (`slack`), to their email address (`email`: a person
 * Slack cannot reach) or to the agreement's `channel`.
 */
export interface DueNudge {
  agreement: Agreement;
  signal: Candidate;
  stage: NudgeStage;
  recipient: string;
  /** `slack.dm.send`, `slack.message.post` or `email.send`. */
  type: 'slack.dm.send' | 'slack.message.post' | 'email.send';
  slack?: string;
  email?: string;
  channel?: string;
}

/** Who an agreement notifies: a role of the signal's subject, its team's leads, or `team`. */
export type NudgeRecipient = AgreementRecipient;

/** The recipients of a notify value: one or a list. */
export const recipientsOf = (notify: Agreement['notify']): readonly NudgeRecipient[] => (Array.isArray(notify) ? notify : [notify]);

/** Whether `now` is inside the working hours, in `timeZone` when given (a recipient's own), else the workspace's. */
export function withinWorkingHours(workingHours: WorkingHours, now: number, timeZone?: string): boolean {
  return isWithinWorkingHours(now, timeZone === undefined ? workingHours : { ...workingHours, timeZone });
}

/**
 * The message of a nudge: the signal's title (escaped: it may quote a PR title), how long it has been open, and the
 * buttons Acknowledge and Snooze (their value is the signal's id).
 */
export function nudgeMessage(
  agreement: Agreement,
  signal: Pick<Candidate, 'fingerprint' | 'title' | 'first_seen_at'>,
  stage: NudgeStage,
  now: number,
) {
  const hours = Math.max(0, Math.round((now - signal.first_seen_at) / 3_600_000));
  const open = hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} hours`;
  const lead = stage === 'escalate' ? 'Escalation' : 'Nudge';
  const text = `${lead} (working agreement ${escapeMrkdwn(agreement.id)}): ${escapeMrkdwn(signal.title)}. Open for ${open}.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${lead}* · working agreement \`${escapeMrkdwn(agreement.id)}\`` } },
      { type: 'section', text: { type: 'plain_text', text: `${signal.title}. Open for ${open}.`.slice(0, 2900), emoji: false } },
      {
        type: 'actions',
        block_id: 'teamstate.signal',
        elements: [
          {
            type: 'button',
            action_id: SIGNAL_ACTIONS.ack,
            text: { type: 'plain_text', text: 'Acknowledge' },
            style: 'primary',
            value: signal.fingerprint,
          },
          {
            type: 'button',
            action_id: SIGNAL_ACTIONS.snooze,
            text: { type: 'plain_text', text: 'Snooze 1 day' },
            value: signal.fingerprint,
          },
        ],
      },
    ],
  };
}

/**
 * The email of a nudge (`email.send`, for a person Slack cannot reach): the signal's title as it is (plain text; the
 * email connector escapes its HTML part), how long it has been open, and how to acknowledge or snooze it.
 */
export function nudgeEmail(
  agreement: Agreement,
  signal: Pick<Candidate, 'fingerprint' | 'title' | 'first_seen_at'>,
  stage: NudgeStage,
  now: number,
): { subject: string; text: string } {
  const hours = Math.max(0, Math.round((now - signal.first_seen_at) / 3_600_000));
  const open = hours >= 48 ? `${Math.round(hours / 24)} days` : `${hours} hours`;
  const lead = stage === 'escalate' ? 'Escalation' : 'Nudge';
  return {
    subject: emailSubject(`${lead}: ${signal.title}`),
    text: [
      `${lead} (working agreement ${agreement.id}): ${signal.title}. Open for ${open}.`,
      '',
      `Acknowledge it: teamstate signals ack ${signal.fingerprint}`,
      `Snooze it for a day: teamstate signals snooze ${signal.fingerprint} --for ${NUDGE_SNOOZE}`,
      '',
      'You receive this because a working agreement of your team names you, and you are not on Slack.',
    ].join('\n'),
  };
}

/**
 * The nudge approvals among `approvals` as a viewer reads them: a nudge about a signal in `withheld` (a person's
 * wellbeing they may not read) keeps its recipient and status but not its message or the signal it names. Approvals
 * are readable to every viewer; the message went only to who may read it.
 */
export async function nudgeApprovalsForViewer(
  store: Pick<Store, 'execute'>,
  workspace: string,
  approvals: Approval[],
  withheld: (fingerprints: ReadonlySet<string>) => Promise<ReadonlySet<string>>,
): Promise<Approval[]> {
  const ids = approvals.filter((approval) => approval.requestedBy === NUDGES_REQUESTER).map((approval) => approval.id);
  if (ids.length === 0) return approvals;
  const { rows } = await store.execute(
    'SELECT approval_id AS a, fingerprint AS b FROM agreement_nudges WHERE workspace = ? AND approval_id IN (SELECT value FROM json_each(?))',
    [workspace, JSON.stringify(ids)],
  );
  const about = new Map(pair.all(rows).map((row) => [row.a, row.b]));
  const hidden = await withheld(new Set(about.values()));
  if (hidden.size === 0) return approvals;
  return approvals.map((approval) => {
    const fingerprint = about.get(approval.id);
    if (fingerprint === undefined || !hidden.has(fingerprint)) return approval;
    const { text: _text, blocks: _blocks, subject: _subject, ...to } = approval.params;
    return {
      ...approval,
      params: { ...to, text: 'withheld: a nudge about a person’s wellbeing signal' },
      reason: approval.reason.split(fingerprint).join('signal:withheld'),
    };
  });
}
