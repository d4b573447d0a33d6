import { TeamStateError } from '../../kernel/errors.js';
import type { AuditEvent } from '../../kernel/model/derived.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { auditEventFromRow, auditEventRow, auditHeadRow } from './audit-row.js';
import { type AuditHead, type AuditVerification, type VerifyAuditOptions, verifyAuditLedger } from './verify-audit-ledger.js';

/** Filters of `ts.audit.list()`. */
export interface AuditQuery {
  /** Only entries about this approval. */
  approvalId?: string;
  /** Only entries of this type, e.g. `approval.decided`. */
  type?: string;
  /** Only entries after this sequence number (for paging and tailing). */
  afterSeq?: number;
  /** 1–1000, default 100. */
  limit?: number;
}

/** The `ts.audit` part of the facade: read, verify and pin the hash-chained ledger. */
export interface AuditLedger {
  /** Entries in ledger order (oldest first). */
  list(query?: AuditQuery): Promise<AuditEvent[]>;
  /** Recomputes the chain; see {@link verifyAuditLedger}. */
  verify(options?: VerifyAuditOptions): Promise<AuditVerification>;
  /** The newest entry's sequence number and hash, to pin the ledger outside the database; `undefined` while empty. */
  head(): Promise<AuditHead | undefined>;
}

const MAX_LIMIT = 1000;

/** Builds `ts.audit` for one workspace. */
export function createAuditLedger(store: Store, workspace: string): AuditLedger {
  return {
    async list(query = {}) {
      const limit = query.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
        throw new TeamStateError('invalid_argument', `limit: expected a whole number from 1 to ${MAX_LIMIT}, got ${limit}`);
      }
      const where = ['workspace = ?'];
      const args: InValue[] = [workspace];
      if (query.approvalId !== undefined) {
        where.push('approval_id = ?');
        args.push(query.approvalId);
      }
      if (query.type !== undefined) {
        where.push('type = ?');
        args.push(query.type);
      }
      if (query.afterSeq !== undefined) {
        where.push('seq > ?');
        args.push(query.afterSeq);
      }
      const rows = await store.execute(`SELECT * FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`, [...args, limit]);
      return auditEventRow.all(rows.rows).map(auditEventFromRow);
    },
    verify: (options) => store.write((tx) => verifyAuditLedger(tx, workspace, options)),
    async head() {
      const rows = await store.execute('SELECT seq, hash FROM audit_events WHERE workspace = ? ORDER BY seq DESC LIMIT 1', [workspace]);
      return auditHeadRow.first(rows.rows);
    },
  };
}
