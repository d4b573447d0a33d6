import { z } from 'zod';
import { NotFoundError, TeamStateError, ValidationError } from '../../kernel/errors.js';
import { type Approval, approvalDecisionSchema, type Risk } from '../../kernel/model/derived.js';
import { closest } from '../../kernel/model/suggest.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import { ATTRIBUTES } from '../../kernel/telemetry/telemetry.js';
import { cutText, unstorableText, unstorableTextIssues } from '../../kernel/text/storable-text.js';
import type { DecisionInput } from '../../spec/interaction.js';
import { appendAuditEvent, approvalContentHash, type StatementRunner } from '../audit/index.js';
import { checkActionParams, unstorableInputError } from './action-params.js';
import { type ApprovalDeps, storeReader } from './approval-deps.js';
import { type ApprovalRow, approvalFromRow, loadApprovalRow } from './approval-row.js';
import { expireTransition, transitionApproval } from './approval-transition.js';
import { isListedApprover, personIds, resolvePerson, resolvePersonIgnoringCase } from './approvers.js';
import { claimExecution, runClaimedExecution } from './execute-approval.js';

export type { DecisionInput };

const decisionInputSchema = z.strictObject({
  decision: approvalDecisionSchema,
  by: z.string().min(1).max(200),
  reason: z.string().max(2000).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  authentication: z
    .discriminatedUnion('method', [
      z.strictObject({ method: z.literal('token'), token: z.string().min(1).max(100) }),
      z.strictObject({ method: z.literal('slack'), user: z.string().min(1).max(100) }),
      z.strictObject({ method: z.literal('signin'), account: z.string().min(1).max(300) }),
      z.strictObject({ method: z.literal('local'), osUser: z.string().min(1).max(200) }),
      z.strictObject({ method: z.literal('sdk') }),
    ])
    .optional(),
});

const MAX_ID_LENGTH = 64;
const APPROVAL_ID = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_ID_LENGTH}}$`);
/** The longest refusal message the ledger keeps. */
const MAX_REFUSAL_LENGTH = 1000;

type Checked = { ok: true; personId: string } | { ok: false; error: TeamStateError };

/**
 * Decides a pending approval. Exactly one decision wins: the change is a conditional update in a write
 * transaction, so a second decision (from this or another process) finds the approval no longer pending.
 * A malformed or unknown approval id throws before anything is written. Any other refused decision
 * (malformed input, unknown person, the requester deciding, not an allowed approver, expired or already
 * decided) throws a typed error, changes nothing else and is audited as `approval.decision_refused`. An approval is then executed here if this instance's catalogue has its
 * action type (claimed in the decision's transaction); otherwise it stays `approved` for an instance
 * that has it (`execute()` or `wait()`).
 */
export async function decideApproval(deps: ApprovalDeps, id: string, input: DecisionInput): Promise<Approval> {
  const { store, workspace, clock } = deps;
  // A malformed or unknown id is refused before anything is written: the ledger records decisions on approvals.
  if (typeof id !== 'string' || !APPROVAL_ID.test(id)) {
    throw new TeamStateError(
      'invalid_argument',
      `id: expected an approval id such as apr_3f9c2a17b04e6d85c1a9e2f0 (letters, digits, "_", "-"; at most ${MAX_ID_LENGTH} characters)`,
    );
  }
  // An embedded replica may not have heard of a proposal made on another machine a moment ago: catch up first.
  await store.sync();
  if (!(await loadApprovalRow(storeReader(store), workspace, id))) throw new NotFoundError('approval', id);
  const parsed = decisionInputSchema.safeParse(input);
  const outcome = await store.write(async (tx): Promise<{ error: TeamStateError } | { approval: Approval; claimed: boolean }> => {
    const now = clock().getTime();
    const refuse = async (error: TeamStateError) => {
      const raw: Record<string, unknown> = typeof input === 'object' && input !== null ? { ...input } : {};
      await appendAuditEvent(tx, workspace, now, {
        type: 'approval.decision_refused',
        approvalId: id,
        // Who tried, as a TEXT column can hold it: a "by" that one cannot read back exactly is recorded as unknown.
        actor: typeof raw.by === 'string' && raw.by !== '' && unstorableText(raw.by) === undefined ? cutText(raw.by, 200) : 'unknown',
        data: {
          decision: typeof raw.decision === 'string' ? raw.decision.slice(0, 50) : null,
          code: error.code,
          message: error.message.length > MAX_REFUSAL_LENGTH ? `${error.message.slice(0, MAX_REFUSAL_LENGTH - 1)}…` : error.message,
        },
      });
      return { error };
    };
    const unstorable = unstorableInputError('decision', unstorableTextIssues(input));
    if (unstorable) return refuse(unstorable);
    if (!parsed.success)
      return refuse(new ValidationError('invalid_argument', 'decision', describeZodIssues(decisionInputSchema, parsed.error.issues)));
    const decision = parsed.data;
    const row = await loadApprovalRow(tx, workspace, id);
    if (!row) return refuse(new NotFoundError('approval', id));
    const { status } = row;

    if (status === 'pending' && row.expires_at !== undefined && row.expires_at <= now) {
      await transitionApproval(tx, workspace, now, expireTransition(id, row.expires_at));
      return refuse(expiredError(id, row));
    }
    if (status === 'expired') return refuse(expiredError(id, row));
    if (status !== 'pending') {
      return refuse(
        new TeamStateError('approval_not_pending', `approval ${id} is already ${status}; only a pending approval can be decided`),
      );
    }

    const checked = await checkDecider(deps, tx, row, decision.by);
    if (!checked.ok) return refuse(checked.error);

    let params: Record<string, unknown> | undefined;
    if (decision.decision === 'modify') {
      const modified = validateModifiedParams(deps, row.action_type, decision.params);
      if ('error' in modified) return refuse(modified.error);
      params = modified.params;
    }
    const approved = decision.decision !== 'decline';
    const decided = await transitionApproval(tx, workspace, now, {
      id,
      from: ['pending'],
      to: approved ? 'approved' : 'declined',
      set: {
        decision: decision.decision,
        decided_at: now,
        decided_by: checked.personId,
        decision_reason: decision.reason ?? null,
        ...(params ? { params: JSON.stringify(params) } : {}),
      },
      audit: {
        type: 'approval.decided',
        actor: checked.personId,
        data: {
          decision: decision.decision,
          reason: decision.reason,
          authentication: decision.authentication ?? { method: 'sdk' },
          ...(params ? { params, previousParams: JSON.parse(row.params) } : {}),
          // The exact { type, target, params } this decision approved (or declined): execution and
          // `audit verify` hold the approval row to it.
          contentHash: approvalContentHash({
            type: row.action_type,
            target: row.target,
            params: params ?? (JSON.parse(row.params) as Record<string, unknown>),
          }),
        },
      },
    });
    if (!decided) return refuse(new TeamStateError('approval_not_pending', `approval ${id} was decided by someone else first`));
    // The decider claims the execution in the same transaction when it can run the action, so no
    // waiting process can take it over between the decision and the run.
    const claimed = approved && deps.catalogue.find(row.action_type) !== undefined && (await claimExecution(deps, tx, id));
    return { approval: approvalFromRow((await loadApprovalRow(tx, workspace, id))!), claimed };
  });
  if ('error' in outcome) throw outcome.error;
  deps.notifier.notify(id);
  recordDecision(deps, outcome.approval);
  return outcome.claimed ? runClaimedExecution(deps, id) : outcome.approval;
}

/** `teamstate.approval.latency` and `teamstate.approval.decisions` for a decision just recorded. */
function recordDecision({ telemetry }: ApprovalDeps, approval: Approval): void {
  if (approval.decision === undefined || approval.decidedAt === undefined) return;
  const attributes = { [ATTRIBUTES.actionType]: approval.type, decision: approval.decision };
  telemetry.approvalLatency.record(Math.max(0, Date.parse(approval.decidedAt) - Date.parse(approval.createdAt)), attributes);
  // A person who declines or changes the params overrides what was proposed.
  telemetry.approvalDecisions.add(1, { ...attributes, overridden: approval.decision !== 'approve' });
}

function expiredError(id: string, row: ApprovalRow): TeamStateError {
  return new TeamStateError(
    'approval_expired',
    `approval ${id} expired at ${formatTimestamp(row.expires_at ?? 0)} and can no longer be decided; propose the action again`,
  );
}

// Who may decide: a known person, never the requester, and for `require_approval` one of the approvers
// the proposing policy listed. If this instance runs a different policy, the decision must satisfy it too.
async function checkDecider(deps: ApprovalDeps, tx: StatementRunner, row: ApprovalRow, by: string): Promise<Checked> {
  const { workspace } = deps;
  const personId = await resolvePerson(tx, workspace, by);
  if (!personId) {
    const suggestion = closest(by, await personIds(tx, workspace));
    const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
    return { ok: false, error: new TeamStateError('unknown_approver', `by: "${by}" is not a known person in this workspace${hint}`) };
  }
  const requestedBy = row.requested_by;
  // In any case: an approval proposed before requesters were recorded as their person id may hold `BEN` for `ben`.
  const requesters = await resolvePersonIgnoringCase(tx, workspace, requestedBy);
  if (requesters.includes(personId) || personId === requestedBy || by === requestedBy) {
    return {
      ok: false,
      error: new TeamStateError('self_decision', `${personId} proposed this action and cannot decide it; ask another approver`),
    };
  }
  // Under require_approval, the person an assistant proposed for cannot approve it either.
  const onBehalfOf = row.on_behalf_of;
  const askedBy = onBehalfOf === undefined ? [] : [onBehalfOf, ...(await resolvePersonIgnoringCase(tx, workspace, onBehalfOf))];
  if (row.mode === 'require_approval' && askedBy.includes(personId)) {
    return {
      ok: false,
      error: new TeamStateError(
        'self_decision',
        `${personId} asked for this action (proposed for them by ${requestedBy}) and cannot decide it under require_approval; ask another approver`,
      ),
    };
  }
  const { action_type: type, risk } = row;
  const proposedApprovers = JSON.parse(row.approvers) as string[];
  if (row.mode === 'require_approval' && proposedApprovers.length > 0) {
    if (!(await isListedApprover(tx, workspace, personId, proposedApprovers))) return notAnApprover(personId, risk, proposedApprovers);
  }
  if (deps.policy.hash !== row.policy_hash) {
    const action = deps.catalogue.find(type);
    const ruling = deps.policy.resolve({ type, risk: action?.risk ?? risk, readOnly: action?.readOnly });
    if (ruling.mode === 'deny') {
      return {
        ok: false,
        error: new TeamStateError('policy_denied', `the current policy denies ${type} (rule "${ruling.rule.mode}"); it cannot be approved`),
      };
    }
    if (
      ruling.mode === 'require_approval' &&
      ruling.approvers.length > 0 &&
      !(await isListedApprover(tx, workspace, personId, ruling.approvers))
    ) {
      return notAnApprover(personId, ruling.risk, ruling.approvers);
    }
  }
  return { ok: true, personId };
}

function notAnApprover(personId: string, risk: Risk, approvers: readonly string[]): Checked {
  return {
    ok: false,
    error: new TeamStateError('not_an_approver', `${personId} may not decide ${risk}-risk actions (allowed: ${approvers.join(', ')})`),
  };
}

function validateModifiedParams(
  deps: ApprovalDeps,
  type: string,
  params: Record<string, unknown> | undefined,
): { params: Record<string, unknown> } | { error: TeamStateError } {
  if (params === undefined) return { error: new TeamStateError('invalid_argument', 'params: a modify decision needs the edited params') };
  const action = deps.catalogue.find(type);
  if (!action) {
    return {
      error: new TeamStateError(
        'unknown_action_type',
        `cannot check modified params here: no configured connector declares ${type}; modify it where that connector is configured`,
      ),
    };
  }
  const checked = checkActionParams(action, params, 'modified params');
  return checked.ok ? { params: checked.params } : { error: checked.error };
}
