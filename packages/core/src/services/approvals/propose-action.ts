import { randomBytes, randomUUID } from 'node:crypto';
import type { Span } from '@opentelemetry/api';
import { z } from 'zod';
import { errorMessage, TeamStateError, ValidationError } from '../../kernel/errors.js';
import { idSchema } from '../../kernel/model/common.js';
import type { Approval, ApprovalStatus } from '../../kernel/model/derived.js';
import { closest } from '../../kernel/model/suggest.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import { ATTRIBUTES, inSpan, recordSpanError, SPANS, startSpan } from '../../kernel/telemetry/telemetry.js';
import { cutText, storableText, unstorableTextIssues } from '../../kernel/text/storable-text.js';
import type { ActionContext, ActionType } from '../../spec/action-type.js';
import type { ActionProposal } from '../../spec/interaction.js';
import { appendAuditEvents, canonicalJson, type StatementRunner } from '../audit/index.js';
import { costEscalation } from './action-cost.js';
import { checkActionParams, unstorableInputError } from './action-params.js';
import { type ApprovalDeps, actionContext, storeReader, toJsonValue } from './approval-deps.js';
import { type ApprovalRow, approvalFromRow, approvalRow } from './approval-row.js';
import { personIds, resolvePersonIgnoringCase } from './approvers.js';
import { claimExecution, runClaimedExecution } from './execute-approval.js';
import type { Policy } from './policy/compile-policy.js';
import { modelVersionSchema, proposalTraceId } from './proposal-provenance.js';
import { checkProposalRate } from './proposal-rate-limit.js';
import { publicChannelEscalation } from './public-channel-escalation.js';

export type { ActionProposal } from '../../spec/interaction.js';

const proposalSchema = z.strictObject({
  type: z.string().min(1, { error: 'must not be empty' }),
  target: z.string().min(1, { error: 'must not be empty' }).max(500),
  params: z.record(z.string(), z.unknown()),
  reason: z.string().min(1, { error: 'must say why' }).max(2000),
  requestedBy: idSchema,
  onBehalfOf: idSchema.optional(),
  modelVersion: modelVersionSchema,
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
    const step = await prepare(deps, input, span, {
      people: (proposal) => canonicalPeople(deps, proposal),
      twin: (proposal) => pendingTwin(deps, proposal),
      rate: (proposal) => checkProposalRate(deps, proposal),
    });
    const approval = 'twin' in step ? step.twin : await record(deps, step.prepared);
    setProposalAttributes(span, approval);
    return approval;
  });
}

/**
 * What {@link proposeActions} made of one proposal: its approval, the error that refused it (nothing stored), or
 * `skipped` when the batch's `claim` did not claim it (nothing stored).
 */
export type ProposalOutcome = { approval: Approval } | { error: Error } | { skipped: true };

/** Options of {@link proposeActions}. */
export interface ProposeActionsOptions {
  /**
   * Runs first in the batch's transaction, with every proposal about to be written or answered by a pending twin (its
   * index in the batch and its approval's id), and returns the indexes to go on with: the others are not written and
   * come back `skipped`. A caller's claim on what it proposes (a nudge, once per recipient and stage across
   * processes) then commits with the approvals, or not at all.
   */
  claim?(tx: StatementRunner, candidates: readonly { index: number; approvalId: string }[]): Promise<ReadonlySet<number>>;
}

/**
 * Proposes many actions at once, each exactly as {@link proposeAction} would (its own approval, its own ledger entry,
 * refused alone with its own error), but every approval written in one transaction: what a nudges pass proposing
 * hundreds of Slack messages needs, where one transaction (and one wait for the disk) each would cost more than the
 * pass itself. The requester and on-behalf-of person are resolved once per distinct name, and pending twins are read
 * in one query (a proposal equal to an earlier one of the same batch is that one's twin). Each proposal has its own
 * `teamstate.propose` span. Outcomes come back in the order of `inputs`; auto approvals run after the commit, one
 * after the other.
 */
export async function proposeActions(
  deps: ApprovalDeps,
  inputs: readonly ActionProposal[],
  options: ProposeActionsOptions = {},
): Promise<ProposalOutcome[]> {
  const spans = inputs.map(() => startSpan(SPANS.propose));
  const outcomes: (ProposalOutcome | undefined)[] = inputs.map(() => undefined);
  try {
    const resolved = new Map<string, Promise<{ requestedBy: string; onBehalfOf?: string }>>();
    const people = (proposal: { requestedBy: string; onBehalfOf?: string }) => {
      const key = `${proposal.requestedBy}\u0000${proposal.onBehalfOf ?? ''}`;
      let found = resolved.get(key);
      if (!found) {
        found = canonicalPeople(deps, proposal);
        resolved.set(key, found);
      }
      return found;
    };
    // Pending approvals of the batch's requesters, read once when the first proposal needs them; the batch's own
    // proposals join them as they are prepared.
    let pending: Promise<Map<string, ApprovalRow[]>> | undefined;
    const batchTwins = new Map<string, { params: string; index: number }[]>();
    const requesters = [...new Set(inputs.map((input) => input.requestedBy))];
    const twin = async (proposal: ActionProposal): Promise<Approval | undefined> => {
      // A requester that does not resolve (an ambiguous name) is refused by its own proposals, not by the others'.
      pending ??= Promise.all(requesters.map((r) => people({ requestedBy: r }).catch(() => ({ requestedBy: r })))).then((resolved) =>
        pendingByKey(deps, requesters, resolved),
      );
      return twinAmong((await pending).get(twinKey(proposal)) ?? [], proposal, deps.clock().getTime());
    };
    const prepared: { index: number; prepared: Prepared }[] = [];
    const sameAs = new Map<number, number>();
    for (const [index, input] of inputs.entries()) {
      try {
        const step = await prepare(deps, input, spans[index]!, { people, twin });
        if ('twin' in step) {
          outcomes[index] = { approval: step.twin };
          continue;
        }
        const key = twinKey(step.prepared.proposal);
        const params = canonicalJson(step.prepared.params);
        const earlier = step.prepared.status === 'pending' ? batchTwins.get(key)?.find((t) => t.params === params) : undefined;
        if (earlier) {
          sameAs.set(index, earlier.index);
          continue;
        }
        if (step.prepared.status === 'pending') batchTwins.set(key, [...(batchTwins.get(key) ?? []), { params, index }]);
        prepared.push({ index, prepared: step.prepared });
      } catch (error) {
        outcomes[index] = { error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
    // What would be written or is a pending twin, offered to the caller's claim.
    const candidates = [
      ...prepared.map(({ index, prepared: { id } }) => ({ index, approvalId: id })),
      ...outcomes.flatMap((outcome, index) => (outcome && 'approval' in outcome ? [{ index, approvalId: outcome.approval.id }] : [])),
    ];
    let written: { index: number; approval: Approval; claimed: boolean }[] = [];
    if (candidates.length > 0)
      try {
        const done = await deps.store.write(async (tx) => {
          const kept = options.claim ? await options.claim(tx, candidates) : new Set(candidates.map((c) => c.index));
          const going = prepared.filter((item) => kept.has(item.index));
          const stored =
            going.length === 0
              ? []
              : await insert(
                  deps,
                  tx,
                  going.map((item) => item.prepared),
                );
          return { kept, stored: stored.map((result, n) => ({ index: going[n]!.index, ...result })) };
        });
        written = done.stored;
        for (const { index } of candidates) if (!done.kept.has(index)) outcomes[index] = { skipped: true };
      } catch (error) {
        for (const { index } of candidates) outcomes[index] = { error: error instanceof Error ? error : new Error(String(error)) };
      }
    for (const { index, approval } of written) {
      deps.notifier.notify(approval.id);
      deps.log.info('action proposed', { approval: approval.id, type: approval.type, status: approval.status });
      outcomes[index] = { approval };
    }
    for (const { index, approval, claimed } of written) {
      if (!claimed) continue;
      try {
        outcomes[index] = { approval: await runClaimedExecution(deps, approval.id) };
      } catch (error) {
        // Stored and claimed: the outcome is the approval (reconcile settles an execution that did not finish).
        deps.log.warn('executing a proposed action failed', { approval: approval.id, error: errorMessage(error) });
      }
    }
    for (const [index, earlier] of sameAs) outcomes[index] = outcomes[earlier];
    return outcomes.map((outcome, index) => {
      const span = spans[index]!;
      if (outcome && 'approval' in outcome) setProposalAttributes(span, outcome.approval);
      else if (outcome && 'error' in outcome) recordSpanError(span, outcome.error);
      return outcome ?? { skipped: true };
    });
  } finally {
    for (const span of spans) span.end();
  }
}

function setProposalAttributes(span: Span, approval: Approval): void {
  span.setAttributes({
    [ATTRIBUTES.approvalId]: approval.id,
    [ATTRIBUTES.actionType]: approval.type,
    [ATTRIBUTES.status]: approval.status,
    'teamstate.approval.mode': approval.mode,
    'teamstate.approval.risk': approval.risk,
  });
}

/** A proposal checked and ruled on, ready to be written. */
interface Prepared {
  id: string;
  idempotencyKey: string;
  action: ActionType;
  proposal: ActionProposal;
  params: Record<string, unknown>;
  ruling: ReturnType<Policy['resolve']>;
  status: ApprovalStatus;
  approvers: string[];
  proposedState: unknown;
  escalation: string | undefined;
  traceId: string;
}

/** How a proposal's people and pending twin are found: one at a time, or once for a batch. */
interface Lookups {
  people(proposal: { requestedBy: string; onBehalfOf?: string }): Promise<{ requestedBy: string; onBehalfOf?: string }>;
  twin(proposal: ActionProposal): Promise<Approval | undefined>;
  /** Refuses a caller over `limits.proposals_per_hour` (one proposal at a time; teamstate's own batches are not limited). */
  rate?(proposal: ActionProposal): Promise<void>;
}

/** Validates a proposal and rules on it (precondition and escalation hooks included); nothing is written. */
async function prepare(
  deps: ApprovalDeps,
  input: ActionProposal,
  span: Span,
  lookups: Lookups,
): Promise<{ twin: Approval } | { prepared: Prepared }> {
  const { clock, policy, catalogue } = deps;
  // Text a TEXT column would not read back exactly (a NUL, a lone surrogate) is refused before anything else: stored,
  // the approval would differ from its ledger entry for good.
  const unstorable = unstorableInputError('proposal', unstorableTextIssues(input));
  if (unstorable) throw unstorable;
  const parsed = proposalSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('invalid_argument', 'proposal', describeZodIssues(proposalSchema, parsed.error.issues));
  const proposal = { ...parsed.data, ...(await lookups.people(parsed.data)) };
  const action = catalogue.get(proposal.type);
  const checked = checkActionParams(action, proposal.params, 'params');
  if (!checked.ok) throw checked.error;
  const { params } = checked;
  // The same proposal while the first still waits for a person (an assistant retrying, a double click)
  // is the first one: one approval to decide, not two.
  const waiting = await lookups.twin({ ...proposal, type: action.type, params });
  if (waiting) return { twin: waiting };
  await lookups.rate?.(proposal);
  let ruling = policy.resolve(action);
  const id = `apr_${randomBytes(12).toString('hex')}`;
  deps.telemetry.rememberProposal(id, span);
  const idempotencyKey = randomUUID();
  const ctx = actionContext(deps, {
    approvalId: id,
    idempotencyKey,
    requestedBy: proposal.requestedBy,
    ...(proposal.onBehalfOf === undefined ? {} : { onBehalfOf: proposal.onBehalfOf }),
    target: proposal.target,
    deadline: new Date(clock().getTime() + ruling.ttlMs),
  });

  let proposedState: unknown;
  if (ruling.mode !== 'deny' && action.precondition) {
    const check = await action.precondition(params, ctx);
    if (!check.ok) throw new TeamStateError('precondition_failed', `${action.type}: ${check.reason}`);
    proposedState = check.state === undefined ? undefined : toJsonValue(check.state);
  }
  // An action type can raise `auto` to `ask` for particular params (a public channel, a large one).
  const escalation =
    (await publicChannelEscalation(action, params, ruling, ctx)) ??
    (ruling.mode === 'auto' && action.escalate ? await escalationOf(action, params, ctx) : undefined) ??
    (await costEscalation(deps, action, ruling.mode));
  if (escalation !== undefined) ruling = { ...ruling, mode: 'ask' };

  const status = STATUS_BY_MODE[ruling.mode];
  const approvers = ruling.mode === 'require_approval' ? ruling.approvers : [];
  return {
    prepared: {
      id,
      idempotencyKey,
      action,
      proposal: { ...proposal, type: action.type },
      params,
      ruling,
      status,
      approvers,
      proposedState,
      escalation,
      traceId: proposalTraceId(span),
    },
  };
}

/** Writes one prepared proposal in its own transaction, then runs it if the policy said `auto`. */
async function record(deps: ApprovalDeps, prepared: Prepared): Promise<Approval> {
  const [stored] = await deps.store.write((tx) => insert(deps, tx, [prepared]));
  deps.notifier.notify(prepared.id);
  deps.log.info('action proposed', { approval: prepared.id, type: prepared.action.type, status: prepared.status });
  return stored!.claimed ? runClaimedExecution(deps, prepared.id) : stored!.approval;
}

/**
 * The approvals' rows and their `approval.proposed` ledger entries (one each, in order), in the caller's write
 * transaction, with one statement for the rows and one for the entries; each `auto` one is then claimed to run.
 */
async function insert(
  deps: ApprovalDeps,
  tx: StatementRunner,
  batch: readonly Prepared[],
): Promise<{ approval: Approval; claimed: boolean }[]> {
  const { workspace, clock, policy } = deps;
  const now = clock().getTime();
  const rows = batch.map(
    ({ id, action, proposal, params, ruling, status, approvers, proposedState, escalation, idempotencyKey, traceId }) => {
      const expiresAt = status === 'pending' ? now + ruling.ttlMs : null;
      const denied = status === 'denied';
      return [
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
        proposal.modelVersion ?? null,
        traceId,
      ];
    },
  );
  await tx.execute({
    sql: `INSERT INTO approvals (workspace, id, action_type, target, params, reason, requested_by, status, mode, risk, policy_hash,
            approvers, idempotency_key, preconditions, created_at, expires_at, decided_at, decided_by, decision_reason, escalation,
            on_behalf_of, model_version, trace_id)
          SELECT ?, a.value ->> 0, a.value ->> 1, a.value ->> 2, a.value ->> 3, a.value ->> 4, a.value ->> 5, a.value ->> 6,
            a.value ->> 7, a.value ->> 8, a.value ->> 9, a.value ->> 10, a.value ->> 11, a.value ->> 12, a.value ->> 13,
            a.value ->> 14, a.value ->> 15, a.value ->> 16, a.value ->> 17, a.value ->> 18, a.value ->> 19,
            a.value ->> 20, a.value ->> 21
          FROM json_each(?) a ORDER BY a.key`,
    args: [workspace, JSON.stringify(rows)],
  });
  await appendAuditEvents(
    tx,
    workspace,
    now,
    batch.map(({ id, action, proposal, params, ruling, status, approvers, escalation, traceId }, n) => ({
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
        expiresAt: rows[n]![14] === null ? undefined : formatTimestamp(rows[n]![14] as number),
        escalation,
        onBehalfOf: proposal.onBehalfOf,
        modelVersion: proposal.modelVersion,
        traceId,
      },
    })),
  );
  const claimed: boolean[] = [];
  for (const { id, status } of batch) claimed.push(status === 'auto' && (await claimExecution(deps, tx, id)));
  const { rows: stored } = await tx.execute({
    sql: 'SELECT * FROM approvals WHERE workspace = ? AND id IN (SELECT value FROM json_each(?))',
    args: [workspace, JSON.stringify(batch.map((p) => p.id))],
  });
  const byId = new Map(approvalRow.all(stored).map((row) => [row.id, row]));
  return batch.map(({ id }, n) => ({ approval: approvalFromRow(byId.get(id)!), claimed: claimed[n]! }));
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
  return twinAmong(approvalRow.all(rows), proposal, deps.clock().getTime());
}

/** What a pending twin shares with its proposal, but the params. */
const twinKey = (proposal: ActionProposal) =>
  JSON.stringify([proposal.type, proposal.target, proposal.requestedBy, proposal.onBehalfOf ?? null]);

/** The pending approvals of these requesters (as given and as resolved), by {@link twinKey}, oldest first: one read. */
async function pendingByKey(
  deps: ApprovalDeps,
  given: readonly string[],
  resolved: readonly { requestedBy: string }[],
): Promise<Map<string, ApprovalRow[]>> {
  const requesters = [...new Set([...given, ...resolved.map((r) => r.requestedBy)])];
  const { rows } = await deps.store.execute(
    `SELECT * FROM approvals WHERE workspace = ? AND status = 'pending' AND requested_by IN (SELECT value FROM json_each(?))
     ORDER BY created_at`,
    [deps.workspace, JSON.stringify(requesters)],
  );
  const out = new Map<string, ApprovalRow[]>();
  for (const row of approvalRow.all(rows)) {
    const key = twinKey({
      type: row.action_type,
      target: row.target,
      requestedBy: row.requested_by,
      onBehalfOf: row.on_behalf_of,
    } as ActionProposal);
    const list = out.get(key);
    if (list) list.push(row);
    else out.set(key, [row]);
  }
  return out;
}

/** The first of `rows` (pending, same type, target and people) whose params equal the proposal's and that has not expired. */
function twinAmong(rows: readonly ApprovalRow[], proposal: ActionProposal, now: number): Approval | undefined {
  const wanted = canonicalJson(proposal.params);
  const same = (text: string) => {
    try {
      return canonicalJson(JSON.parse(text)) === wanted;
    } catch {
      return false; // a row whose params are not JSON (edited behind the ledger) is nobody's twin
    }
  };
  const twin = rows.find((row) => same(row.params) && (row.expires_at === undefined || row.expires_at > now));
  return twin && approvalFromRow(twin);
}
