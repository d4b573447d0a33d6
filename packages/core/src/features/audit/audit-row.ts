import type { AuditEvent } from '../../kernel/model/derived.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Row } from '../../kernel/store/driver.js';

/** Maps an `audit_events` row to an {@link AuditEvent}. */
export function auditEventFromRow(row: Row): AuditEvent {
  const event: AuditEvent = {
    seq: Number(row.seq),
    at: formatTimestamp(Number(row.at)),
    type: String(row.type),
    actor: String(row.actor),
    data: JSON.parse(String(row.data)) as Record<string, unknown>,
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
  if (row.approval_id !== null) event.approvalId = String(row.approval_id);
  return event;
}
