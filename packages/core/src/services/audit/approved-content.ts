import { errorMessage } from '../../kernel/errors.js';
import type { AuditEvent } from '../../kernel/model/derived.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import type { StatementRunner } from './append-audit-event.js';
import { approvalContentHash } from './approval-content-hash.js';
import { GENESIS_HASH, hashAuditEntry, hashedContent } from './audit-hash.js';
import { auditEventFromRow, auditEventRow } from './audit-row.js';

/**
 * What an approval may run, by its ledger: the sha256 of the `{ type, target, params }` that was approved
 * (see {@link approvalContentHash}), or why the ledger cannot vouch for any.
 */
export type ApprovedContent = { ok: true; contentHash: string } | { ok: false; problem: string };

const linkRow = columns({ hash: text, prev_hash: text });
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * Reads what the ledger says approval `id` may run, trusting only entries whose chain hashes verify: its
 * `approval.proposed` entry and its `approval.decided` entry each must hash to their stored hash
 * (`sha256(prevHash ‖ canonicalJson(entry))`), link to the stored hash of the entry before them, and be linked to
 * by the entry after them. The approved content hash is the decision's `contentHash` (for `auto`, the proposal's
 * `{ type, target, params }`), and it must agree with what the proposal (and a `modify` decision's params) says.
 * Someone who edits an approval row together with the `data` of its entries therefore cannot make the edit run;
 * only a rewrite of the whole chain from that entry on can, which the pinned head catches.
 */
export async function readApprovedContent(runner: StatementRunner, workspace: string, id: string): Promise<ApprovedContent> {
  const { rows } = await runner.execute({
    sql: `SELECT * FROM audit_events WHERE workspace = ? AND approval_id = ? AND type IN ('approval.proposed', 'approval.decided')
          ORDER BY seq`,
    args: [workspace, id],
  });
  const events: AuditEvent[] = [];
  for (const row of rows) {
    try {
      events.push(auditEventFromRow(auditEventRow.one(row)));
    } catch (error) {
      return refused(`a ledger entry of approval ${id} was modified after it was written (${errorMessage(error)})`);
    }
  }
  const proposal = events.find((event) => event.type === 'approval.proposed');
  if (!proposal)
    return refused(`approval ${id} has no proposal in the audit ledger, so what runs cannot be checked against what was approved`);
  const decisions = events.filter((event) => event.type === 'approval.decided');
  if (decisions.length > 1)
    return refused(`the audit ledger records ${decisions.length} decisions on approval ${id}, where only one can win`);
  const decision = decisions[0];
  for (const event of [proposal, ...decisions]) {
    const broken = await chainProblem(runner, workspace, event);
    if (broken) return refused(`the ledger entry ${event.seq} (${event.type}) of approval ${id} ${broken}`);
  }
  const authorized = decision ? decision.data.status === 'approved' : proposal.data.status === 'auto';
  if (!authorized) return refused(`approval ${id} was never approved according to the audit ledger (its status was edited to let it run)`);

  const proposed = {
    type: typeof proposal.data.type === 'string' ? proposal.data.type : '',
    target: typeof proposal.data.target === 'string' ? proposal.data.target : '',
    params: record(decision?.data.params) ?? record(proposal.data.params) ?? {},
  };
  const fromProposal = approvalContentHash(proposed);
  // Ledgers written before decisions recorded a contentHash hold the proposal (and a modify's params) only.
  const decided = decision?.data.contentHash;
  const contentHash = typeof decided === 'string' ? decided : fromProposal;
  if (contentHash !== fromProposal)
    return refused(
      `the decision (entry ${decision!.seq}) approved sha256 ${contentHash}, but the proposal it decided (entry ${proposal.seq}) hashes to sha256 ${fromProposal}`,
    );
  return { ok: true, contentHash };
}

const refused = (problem: string): ApprovedContent => ({ ok: false, problem });

// Whether one entry is the link of the chain it claims to be: its own hash, its link to the entry before it, and the
// link of the entry after it (an edit whose hash was recomputed leaves that one pointing at the old hash).
async function chainProblem(runner: StatementRunner, workspace: string, event: AuditEvent): Promise<string | undefined> {
  const content = hashedContent(workspace, event);
  let hash: string;
  try {
    hash = hashAuditEntry(event.prevHash, content);
  } catch (error) {
    return `was modified after it was written (${errorMessage(error)})`;
  }
  if (hash !== event.hash) return 'was modified after it was written (its hash does not match its content)';
  const { rows } = await runner.execute({
    sql: 'SELECT seq, hash, prev_hash FROM audit_events WHERE workspace = ? AND seq IN (?, ?) ORDER BY seq',
    args: [workspace, event.seq - 1, event.seq + 1],
  });
  const neighbours = new Map<number, ReturnType<typeof linkRow.one>>();
  try {
    for (const row of rows) neighbours.set(Number(row.seq), linkRow.one(row));
  } catch (error) {
    return `cannot be checked: an entry next to it was modified (${errorMessage(error)})`;
  }
  const before = event.seq === 1 ? GENESIS_HASH : neighbours.get(event.seq - 1)?.hash;
  if (before !== event.prevHash) return 'does not link to the entry before it (an entry was removed, moved or rewritten)';
  const after = neighbours.get(event.seq + 1);
  if (after && after.prev_hash !== event.hash) return 'is not the entry the next one links to (it was rewritten with a recomputed hash)';
  return undefined;
}
