import type { Logger } from '../../kernel/logger.js';
import type { InArgs } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, nullable, text } from '../../kernel/store/row-decoder.js';
import type { Telemetry } from '../../kernel/telemetry/telemetry.js';
import type { ActionApprover, ActionContext } from '../../spec/action-type.js';
import type { StatementRunner } from '../audit/index.js';
import type { SpendLedger } from '../spend/index.js';
import type { ActionCatalogue } from './action-catalogue.js';
import type { ApprovalNotifier } from './approval-notifier.js';
import type { ApprovalRow } from './approval-row.js';
import type { Policy } from './policy/compile-policy.js';

/** What the approval operations share: one workspace of one store, its policy and catalogue. */
export interface ApprovalDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
  log: Logger;
  policy: Policy;
  catalogue: ActionCatalogue;
  notifier: ApprovalNotifier;
  /** An execution claimed longer ago than this is considered interrupted by `reconcile()`. */
  executionLeaseMs: number;
  /** How often `wait()` re-reads the database to see other processes' decisions. */
  pollIntervalMs: number;
  /** Spans and metrics (no-ops unless the application registered an OpenTelemetry SDK). */
  telemetry: Telemetry;
  /** Picks up a policy version approved since (by any process) before a proposal is ruled on. */
  refreshPolicy?(): Promise<void>;
  /** The spend ledger: actions that declare a cost are metered on it and held for a person at the monthly cap. */
  spend?: SpendLedger;
}

const emailRows = columns({ email: nullable(text) });
const accountRows = columns({ provider: text, external_id: text, login: nullable(text) });

/** The context handed to an action type's hooks for the approval in `row`, with its approver when a person approved it. */
export async function actionContextFor(deps: ApprovalDeps, row: ApprovalRow): Promise<ActionContext> {
  const context = actionContext(deps, {
    approvalId: row.id,
    idempotencyKey: row.idempotency_key,
    requestedBy: row.requested_by,
    ...(row.on_behalf_of === undefined ? {} : { onBehalfOf: row.on_behalf_of }),
    target: row.target,
    proposedState: row.preconditions === undefined ? undefined : (JSON.parse(row.preconditions) as unknown),
    deadline: new Date(deadlineOf(deps, row)),
  });
  const person = row.decision === 'approve' || row.decision === 'modify' ? row.decided_by : undefined;
  return person === undefined ? context : { ...context, approver: await approverOf(deps, person) };
}

/** The approving person's email and linked accounts, read when the action runs (an erased person has neither). */
async function approverOf(deps: ApprovalDeps, person: string): Promise<ActionApprover> {
  const { store, workspace } = deps;
  const email = emailRows.first(
    (await store.execute('SELECT email FROM people WHERE workspace = ? AND id = ?', [workspace, person])).rows,
  )?.email;
  const accounts = accountRows
    .all(
      (
        await store.execute(
          'SELECT provider, external_id, login FROM accounts WHERE workspace = ? AND person_id = ? ORDER BY provider, external_id',
          [workspace, person],
        )
      ).rows,
    )
    .map((a) => ({ provider: a.provider, id: a.external_id, ...(a.login ? { login: a.login } : {}) }));
  return { person, ...(email ? { email } : {}), accounts };
}

// The approval's expiry (auto approvals have none stored: proposal time plus the TTL for their risk),
// and while a claim holds it, half the execution lease after the claim.
function deadlineOf(deps: ApprovalDeps, row: ApprovalRow): number {
  const expiry = row.expires_at ?? row.created_at + deps.policy.resolve({ type: row.action_type, risk: row.risk }).ttlMs;
  if (row.started_at === undefined) return expiry;
  return Math.min(expiry, row.started_at + Math.floor(deps.executionLeaseMs / 2));
}

/** The context handed to an action type's hooks, from the approval's own fields. */
export function actionContext(
  deps: ApprovalDeps,
  approval: Pick<ActionContext, 'approvalId' | 'idempotencyKey' | 'requestedBy' | 'onBehalfOf' | 'target' | 'proposedState' | 'deadline'>,
): ActionContext {
  return { ...approval, workspace: deps.workspace, limits: deps.policy.limits, log: deps.log, now: deps.clock };
}

/** Round-trips a value through JSON, so what is stored, audited and returned is the same plain data. */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return { unserializable: String(value) };
  }
}

/** Reads through the store (which serializes access to an in-memory database), shaped like a transaction. */
export function storeReader(store: Store): StatementRunner {
  return {
    execute: (statement) =>
      typeof statement === 'string' ? store.execute(statement) : store.execute(statement.sql, statement.args as InArgs | undefined),
  };
}
