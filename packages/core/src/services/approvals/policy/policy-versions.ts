import { createHash } from 'node:crypto';
import { formatTimestamp } from '../../../kernel/model/timestamp.js';
import { columns, integer, optional, text } from '../../../kernel/store/row-decoder.js';
import { appendAuditEvent, type StatementRunner } from '../../audit/index.js';

/** One approved version of the policy, as `teamstate policy show --json` prints it. */
export interface PolicyVersion {
  version: number;
  /** sha256 (hex) of `text`. */
  hash: string;
  /** The document as it was proposed (YAML or JSON). */
  text: string;
  proposedBy: string;
  approvedBy: string;
  /** When it became the active version (ISO 8601). */
  at: string;
}

const versionRow = columns({
  version: integer,
  hash: text,
  text: text,
  proposed_by: text,
  approved_by: text,
  approval_id: optional(text),
  at: integer,
});

const fromRow = (row: ReturnType<typeof versionRow.one>): PolicyVersion => ({
  version: row.version,
  hash: row.hash,
  text: row.text,
  proposedBy: row.proposed_by,
  approvedBy: row.approved_by,
  at: formatTimestamp(row.at),
});

/** sha256 (hex) of a policy document's text: what `policy_versions.hash` and a `policy.change`'s `sha256` hold. */
export function policyTextHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The active (newest) version of a workspace's approved policy, or `undefined` when none is stored. */
export async function activePolicyVersion(runner: StatementRunner, workspace: string): Promise<PolicyVersion | undefined> {
  const { rows } = await runner.execute({
    sql: 'SELECT * FROM policy_versions WHERE workspace = ? ORDER BY version DESC LIMIT 1',
    args: [workspace],
  });
  const row = versionRow.first(rows);
  return row && fromRow(row);
}

/** Every version of a workspace's approved policy, oldest first. */
export async function policyHistory(runner: StatementRunner, workspace: string): Promise<PolicyVersion[]> {
  const { rows } = await runner.execute({ sql: 'SELECT * FROM policy_versions WHERE workspace = ? ORDER BY version', args: [workspace] });
  return versionRow.all(rows).map(fromRow);
}

/** The version stored by a `policy.change` approval, if it ran already (what makes storing it idempotent). */
export async function versionOfApproval(
  runner: StatementRunner,
  workspace: string,
  approvalId: string,
): Promise<PolicyVersion | undefined> {
  const { rows } = await runner.execute({
    sql: 'SELECT * FROM policy_versions WHERE workspace = ? AND approval_id = ?',
    args: [workspace, approvalId],
  });
  const row = versionRow.first(rows);
  return row && fromRow(row);
}

/** What a new version is made of. */
export interface NewPolicyVersion {
  text: string;
  proposedBy: string;
  approvedBy: string;
  /** The `policy.change` approval, for every version but an adopted one. */
  approvalId?: string;
}

/**
 * Stores the next version (the active one's number plus one) with its audit entry, in the caller's write transaction:
 * `policy.adopted` for a version adopted from the config, `policy.version_stored` for an approved change.
 */
export async function storePolicyVersion(
  tx: StatementRunner,
  workspace: string,
  at: number,
  input: NewPolicyVersion,
): Promise<PolicyVersion> {
  const next = ((await activePolicyVersion(tx, workspace))?.version ?? 0) + 1;
  const hash = policyTextHash(input.text);
  await tx.execute({
    sql: `INSERT INTO policy_versions (workspace, version, hash, text, proposed_by, approved_by, approval_id, at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [workspace, next, hash, input.text, input.proposedBy, input.approvedBy, input.approvalId ?? null, at],
  });
  await appendAuditEvent(tx, workspace, at, {
    type: input.approvalId === undefined ? 'policy.adopted' : 'policy.version_stored',
    actor: input.approvedBy,
    // The approval is named in the data: entries with an approvalId are the approval's own lifecycle.
    data: { version: next, hash, proposedBy: input.proposedBy, approvedBy: input.approvedBy, approval: input.approvalId },
  });
  return { version: next, hash, text: input.text, proposedBy: input.proposedBy, approvedBy: input.approvedBy, at: formatTimestamp(at) };
}

/**
 * Records (or, with `configuredHash` undefined, clears) that the configured policy differs from the active version:
 * what the `policy.unapproved_change` signal reads.
 */
export async function recordPolicyDrift(
  tx: StatementRunner,
  workspace: string,
  at: number,
  drift: { configuredHash: string; activeVersion: number } | undefined,
): Promise<void> {
  if (drift === undefined) {
    await tx.execute({ sql: 'DELETE FROM policy_drift WHERE workspace = ?', args: [workspace] });
    return;
  }
  await tx.execute({
    sql: `INSERT INTO policy_drift (workspace, configured_hash, active_version, seen_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (workspace) DO UPDATE SET configured_hash = excluded.configured_hash, active_version = excluded.active_version,
            seen_at = excluded.seen_at`,
    args: [workspace, drift.configuredHash, drift.activeVersion, at],
  });
}
