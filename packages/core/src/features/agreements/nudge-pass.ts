import { teamLeads } from '../../records/identity/viewer.js';
import { dueNudgesOf, type NudgePass } from './due-nudges.js';
import { type DueNudge, NUDGES_REQUESTER, type NudgePassDeps, type NudgeRound, nudgeEmail, nudgeMessage, pair } from './nudges.js';

/** What `proposeAll` answers: per proposal, its approval, an error, or `skipped` (claimed elsewhere first). */
type ProposalOutcomes = Awaited<ReturnType<NudgePassDeps['actions']['proposeAll']>>;

/**
 * Runs one nudges pass at the clock's now: for each working agreement, the open signals of its kind (and teams) that
 * nobody acknowledged and that are not snoozed, open longer than `after` (the nudge) or `escalate.after` (the
 * escalation), are proposed as messages to their recipients through the policy: `slack.dm.send` to a person,
 * `email.send` to a person Slack cannot reach (no Slack account, or no Slack connector) who has an email address and
 * an email connector, `slack.message.post` to the agreement's `channel` for `team`. Each (agreement, signal, recipient, stage) is claimed in
 * the database in the transaction that writes its approval (all of a pass's in one), so it goes out at most once
 * whatever restarts or other processes do; a recipient outside their working hours (their time zone, else the
 * workspace's) is left for a later pass.
 */
export async function runNudgePass(deps: NudgePassDeps, options: { dryRun?: boolean } = {}): Promise<NudgeRound> {
  const { store, workspace, agreements } = deps;
  const now = deps.clock().getTime();
  const round: NudgeRound = { at: new Date(now).toISOString(), sent: [], deferred: 0, skipped: [], failed: [] };
  if (options.dryRun) round.due = [];
  if (agreements.length === 0) return round;
  // A dry run writes nothing, not even when an agreement started (deciding what is due does not read it).
  if (!options.dryRun) await recordAgreementStarts(deps, now);
  const pass: NudgePass = {
    now,
    known: new Set(deps.actions.list().map((a) => a.type)),
    // A team's leads by the one definition the reading rule uses: `teams[].leads` and the approvers who are members.
    leads: await teamLeads(store, workspace, deps.approvers ?? []),
    round,
  };
  /** The nudges due now, in the order they are proposed. */
  const dueNudges: DueNudge[] = [];
  for (const agreement of agreements) dueNudges.push(...(await dueNudgesOf(deps, pass, agreement)));
  if (round.due) {
    for (const item of dueNudges)
      round.due.push({
        agreement: item.agreement.id,
        signal: item.signal.fingerprint,
        stage: item.stage,
        recipient: item.recipient,
        via: item.type,
      });
    return round;
  }
  if (dueNudges.length === 0) return round;
  const outcomes = await proposeNudges(deps, dueNudges, now);
  recordOutcomes(deps, dueNudges, outcomes, round);
  return round;
}

/** When each agreement started: the first pass that saw it (written only while one is missing). */
async function recordAgreementStarts(deps: NudgePassDeps, now: number): Promise<void> {
  const { store, workspace, agreements } = deps;
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
}

/**
 * Proposes every nudge of the pass at once: one approval and ledger entry each, all written in one transaction with
 * their claims. A claim is a row of `agreement_nudges` (its primary key: agreement, signal, when it opened,
 * recipient, stage) holding the approval's id; only the rows this pass inserted come back, so of two processes (or
 * a pass after a restart) one proposes each, and a claim never exists without its approval.
 */
async function proposeNudges(deps: NudgePassDeps, dueNudges: readonly DueNudge[], now: number): Promise<ProposalOutcomes> {
  return deps.actions.proposeAll(
    dueNudges.map((item) => {
      // The signal's title may quote a PR's or an issue's title: shown as the policy's `pii_redaction` says.
      const signal = deps.redact ? { ...item.signal, title: deps.redact(item.signal.title) } : item.signal;
      const params =
        item.type === 'email.send'
          ? { to: item.email, ...nudgeEmail(item.agreement, signal, item.stage, now) }
          : item.channel !== undefined
            ? { channel: item.channel, ...nudgeMessage(item.agreement, signal, item.stage, now) }
            : { user: item.slack, ...nudgeMessage(item.agreement, signal, item.stage, now) };
      return {
        type: item.type,
        target: item.channel ?? item.recipient,
        params,
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
            deps.workspace,
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
}

/** Counts each proposal into the round: sent, failed (tried again by a later pass), or claimed elsewhere first. */
function recordOutcomes(deps: NudgePassDeps, dueNudges: readonly DueNudge[], outcomes: ProposalOutcomes, round: NudgeRound): void {
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
}
