import { errorMessage } from '../../kernel/errors.js';
import { columns, integer, optional, scalar, text } from '../../kernel/store/row-decoder.js';
import type { StatementRunner } from './append-audit-event.js';
import { approvalContentHash } from './approval-content-hash.js';
import { GENESIS_HASH, hashAuditEntry, hashedContent } from './audit-hash.js';
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

/** One thing `ts.audit.verify()` found wrong, at the entry where it shows. */
export interface AuditProblem {
  seq: number;
  /** What is wrong, in a sentence. */
  problem: string;
}

/** The outcome of `ts.audit.verify()`. */
export interface AuditVerification {
  /** True when the chain is intact, matches the approvals table and contains `expectedHead`. */
  ok: boolean;
  /** How many entries the ledger holds. */
  entries: number;
  /** The newest entry, when the ledger verifies: export it to pin the ledger. */
  head?: AuditHead;
  /** Where the first problem found shows: the first entry of the chain that does not verify, when there is one. */
  firstBrokenSeq?: number;
  /** The first problem found, in a sentence. */
  problem?: string;
  /**
   * Every problem found (at most {@link MAX_AUDIT_PROBLEMS}), in the order checked: the chain in sequence order, then
   * the approvals, then the pinned head. One broken entry does not hide a later one.
   */
  problems?: AuditProblem[];
}

/** How many problems `verify()` lists before it stops looking. */
export const MAX_AUDIT_PROBLEMS = 1000;

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

// A column rewritten with a value of another type (a text `at`, a blob `target`), or `data` that is no longer JSON,
// is an edit too: reported, not thrown.
function decode<T>(read: () => T): { row: T } | { problem: string } {
  try {
    return { row: read() };
  } catch (error) {
    return { problem: errorMessage(error) };
  }
}

class Full extends Error {}

/**
 * Recomputes the hash chain from the first entry: a row that was edited, deleted or moved breaks it at
 * that row. Then cross-checks every approval's status against its newest ledger entry (catches a deleted
 * newest entry and an approval edited behind the ledger's back), and finally the optional pinned head.
 * It keeps checking after a problem, so every one is reported (`problems`), not only the first.
 * Run it in one transaction so the ledger and the approvals table are read at the same moment.
 */
export async function verifyAuditLedger(
  tx: StatementRunner,
  workspace: string,
  options: VerifyAuditOptions = {},
): Promise<AuditVerification> {
  const query = async (sql: string, args: (string | number)[]) => (await tx.execute({ sql, args })).rows;
  const entries = scalar(await query('SELECT COUNT(*) AS n FROM audit_events WHERE workspace = ?', [workspace]), 'n', integer);
  const problems: AuditProblem[] = [];
  const report = (seq: number, problem: string) => {
    problems.push({ seq, problem });
    if (problems.length >= MAX_AUDIT_PROBLEMS) throw new Full();
  };
  let head: AuditHead | undefined;
  try {
    const chain = await verifyChain(query, workspace, entries, report);
    head = chain.head;
    await crossCheckApprovals(query, workspace, chain.ledger, chain.nextSeq, report);
    const pinned = options.expectedHead;
    if (pinned) {
      if (!head || head.seq < pinned.seq) report(pinned.seq, `the pinned head entry ${pinned.seq} is missing: the ledger was truncated`);
      else {
        const at = await query('SELECT hash FROM audit_events WHERE workspace = ? AND seq = ?', [workspace, pinned.seq]);
        const stored = decode(() => hashRow.first(at)?.hash);
        if (!('row' in stored) || stored.row !== pinned.hash)
          report(pinned.seq, `entry ${pinned.seq} no longer has the pinned hash: the ledger was rewritten`);
      }
    }
  } catch (error) {
    if (!(error instanceof Full)) throw error;
  }
  if (problems.length === 0) return { ok: true, entries, head };
  const [first] = problems as [AuditProblem, ...AuditProblem[]];
  return { ok: false, entries, firstBrokenSeq: first.seq, problem: first.problem, problems };
}

type Query = (sql: string, args: (string | number)[]) => Promise<Record<string, unknown>[]>;
type Report = (seq: number, problem: string) => void;

// The chain in sequence order, keyset-paged. After a problem it goes on from the stored row: an edited entry breaks
// itself (or, with its hash recomputed, the link of the next one), a gap is reported once, and the entry after an
// unreadable or missing one is checked by its own hash only.
async function verifyChain(
  query: Query,
  workspace: string,
  entries: number,
  report: Report,
): Promise<{ ledger: Map<string, LedgerApproval>; head?: AuditHead; nextSeq: number }> {
  const ledger = new Map<string, LedgerApproval>();
  let prevHash: string | undefined = GENESIS_HASH;
  let expectedSeq = 1;
  let head: AuditHead | undefined;
  let previousAt: { seq: number; at: string } | undefined;
  let afterSeq: number | undefined;
  let read = 0;
  let pagedToEnd = false;
  while (!pagedToEnd) {
    const page =
      afterSeq === undefined
        ? await query('SELECT * FROM audit_events WHERE workspace = ? ORDER BY seq LIMIT ?', [workspace, PAGE])
        : await query('SELECT * FROM audit_events WHERE workspace = ? AND seq > ? ORDER BY seq LIMIT ?', [workspace, afterSeq, PAGE]);
    pagedToEnd = page.length < PAGE;
    for (const row of page) {
      read++;
      // A seq that is not a number sorts after every number: nothing after it can be paged by seq.
      if (typeof row.seq !== 'number') pagedToEnd = true;
      else afterSeq = row.seq;
      const decoded = decode(() => auditEventFromRow(auditEventRow.one(row)));
      if ('problem' in decoded) {
        report(expectedSeq, `entry ${expectedSeq} was modified after it was written (${decoded.problem})`);
        prevHash = typeof row.hash === 'string' ? row.hash : undefined;
        expectedSeq++;
        continue;
      }
      const event = decoded.row;
      if (event.seq < expectedSeq) {
        report(event.seq, `entry ${event.seq} is out of sequence`);
        continue;
      }
      if (event.seq > expectedSeq) {
        report(expectedSeq, `entry ${expectedSeq} is missing (the next stored entry is ${event.seq})`);
        prevHash = undefined;
      }
      const content = hashedContent(workspace, event);
      if (prevHash !== undefined && event.prevHash !== prevHash) {
        report(event.seq, `entry ${event.seq} does not link to the entry before it (an entry was removed, moved or rewritten)`);
      } else if (hashAuditEntry(event.prevHash, content) !== event.hash) {
        report(event.seq, `entry ${event.seq} was modified after it was written`);
      } else if (previousAt && event.at < previousAt.at) {
        report(
          event.seq,
          `entry ${event.seq} is dated ${event.at}, before entry ${previousAt.seq} (${previousAt.at}): ledger time never goes backwards`,
        );
      }
      previousAt = { seq: event.seq, at: event.at };
      foldLedgerEntry(ledger, event);
      prevHash = event.hash;
      head = { seq: event.seq, hash: event.hash };
      expectedSeq = event.seq + 1;
    }
  }
  if (read !== entries) report(expectedSeq, `entry ${expectedSeq} is out of sequence`);
  return { ledger, head, nextSeq: expectedSeq };
}

// Every approval row against what its ledger entries recorded: one problem per approval at most.
async function crossCheckApprovals(
  query: Query,
  workspace: string,
  ledger: Map<string, LedgerApproval>,
  nextSeq: number,
  report: Report,
): Promise<void> {
  const approvals = await query(
    'SELECT id, status, action_type, target, params, reason, requested_by, on_behalf_of, decided_by FROM approvals WHERE workspace = ? ORDER BY created_at, id',
    [workspace],
  );
  for (const stored of approvals) {
    const decoded = decode(() => approvalRow.one(stored));
    if ('problem' in decoded) {
      report(nextSeq, `an approval was edited behind the ledger (${decoded.problem})`);
      continue;
    }
    const { row } = decoded;
    const { id } = row;
    const recorded = ledger.get(id);
    if (!recorded) report(nextSeq, `approval ${id} has no entry in the ledger`);
    else if (recorded.tamperedSeq !== undefined)
      report(
        recorded.tamperedSeq,
        `approval ${id}: entry ${recorded.tamperedSeq} records that it was edited behind the ledger and refused at execution`,
      );
    else if (recorded.status !== row.status) {
      report(
        recorded.statusSeq + 1,
        `approval ${id} is ${row.status} but the ledger's newest entry for it (${recorded.statusSeq}) records ${recorded.status}: a later entry was deleted or the approval was edited`,
      );
    } else {
      const mismatch = firstMismatch(row, recorded);
      if (mismatch) {
        report(
          recorded.statusSeq,
          `approval ${id}: its ${mismatch.field} is ${mismatch.stored} but the ledger records ${mismatch.recorded}: the approval was edited behind the ledger`,
        );
      }
    }
  }
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
