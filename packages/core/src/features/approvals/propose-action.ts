import { randomBytes, randomUUID } from 'node:crypto';
import type { Span } from '@opentelemetry/api';
import { z } from 'zod';
import { errorMessage, TeamStateError, ValidationError } from '../../kernel/errors.js';
import { idSchema } from '../../kernel/model/common.js';
import type { Approval, ApprovalStatus } from '../../kernel/model/derived.js';
import { closest } from '../../kernel/model/suggest.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import { ATTRIBUTES, inSpan, SPANS } from '../../kernel/telemetry/telemetry.js';
import { cutText, storableText, unstorableTextIssues } from '../../kernel/text/storable-text.js';
import type { ActionContext, ActionType } from '../../spec/action-type.js';
import type { ActionProposal } from '../../spec/interaction.js';
import { appendAuditEvent, canonicalJson } from '../audit/index.js';
import { checkActionParams, unstorableInputError } from './action-params.js';
import { type ApprovalDeps, actionContext, storeReader, toJsonValue } from './approval-deps.js';
import { approvalFromRow, approvalRow, loadApprovalRow } from './approval-row.js';
import { personIds, resolvePersonIgnoringCase } from './approvers.js';
import { claimExecution, runClaimedExecution } from './execute-approval.js';

export type { ActionProposal } from '../../spec/interaction.js';

const proposalSchema = z.strictObject({
  type: z.string().min(1, { error: 'must not be empty' }),
  target: z.string().min(1, { error: 'must not be empty' }).max(500),
  params: z.record(z.string(), z.unknown()),
  reason: z.string().min(1, { error: 'must say why' }).max(2000),
  requestedBy: idSchema,
  onBehalfOf: idSchema.optional(),
});

const STATUS_BY_MODE = { auto: 'auto', ask: 'pending', require_approval: 'pending', deny: 'denied' } as const satisfies Record<
  string,
  ApprovalStatus
>;

/**
 * Records a proposed action as an approval, as the policy says: `auto` executes it at once, `ask` and
 * `require_approval` leave it `pending` until a person decides (or its TTL passes), `deny` records it as
 * `denied`. Unknown action types, params failing the schema and failed preconditions are refused with a
 * typed error before anything is stored.
 */
export function proposeAction(deps: ApprovalDeps, input: ActionProposal): Promise<Approval> {
  return inSpan(SPANS.propose, {}, async (span) => {
    const approval = await propose(deps, input, span);
    span.setAttributes({
      [ATTRIBUTES.approvalId]: approval.id,
      [ATTRIBUTES.actionType]: approval.type,
      [ATTRIBUTES.status]: approval.status,
      'teamstate.approval.mode': approval.mode,
      'teamstate.approval.risk': approval.risk,
    });
    return approval;
  });
}

async function propose(deps: ApprovalDeps, input: ActionProposal, span: Span): Promise<Approval> {
  const { store, workspace, clock, policy, catalogue } = deps;
  // Text a TEXT column would not read back exactly (a NUL, a lone surrogate) is refused before anything else: stored,
  // the approval would differ from its ledger entry for good.
  const unstorable = unstorableInputError('proposal', unstorableTextIssues(input));
  if (unstorable) throw unstorable;
  const parsed = proposalSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('invalid_argument', 'proposal', describeZodIssues(proposalSchema, parsed.error.issues));
  const proposal = { ...parsed.data, ...(await canonicalPeople(deps, parsed.data)) };
  const action = catalogue.get(proposal.type);
  const checked = checkActionParams(action, proposal.params, 'params');
  if (!checked.ok) throw checked.error;
  const { params } = checked;
  // The same proposal while the first still waits for a person (an assistant retrying, a double click)
  // is the first one: one approval to decide, not two.
  const waiting = await pendingTwin(deps, { ...proposal, type: action.type, params });
  if (waiting) return waiting;
  let ruling = policy.resolve(action);
  const id = `apr_${randomBytes(12).toString('hex')}`;
  deps.telemetry.rememberProposal(id, span);
  const idempotencyKey = randomUUID();
  const ctx = actionContext(deps, {
    approvalId: id,
    idempotencyKey,
    requestedBy: proposal.requestedBy,
    target: proposal.target,
    deadline: new Date(clock().getTime() + ruling.ttlMs),
  });

  let proposedState: unknown;
  if (ruling.mode !== 'deny' && action.precondition) {
    const check = await action.precondition(params, ctx);
    if (!check.ok) throw new TeamStateError('precondition_failed', `${action.type}: ${check.reason}`);
    proposedState = check.state === undefined ? undefined : toJsonValue(check.state);
  }
  // An action type can raise `auto` to `ask` for particular params (posting to a large channel).
  const escalation = ruling.mode === 'auto' && action.escalate ? await escalationOf(action, params, ctx) : undefined;
  if (escalation !== undefined) ruling = { ...ruling, mode: 'ask' };

  const status = STATUS_BY_MODE[ruling.mode];
  const approvers = ruling.mode === 'require_approval' ? ruling.approvers : [];
  const stored = await store.write(async (tx) => {
    const now = clock().getTime();
    const expiresAt = status === 'pending' ? now + ruling.ttlMs : null;
    const denied = status === 'denied';
    await tx.execute({
      sql: `INSERT INTO approvals (workspace, id, action_type, target, params, reason, requested_by, status, mode, risk, policy_hash,
              approvers, idempotency_key, preconditions, created_at, expires_at, decided_at, decided_by, decision_reason, escalation,
              on_behalf_of)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [
        workspace,
        id,
        action.type,
        proposal.target,
        JSON.stringify(params),
        proposal.reason,
        proposal.requestedBy,
        status,
        ruling.mode,
        ruling.risk,
        policy.hash,
        JSON.stringify(approvers),
        idempotencyKey,
        proposedState === undefined ? null : JSON.stringify(proposedState),
        now,
        expiresAt,
        denied ? now : null,
        denied ? 'policy' : null,
        denied ? `denied by policy rule "${ruling.rule.mode}"` : null,
        escalation ?? null,
        proposal.onBehalfOf ?? null,
      ],
    });
    await appendAuditEvent(tx, workspace, now, {
      type: 'approval.proposed',
      approvalId: id,
      actor: proposal.requestedBy,
      data: {
        status,
        type: action.type,
        target: proposal.target,
        params,
        reason: proposal.reason,
        mode: ruling.mode,
        risk: ruling.risk,
        rule: ruling.rule,
        policyHash: policy.hash,
        approvers,
        expiresAt: expiresAt === null ? undefined : formatTimestamp(expiresAt),
        escalation,
        onBehalfOf: proposal.onBehalfOf,
      },
    });
    const claimed = status === 'auto' && (await claimExecution(deps, tx, id));
    return { approval: approvalFromRow((await loadApprovalRow(tx, workspace, id))!), claimed };
  });
  deps.notifier.notify(id);
  deps.log.info('action proposed', { approval: id, type: action.type, status });
  return stored.claimed ? runClaimedExecution(deps, id) : stored.approval;
}

/**
 * The requester and the on-behalf-of person as person ids: a person named in another case, or by an account login or
 * an email, is recorded as that person, so the self-decision check cannot be dodged by spelling (`BEN` for `ben`). A
 * requester that names nobody (an assistant) is kept as given; an on-behalf-of person must be a person of the
 * workspace.
 */
async function canonicalPeople(
  deps: ApprovalDeps,
  proposal: { requestedBy: string; onBehalfOf?: string },
): Promise<{ requestedBy: string; onBehalfOf?: string }> {
  const reader = storeReader(deps.store);
  const person = async (field: string, name: string): Promise<string | undefined> => {
    const matches = await resolvePersonIgnoringCase(reader, deps.workspace, name);
    if (matches.length > 1)
      throw new TeamStateError(
        'invalid_argument',
        `${field}: "${name}" could be any of ${matches.map((id) => `"${id}"`).join(', ')}; give the person id exactly`,
      );
    return matches[0];
  };
  const requestedBy = (await person('requestedBy', proposal.requestedBy)) ?? proposal.requestedBy;
  if (proposal.onBehalfOf === undefined) return { requestedBy };
  const onBehalfOf = await person('onBehalfOf', proposal.onBehalfOf);
  if (onBehalfOf === undefined) {
    const suggestion = closest(proposal.onBehalfOf, await personIds(reader, deps.workspace));
    throw new TeamStateError(
      'invalid_argument',
      `onBehalfOf: "${proposal.onBehalfOf}" is not a known person in this workspace${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    );
  }
  return { requestedBy, onBehalfOf };
}

const MAX_ESCALATION_LENGTH = 500;

// Why the action type wants a person for these params; a hook that fails asks a person too.
async function escalationOf(action: ActionType, params: Record<string, unknown>, ctx: ActionContext): Promise<string | undefined> {
  let reason: string | undefined;
  try {
    reason = await action.escalate!(params, ctx);
  } catch (error) {
    reason = `${action.type} could not check whether these params need a person (${errorMessage(error)}), so a person decides`;
  }
  if (reason === undefined) return undefined;
  const text = storableText(String(reason).trim()) || `${action.type} asks for a person's approval for these params`;
  return text.length > MAX_ESCALATION_LENGTH ? `${cutText(text, MAX_ESCALATION_LENGTH - 3)}...` : text;
}

/** A pending approval with the same type, target, params, requester and on-behalf-of person, if there is one. */
async function pendingTwin(deps: ApprovalDeps, proposal: ActionProposal): Promise<Approval | undefined> {
  const { rows } = await deps.store.execute(
    `SELECT * FROM approvals WHERE workspace = ? AND status = 'pending' AND action_type = ? AND target = ? AND requested_by = ?
       AND on_behalf_of IS ? ORDER BY created_at`,
    [deps.workspace, proposal.type, proposal.target, proposal.requestedBy, proposal.onBehalfOf ?? null],
  );
  const wanted = canonicalJson(proposal.params);
  const now = deps.clock().getTime();
  const same = (text: string) => {
    try {
      return canonicalJson(JSON.parse(text)) === wanted;
    } catch {
      return false; // a row whose params are not JSON (edited behind the ledger) is nobody's twin
    }
  };
  const twin = approvalRow.all(rows).find((row) => same(row.params) && (row.expires_at === undefined || row.expires_at > now));
  return twin && approvalFromRow(twin);
}
