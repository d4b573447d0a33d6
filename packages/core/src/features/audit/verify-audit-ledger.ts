import { errorMessage } from '../../kernel/errors.js';
import { columns, integer, optional, type RowDecoder, scalar, text } from '../../kernel/store/row-decoder.js';
import type { StatementRunner } from './append-audit-event.js';
import { approvalContentHash } from './approval-content-hash.js';
import { GENESIS_HASH, hashAuditEntry } from './audit-hash.js';
import { auditEventFromRow, auditEventRow } from './audit-row.js';
import { foldLedgerEntry, type LedgerApproval, rowContentHash } from './ledger-approvals.js';

/** The newest entry of a ledger: export it to pin the ledger outside the database. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** Options of `ts.audit.verify()`. */
export interface VerifyAuditOptions {
  /** A head exported earlier: the ledger must still contain that entry with that hash (catches a truncated or rewritten tail). */
  expectedHead?: AuditHead;
}

/** The outcome of `ts.audit.verify()`. */
export interface AuditVerification {
  /** True when the chain is intact, matches the approvals table and contains `expectedHead`. */
  ok: boolean;
  /** How many entries the ledger holds. */
  entries: number;
  /** The newest entry, when the ledger verifies: export it to pin the ledger. */
  head?: AuditHead;
  /** The first sequence number at which the ledger stops verifying. */
  firstBrokenSeq?: number;
  /** What is wrong, in a sentence. */
  problem?: string;
}

const PAGE = 1000;

/** What verification compares of each approval with its ledger entries. */
const approvalRow = columns({
  id: text,
  status: text,
  action_type: text,
  target: text,
  params: text,
  reason: text,
  requested_by: text,
  on_behalf_of: optional(text),
  decided_by: optional(text),
});
type ApprovalRow = ReturnType<typeof approvalRow.one>;
const hashRow = columns({ hash: text });

// A column rewritten with a value of another type (a text `at`, a blob `target`) is an edit too: reported, not thrown.
function decode<T>(decoder: RowDecoder<T>, row: object): { row: T } | { problem: string } {
  try {
    return { row: decoder.one(row) };
  } catch (error) {
    return { problem: errorMessage(error) };
  }
}

/**
 * Recomputes the hash chain from the first entry: a row that was edited, deleted or moved breaks it at
 * that row. Then cross-checks every approval's status against its newest ledger entry (catches a deleted
 * newest entry and an approval edited behind the ledger's back), and finally the optional pinned head.
 * Run it in one transaction so the ledger and the approvals table are read at the same moment.
 */
export async function verifyAuditLedger(
  tx: StatementRunner,
  workspace: string,
  options: VerifyAuditOptions = {},
): Promise<AuditVerification> {
  const query = async (sql: string, args: (string | number)[]) => (await tx.execute({ sql, args })).rows;
  const entries = scalar(await query('SELECT COUNT(*) AS n FROM audit_events WHERE workspace = ?', [workspace]), 'n', integer);
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let head: AuditHead | undefined;
  const ledger = new Map<string, LedgerApproval>();
  let previousAt: { seq: number; at: string } | undefined;
  const broken = (seq: number, problem: string): AuditVerification => ({ ok: false, entries, firstBrokenSeq: seq, problem });

  for (;;) {
    const page = await query('SELECT * FROM audit_events WHERE workspace = ? AND seq >= ? ORDER BY seq LIMIT ?', [
      workspace,
      expectedSeq,
      PAGE,
    ]);
    for (const row of page) {
      const decoded = decode(auditEventRow, row);
      if ('problem' in decoded) return broken(expectedSeq, `entry ${expectedSeq} was modified after it was written (${decoded.problem})`);
      const event = auditEventFromRow(decoded.row);
      if (event.seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing (the next stored entry is ${event.seq})`);
      if (event.prevHash !== prevHash) {
        return broken(event.seq, `entry ${event.seq} does not link to the entry before it (an entry was removed, moved or rewritten)`);
      }
      const content = {
        workspace,
        seq: event.seq,
        at: event.at,
        type: event.type,
        approvalId: event.approvalId ?? null,
        actor: event.actor,
        data: event.data,
      };
      if (hashAuditEntry(prevHash, content) !== event.hash)
        return broken(event.seq, `entry ${event.seq} was modified after it was written`);
      if (previousAt && event.at < previousAt.at) {
        return broken(
          event.seq,
          `entry ${event.seq} is dated ${event.at}, before entry ${previousAt.seq} (${previousAt.at}): ledger time never goes backwards`,
        );
      }
      previousAt = { seq: event.seq, at: event.at };
      foldLedgerEntry(ledger, event);
      prevHash = event.hash;
      head = { seq: event.seq, hash: event.hash };
      expectedSeq++;
    }
    if (page.length < PAGE) break;
  }
  if (expectedSeq - 1 !== entries) return broken(expectedSeq, `entry ${expectedSeq} is out of sequence`);

  const approvals = await query(
    'SELECT id, status, action_type, target, params, reason, requested_by, on_behalf_of, decided_by FROM approvals WHERE workspace = ? ORDER BY created_at, id',
    [workspace],
  );
  for (const stored of approvals) {
    const decoded = decode(approvalRow, stored);
    if ('problem' in decoded) return broken(expectedSeq, `an approval was edited behind the ledger (${decoded.problem})`);
    const { row } = decoded;
    const { id } = row;
    const recorded = ledger.get(id);
    if (!recorded) return broken(expectedSeq, `approval ${id} has no entry in the ledger`);
    if (recorded.tamperedSeq !== undefined)
      return broken(
        recorded.tamperedSeq,
        `approval ${id}: entry ${recorded.tamperedSeq} records that it was edited behind the ledger and refused at execution`,
      );
    if (recorded.status !== row.status) {
      return broken(
        recorded.statusSeq + 1,
        `approval ${id} is ${row.status} but the ledger's newest entry for it (${recorded.statusSeq}) records ${recorded.status}: a later entry was deleted or the approval was edited`,
      );
    }
    const mismatch = firstMismatch(row, recorded);
    if (mismatch) {
      return broken(
        recorded.statusSeq,
        `approval ${id}: its ${mismatch.field} is ${mismatch.stored} but the ledger records ${mismatch.recorded}: the approval was edited behind the ledger`,
      );
    }
  }

  const pinned = options.expectedHead;
  if (pinned) {
    if (!head || head.seq < pinned.seq)
      return broken(pinned.seq, `the pinned head entry ${pinned.seq} is missing: the ledger was truncated`);
    const at = await query('SELECT hash FROM audit_events WHERE workspace = ? AND seq = ?', [workspace, pinned.seq]);
    if (hashRow.first(at)?.hash !== pinned.hash)
      return broken(pinned.seq, `entry ${pinned.seq} no longer has the pinned hash: the ledger was rewritten`);
  }
  return { ok: true, entries, head };
}

const show = (value: unknown) => (value === undefined || value === null ? '(none)' : JSON.stringify(value));

/** The first field of an approval row (but its status) that differs from what its ledger entries recorded. */
function firstMismatch(row: ApprovalRow, recorded: LedgerApproval): { field: string; stored: string; recorded: string } | undefined {
  const storedHash = rowContentHash(row);
  // type and target are covered by the params hash too; compared first so the message names them.
  const checks: [string, unknown, unknown][] = [
    ['type', row.action_type, recorded.type],
    ['target', row.target, recorded.target],
    ['params', storedHash === undefined ? 'not a JSON object' : `sha256 ${storedHash}`, `sha256 ${approvalContentHash(recorded)}`],
    ['reason', row.reason, recorded.reason],
    ['requester', row.requested_by, recorded.requestedBy],
    ['on-behalf-of person', row.on_behalf_of, recorded.onBehalfOf],
    ['decider', row.decided_by, recorded.decidedBy],
  ];
  for (const [field, stored, expected] of checks) {
    if (stored !== expected) return { field, stored: show(stored), recorded: show(expected) };
  }
  return undefined;
}
