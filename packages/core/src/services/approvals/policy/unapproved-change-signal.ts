import { formatTimestamp } from '../../../kernel/model/timestamp.js';
import { columns, integer, text } from '../../../kernel/store/row-decoder.js';
import { sql } from '../../../kernel/store/sql.js';
import type { SignalDetector } from '../../../spec/signal-detector.js';

const driftRow = columns({ configured_hash: text, active_version: integer, seen_at: integer });

/**
 * `policy.unapproved_change`: the configured policy (the config file's `policy`) differs from the active approved
 * version, which runs instead, as the last process that opened the database found it. Resolves once the change is
 * approved (`teamstate policy propose`) or the config is put back. What the CLI registers with the built-in detectors.
 */
export const unapprovedPolicyChange: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'policy.unapproved_change',
  title: 'Unapproved policy change',
  description:
    'The policy in the configuration differs from the approved version, which keeps running until the change is proposed with `teamstate policy propose` and approved.',
  async detect(db, ctx) {
    const drift = await db.all(
      driftRow,
      sql`SELECT configured_hash, active_version, seen_at FROM policy_drift WHERE workspace = ${ctx.workspace}`,
    );
    return drift.map((row) => ({
      severity: 'warning' as const,
      subject: { type: 'policy' as const, id: ctx.workspace },
      title: `The configured policy differs from approved version ${row.active_version}, which still runs: propose it with teamstate policy propose <file>`,
      evidence: { activeVersion: row.active_version, configuredHash: row.configured_hash, since: formatTimestamp(row.seen_at) },
    }));
  },
};
