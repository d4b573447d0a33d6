import type { Logger } from '../../kernel/logger.js';
import type { Approval } from '../../kernel/model/derived.js';
import { parseDuration } from '../../kernel/model/duration.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, text } from '../../kernel/store/row-decoder.js';
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
}

interface Deps {
  store: Store;
  workspace: string;
  clock: () => Date;
  log: Logger;
  agreements: readonly Agreement[];
  workingHours: WorkingHours;
  actions: Pick<Actions, 'list'> & { proposeAll: ProposeAll };
  /** Called once per nudge proposed (the `teamstate_nudges_total` counter). */
  onNudge?: (stage: NudgeStage) => void;
  /** The wellbeing detectors' kinds, and whether `recipient` may read `person`'s wellbeing (the reading rule). */
  wellbeing?: { kinds: readonly string[]; mayRead(recipient: string, person: string): Promise<boolean> };
}

const candidate = columns({
  fingerprint: text,
  subject_type: text,
  subject_id: text,
  team_id: nullable(text),
  title: text,
  evidence: text,
  first_seen_at: integer,
});
const pair = columns({ a: text, b: text });
const personRow = columns({ id: text, time_zone: nullable(text), slack: nullable(text) });

type Candidate = ReturnType<typeof candidate.all>[number];

/** The recipients of a notify value: one or a list. */
export const recipientsOf = (notify: Agreement['notify']): readonly AgreementRecipient[] => (Array.isArray(notify) ? notify : [notify]);

/**
 * Runs one nudges pass at the clock's now: for each working agreement, the open signals of its kind (and teams) that
 * nobody acknowledged and that are not snoozed, open longer than `after` (the nudge) or `escalate.after` (the
 * escalation), are proposed as Slack messages to their recipients through the policy: `slack.dm.send` to a person,
 * `slack.message.post` to the agreement's `channel` for `team`. Each (agreement, signal, recipient, stage) is claimed in
 * the database in the transaction that writes its approval (all of a pass's in one), so it goes out at most once
 * whatever restarts or other processes do; a recipient outside their working hours (their time zone, else the
 * workspace's) is left for a later pass.
 */
export async function runNudgePass(deps: Deps): Promise<NudgeRound> {
  const { store, workspace, agreements } = deps;
  const now = deps.clock().getTime();
  const round: NudgeRound = { at: new Date(now).toISOString(), sent: [], deferred: 0, skipped: [], failed: [] };
  if (agreements.length === 0) return round;
  // When each agreement started: the first pass that saw it (written only while one is missing).
  const { rows: starts } = await store.execute('SELECT agreement_id AS a, agreement_id AS b FROM agreement_starts WHERE workspace = ?', [
    workspace,
  ]);
  const started = new Set(pair.all(starts).map((row) => row.a));
  if (agreements.some((agreement) => !started.has(agreement.id)))
    await store.write(async (tx) => {
      await tx.execute({
        sql: `INSERT INTO agreement_starts (workspace, agreement_id, started_at) SELECT ?, value, ? FROM json_each(?) WHERE true
              ON CONFLICT (workspace, agreement_id) DO NOTHING`,
        args: [workspace, now, JSON.stringify(agreements.map((a) => a.id))],
      });
    });
  const known = new Set(deps.actions.list().map((a) => a.type));
  const leads = await pairs(store, 'SELECT team_id AS a, person_id AS b FROM team_leads WHERE workspace = ?', [workspace]);
  /** The nudges due now, in the order they are proposed. */
  const dueNudges: {
    agreement: Agreement;
    signal: Candidate;
    stage: NudgeStage;
    recipient: string;
    type: string;
    slack?: string;
    channel?: string;
  }[] = [];
  for (const agreement of agreements) {
    const after = parseDuration(agreement.after)!;
    const escalateAfter = agreement.escalate ? parseDuration(agreement.escalate.after)! : undefined;
    const { rows } = await store.execute(
      `SELECT fingerprint, subject_type, subject_id, team_id, title, evidence, first_seen_at FROM signals
       WHERE workspace = ? AND status = 'open' AND kind = ? AND acked_at IS NULL AND (snoozed_until IS NULL OR snoozed_until <= ?)
         AND first_seen_at <= ?${agreement.teams ? ' AND team_id IN (SELECT value FROM json_each(?))' : ''}
       ORDER BY first_seen_at, fingerprint`,
      [workspace, agreement.signal, now, now - after, ...(agreement.teams ? [JSON.stringify(agreement.teams)] : [])],
    );
    const signals = candidate.all(rows);
    if (signals.length === 0) continue;
    const stages: { stage: NudgeStage; notify: readonly AgreementRecipient[]; due: Candidate[] }[] = [
      { stage: 'nudge', notify: recipientsOf(agreement.notify), due: signals },
    ];
    if (agreement.escalate && escalateAfter !== undefined) {
      const due = signals.filter((s) => s.first_seen_at <= now - escalateAfter);
      if (due.length > 0) stages.push({ stage: 'escalate', notify: recipientsOf(agreement.escalate.notify), due });
    }
    const people = await recipientsFor(store, workspace, signals, new Set(stages.flatMap((s) => s.notify)));
    // What was sent before for these signals (one read, by key), so that only new (signal, recipient, stage) are claimed.
    const { rows: sentRows } = await store.execute(
      `SELECT fingerprint, opened_at, recipient, stage FROM agreement_nudges WHERE workspace = ? AND agreement_id = ?
         AND fingerprint IN (SELECT value FROM json_each(?))`,
      [workspace, agreement.id, JSON.stringify(signals.map((s) => s.fingerprint))],
    );
    const sent = new Set(sentRows.map((r) => `${r.fingerprint}\u0000${r.opened_at}\u0000${r.recipient}\u0000${r.stage}`));
    interface Due {
      signal: Candidate;
      stage: NudgeStage;
      recipient: string;
      slack?: string;
      channel?: string;
    }
    const due: Due[] = [];
    const dueRecipients = new Set<string>();
    // A wellbeing signal (a person's after-hours work, overload) reaches only who may read that person's wellbeing.
    const wellbeing = deps.wellbeing?.kinds.includes(agreement.signal) ? deps.wellbeing : undefined;
    for (const { stage, notify, due: stageSignals } of stages)
      for (const signal of stageSignals) {
        const recipients = new Set<string>();
        let team = false;
        for (const who of notify) {
          if (who === 'team') team = true;
          else if (who === 'leads') for (const lead of leads.get(signal.team_id ?? '') ?? []) recipients.add(lead);
          else for (const person of people[who].get(signal.fingerprint) ?? []) recipients.add(person);
        }
        const pending = (recipient: string) =>
          !sent.has(`${signal.fingerprint}\u0000${signal.first_seen_at}\u0000${recipient}\u0000${stage}`);
        const withheld = (recipient: string) =>
          round.skipped.push({ agreement: agreement.id, signal: signal.fingerprint, stage, recipient, reason: 'wellbeing' });
        if (wellbeing) {
          if (team) withheld('team');
          team = false;
          const about = signal.subject_type === 'person' ? signal.subject_id : undefined;
          for (const recipient of [...recipients])
            if (about === undefined || !(await wellbeing.mayRead(recipient, about))) {
              recipients.delete(recipient);
              if (pending(recipient)) withheld(recipient);
            }
        }
        if (team) {
          if (agreement.channel === undefined) {
            if (pending('team'))
              round.skipped.push({ agreement: agreement.id, signal: signal.fingerprint, stage, recipient: 'team', reason: 'no_channel' });
          } else if (pending(`channel:${agreement.channel}`))
            due.push({ signal, stage, recipient: `channel:${agreement.channel}`, channel: agreement.channel });
        }
        for (const recipient of recipients)
          if (pending(recipient)) {
            due.push({ signal, stage, recipient });
            dueRecipients.add(recipient);
          }
      }
    if (due.length === 0) continue;
    const profiles = await profilesOf(store, workspace, [...dueRecipients]);
    const ready: Due[] = [];
    for (const item of due) {
      if (item.channel !== undefined) {
        if (isWithinWorkingHours(now, deps.workingHours)) ready.push(item);
        else round.deferred += 1;
        continue;
      }
      const profile = profiles.get(item.recipient);
      if (!profile?.slack) {
        round.skipped.push({
          agreement: agreement.id,
          signal: item.signal.fingerprint,
          stage: item.stage,
          recipient: item.recipient,
          reason: 'no_slack_account',
        });
        continue;
      }
      // Quiet hours: only inside the recipient's working hours, in their own time zone.
      if (!isWithinWorkingHours(now, { ...deps.workingHours, timeZone: profile.timeZone ?? deps.workingHours.timeZone })) {
        round.deferred += 1;
        continue;
      }
      ready.push({ ...item, slack: profile.slack });
    }
    if (ready.length === 0) continue;
    const type = (item: Due) => (item.channel !== undefined ? 'slack.message.post' : 'slack.dm.send');
    if (!ready.some((item) => known.has(type(item)))) {
      deps.log.warn(`agreements: ${agreement.id} has nudges due but no Slack connector is configured to send them`);
      continue;
    }
    for (const item of ready)
      dueNudges.push({
        agreement,
        signal: item.signal,
        stage: item.stage,
        recipient: item.recipient,
        type: type(item),
        slack: item.slack,
        channel: item.channel,
      });
  }
  if (dueNudges.length === 0) return round;
  // Every nudge of the pass proposed at once: one approval and ledger entry each, all written in one transaction with
  // their claims. A claim is a row of `agreement_nudges` (its primary key: agreement, signal, when it opened,
  // recipient, stage) holding the approval's id; only the rows this pass inserted come back, so of two processes (or
  // a pass after a restart) one proposes each, and a claim never exists without its approval.
  const outcomes = await deps.actions.proposeAll(
    dueNudges.map((item) => {
      const message = nudgeMessage(item.agreement, item.signal, item.stage, now);
      return {
        type: item.type,
        target: item.channel ?? item.recipient,
        params: item.channel !== undefined ? { channel: item.channel, ...message } : { user: item.slack!, ...message },
        reason: `working agreement ${item.agreement.id}: ${item.stage === 'escalate' ? 'escalation' : 'nudge'} about ${item.signal.fingerprint}`,
        requestedBy: NUDGES_REQUESTER,
      };
    }),
    {
      async claim(tx, candidates) {
        const { rows: inserted } = await tx.execute({
          sql: `INSERT INTO agreement_nudges (workspace, agreement_id, fingerprint, opened_at, recipient, stage, team_id, sent_at, approval_id)
                SELECT ?, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, ?, j.value ->> 7
                FROM json_each(?) j WHERE true
                ON CONFLICT DO NOTHING RETURNING approval_id`,
          args: [
            workspace,
            now,
            JSON.stringify(
              candidates.map(({ index, approvalId }) => {
                const item = dueNudges[index]!;
                return [
                  index,
                  item.agreement.id,
                  item.signal.fingerprint,
                  item.signal.first_seen_at,
                  item.recipient,
                  item.stage,
                  item.signal.team_id,
                  approvalId,
                ];
              }),
            ),
          ],
        });
        const won = new Set(inserted.map((row) => String(row.approval_id)));
        return new Set(candidates.filter((c) => won.has(c.approvalId)).map((c) => c.index));
      },
    },
  );
  for (const [n, item] of dueNudges.entries()) {
    const outcome = outcomes[n]!;
    if ('skipped' in outcome) continue; // claimed by another process (or pass) first
    if ('error' in outcome) {
      // Nothing was claimed: a later pass tries again (a policy that denies it answers with a denied approval, not an error).
      const reason = outcome.error.message;
      deps.log.warn(`agreements: nudge of ${item.recipient} about ${item.signal.fingerprint} failed: ${reason}`);
      round.failed.push({ agreement: item.agreement.id, signal: item.signal.fingerprint, recipient: item.recipient, error: reason });
      continue;
    }
    deps.onNudge?.(item.stage);
    round.sent.push({
      agreement: item.agreement.id,
      signal: item.signal.fingerprint,
      stage: item.stage,
      recipient: item.recipient,
      approval: outcome.approval.id,
      status: outcome.approval.status,
    });
  }
  return round;
}

/** Team (or work item) → people, from a two-column read. */
async function pairs(store: Store, text: string, args: (string | number)[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const { a, b } of pair.all((await store.execute(text, args)).rows)) {
    const list = out.get(a);
    if (list) list.push(b);
    else out.set(a, [b]);
  }
  return out;
}

/**
 * The people each signal's `author`, `assignee` and `reviewers` are (by fingerprint): of a work item, its author, its
 * assignees, and who was asked to review it or reviewed it (but its author; the evidence's `reviewers` too); of a
 * person, that person.
 */
async function recipientsFor(
  store: Store,
  workspace: string,
  signals: readonly Candidate[],
  wanted: ReadonlySet<AgreementRecipient>,
): Promise<Record<'author' | 'assignee' | 'reviewers', Map<string, string[]>>> {
  const out = { author: new Map<string, string[]>(), assignee: new Map<string, string[]>(), reviewers: new Map<string, string[]>() };
  const items = signals.filter((s) => s.subject_type === 'work_item');
  const ids = JSON.stringify(items.map((s) => s.subject_id));
  const authors =
    wanted.has('author') || wanted.has('reviewers')
      ? await pairs(
          store,
          // By id, from the list (a plan on the author index would read every authored work item).
          'SELECT w.id AS a, w.author_id AS b FROM json_each(?) j CROSS JOIN work_items w WHERE w.workspace = ? AND w.id = j.value AND w.author_id IS NOT NULL',
          [ids, workspace],
        )
      : new Map<string, string[]>();
  const assignees = wanted.has('assignee')
    ? await pairs(
        store,
        'SELECT work_item_id AS a, person_id AS b FROM work_item_assignees WHERE workspace = ? AND work_item_id IN (SELECT value FROM json_each(?))',
        [workspace, ids],
      )
    : new Map<string, string[]>();
  const reviewers = wanted.has('reviewers')
    ? await pairs(
        store,
        `SELECT work_item_id AS a, person_id AS b FROM review_requests WHERE workspace = ?1 AND work_item_id IN (SELECT value FROM json_each(?2))
         UNION SELECT work_item_id, reviewer_id FROM reviews WHERE workspace = ?1 AND work_item_id IN (SELECT value FROM json_each(?2))`,
        [workspace, ids],
      )
    : new Map<string, string[]>();
  for (const signal of signals) {
    if (signal.subject_type === 'person') {
      for (const list of Object.values(out)) list.set(signal.fingerprint, [signal.subject_id]);
      continue;
    }
    const evidence = JSON.parse(signal.evidence) as Record<string, unknown>;
    const author = authors.get(signal.subject_id) ?? (typeof evidence.author === 'string' ? [evidence.author] : []);
    out.author.set(signal.fingerprint, author);
    out.assignee.set(signal.fingerprint, assignees.get(signal.subject_id) ?? []);
    const named = Array.isArray(evidence.reviewers) ? evidence.reviewers.filter((r): r is string => typeof r === 'string') : [];
    out.reviewers.set(
      signal.fingerprint,
      [...new Set([...(reviewers.get(signal.subject_id) ?? []), ...named])].filter((r) => !author.includes(r)),
    );
  }
  return out;
}

/** Each person's time zone and Slack user id (one read; accounts by person, not every Slack account for each). */
async function profilesOf(store: Store, workspace: string, ids: readonly string[]) {
  const { rows } = await store.execute(
    `SELECT p.id, p.time_zone,
       (SELECT a.external_id FROM accounts a WHERE a.workspace = p.workspace AND a.person_id = p.id AND +a.provider = 'slack' ORDER BY a.external_id LIMIT 1) AS slack
     FROM people p WHERE p.workspace = ? AND p.id IN (SELECT value FROM json_each(?))`,
    [workspace, JSON.stringify(ids)],
  );
  return new Map(personRow.all(rows).map((r) => [r.id, { timeZone: r.time_zone ?? undefined, slack: r.slack ?? undefined }]));
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
    const { text: _text, blocks: _blocks, ...to } = approval.params;
    return {
      ...approval,
      params: { ...to, text: 'withheld: a nudge about a person’s wellbeing signal' },
      reason: approval.reason.split(fingerprint).join('signal:withheld'),
    };
  });
}
