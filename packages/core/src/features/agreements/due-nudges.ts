import { parseDuration } from '../../kernel/model/duration.js';
import { profilesOf, recipientsFor } from './nudge-recipients.js';
import {
  type Agreement,
  type Candidate,
  candidate,
  type DueNudge,
  type NudgePassDeps,
  type NudgeRecipient,
  type NudgeRound,
  type NudgeStage,
  recipientsOf,
  withinWorkingHours,
} from './nudges.js';

/** What a pass knows before it looks at any agreement; `round` collects what it defers and skips. */
export interface NudgePass {
  now: number;
  /** The action types this instance can propose. */
  known: ReadonlySet<string>;
  /** Each team's leads. */
  leads: ReadonlyMap<string, string[]>;
  round: NudgeRound;
}

/** A stage of an agreement and the signals due at it. */
interface Stage {
  stage: NudgeStage;
  notify: readonly NudgeRecipient[];
  due: Candidate[];
}

/** A nudge due to a recipient, before their profile says whether (and where) it can go now. */
interface Due {
  signal: Candidate;
  stage: NudgeStage;
  recipient: string;
  slack?: string;
  email?: string;
  channel?: string;
}

/** What deciding a signal's recipients reads: the people of each signal and what was sent before. */
interface Audience {
  agreement: Agreement;
  people: Awaited<ReturnType<typeof recipientsFor>>;
  /** `fingerprint, opened_at, recipient, stage` of every nudge sent before, joined by NUL. */
  sent: ReadonlySet<string>;
  /** The reading rule, when the agreement's signal is a wellbeing one. */
  wellbeing: NudgePassDeps['wellbeing'];
}

/** How a nudge is sent: a message to a channel, an email, or a DM. */
const nudgeType = (item: Due): DueNudge['type'] =>
  item.channel !== undefined ? 'slack.message.post' : item.email !== undefined ? 'email.send' : 'slack.dm.send';

/**
 * The nudges of one agreement due now, in the order they are proposed: for each stage, the open signals old enough,
 * to each recipient not nudged yet about them, inside their working hours and with a way to reach them.
 */
export async function dueNudgesOf(deps: NudgePassDeps, pass: NudgePass, agreement: Agreement): Promise<DueNudge[]> {
  const signals = await openSignalsFor(deps, agreement, pass.now);
  if (signals.length === 0) return [];
  const stages = stagesOf(agreement, signals, pass.now);
  const audience: Audience = {
    agreement,
    people: await recipientsFor(deps.store, deps.workspace, signals, new Set(stages.flatMap((s) => s.notify))),
    sent: await sentBefore(deps, agreement, signals),
    // A wellbeing signal (a person's after-hours work, overload) reaches only who may read that person's wellbeing.
    wellbeing: deps.wellbeing?.kinds.includes(agreement.signal) ? deps.wellbeing : undefined,
  };
  const due: Due[] = [];
  for (const { stage, notify, due: stageSignals } of stages)
    for (const signal of stageSignals) due.push(...(await dueForSignal(pass, audience, stage, notify, signal)));
  if (due.length === 0) return [];
  const ready = await readyToSend(deps, pass, agreement, due);
  if (ready.length === 0) return [];
  if (!ready.some((item) => pass.known.has(nudgeType(item)))) {
    deps.log.warn(`agreements: ${agreement.id} has nudges due but no Slack (or email) connector is configured to send them`);
    return [];
  }
  return ready.map((item) => ({
    agreement,
    signal: item.signal,
    stage: item.stage,
    recipient: item.recipient,
    type: nudgeType(item),
    slack: item.slack,
    email: item.email,
    channel: item.channel,
  }));
}

/** The open signals of the agreement's kind (and teams), unacknowledged, not snoozed, open longer than `after`. */
async function openSignalsFor(deps: NudgePassDeps, agreement: Agreement, now: number): Promise<Candidate[]> {
  // The policy's agreements were checked when it loaded: `after` is a duration.
  const after = parseDuration(agreement.after)!;
  const { rows } = await deps.store.execute(
    `SELECT fingerprint, subject_type, subject_id, team_id, title, evidence, first_seen_at FROM signals
     WHERE workspace = ? AND status = 'open' AND kind = ? AND acked_at IS NULL AND (snoozed_until IS NULL OR snoozed_until <= ?)
       AND first_seen_at <= ?${agreement.teams ? ' AND team_id IN (SELECT value FROM json_each(?))' : ''}
     ORDER BY first_seen_at, fingerprint`,
    [deps.workspace, agreement.signal, now, now - after, ...(agreement.teams ? [JSON.stringify(agreement.teams)] : [])],
  );
  return candidate.all(rows);
}

/** The nudge stage (every signal) and, for signals open longer than `escalate.after`, the escalation. */
function stagesOf(agreement: Agreement, signals: Candidate[], now: number): Stage[] {
  const stages: Stage[] = [{ stage: 'nudge', notify: recipientsOf(agreement.notify), due: signals }];
  const escalateAfter = agreement.escalate ? parseDuration(agreement.escalate.after)! : undefined;
  if (agreement.escalate && escalateAfter !== undefined) {
    const due = signals.filter((s) => s.first_seen_at <= now - escalateAfter);
    if (due.length > 0) stages.push({ stage: 'escalate', notify: recipientsOf(agreement.escalate.notify), due });
  }
  return stages;
}

/** What was sent before for these signals (one read, by key), so that only new (signal, recipient, stage) are claimed. */
async function sentBefore(deps: NudgePassDeps, agreement: Agreement, signals: readonly Candidate[]): Promise<Set<string>> {
  const { rows: sentRows } = await deps.store.execute(
    `SELECT fingerprint, opened_at, recipient, stage FROM agreement_nudges WHERE workspace = ? AND agreement_id = ?
       AND fingerprint IN (SELECT value FROM json_each(?))`,
    [deps.workspace, agreement.id, JSON.stringify(signals.map((s) => s.fingerprint))],
  );
  return new Set(sentRows.map((r) => `${r.fingerprint}\u0000${r.opened_at}\u0000${r.recipient}\u0000${r.stage}`));
}

/**
 * The recipients of one signal at one stage not nudged yet: people, and the agreement's channel for `team`. A
 * wellbeing signal goes to no channel and only to who may read the person's wellbeing; the others are skipped.
 */
async function dueForSignal(
  pass: NudgePass,
  audience: Audience,
  stage: NudgeStage,
  notify: readonly NudgeRecipient[],
  signal: Candidate,
): Promise<Due[]> {
  const { agreement, people, sent, wellbeing } = audience;
  const recipients = new Set<string>();
  let team = false;
  for (const who of notify) {
    if (who === 'team') team = true;
    else if (who === 'leads') for (const lead of pass.leads.get(signal.team_id ?? '') ?? []) recipients.add(lead);
    else for (const person of people[who].get(signal.fingerprint) ?? []) recipients.add(person);
  }
  const pending = (recipient: string) => !sent.has(`${signal.fingerprint}\u0000${signal.first_seen_at}\u0000${recipient}\u0000${stage}`);
  const withheld = (recipient: string) =>
    pass.round.skipped.push({ agreement: agreement.id, signal: signal.fingerprint, stage, recipient, reason: 'wellbeing' });
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
  const due: Due[] = [];
  if (team) {
    if (agreement.channel === undefined) {
      if (pending('team'))
        pass.round.skipped.push({ agreement: agreement.id, signal: signal.fingerprint, stage, recipient: 'team', reason: 'no_channel' });
    } else if (pending(`channel:${agreement.channel}`))
      due.push({ signal, stage, recipient: `channel:${agreement.channel}`, channel: agreement.channel });
  }
  for (const recipient of recipients) if (pending(recipient)) due.push({ signal, stage, recipient });
  return due;
}

/**
 * The due nudges that can go now: a channel's inside the workspace's working hours, a person's inside theirs (in
 * their own time zone) and only with a way to reach them: their linked Slack account, else (no Slack account, or no
 * Slack connector) their email address when an email connector is configured; the others are deferred or skipped.
 */
async function readyToSend(deps: NudgePassDeps, pass: NudgePass, agreement: Agreement, due: readonly Due[]): Promise<Due[]> {
  const { now, round } = pass;
  const people = new Set(due.filter((item) => item.channel === undefined).map((item) => item.recipient));
  const profiles = await profilesOf(deps.store, deps.workspace, [...people]);
  const ready: Due[] = [];
  for (const item of due) {
    if (item.channel !== undefined) {
      if (withinWorkingHours(deps.workingHours, now)) ready.push(item);
      else round.deferred += 1;
      continue;
    }
    const profile = profiles.get(item.recipient);
    const slack = profile?.slack !== undefined && pass.known.has('slack.dm.send') ? profile.slack : undefined;
    const email = slack === undefined && pass.known.has('email.send') ? profile?.email : undefined;
    if (!profile || (!profile.slack && email === undefined)) {
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
    if (!withinWorkingHours(deps.workingHours, now, profile.timeZone)) {
      round.deferred += 1;
      continue;
    }
    ready.push(email !== undefined ? { ...item, email } : { ...item, slack: profile.slack });
  }
  return ready;
}
