import type { AuditEvent } from '../../kernel/model/derived.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { columns, integer, optional, text } from '../../kernel/store/row-decoder.js';

/** An `audit_events` row as `SELECT *` reads it. */
export const auditEventRow = columns({
  seq: integer,
  at: integer,
  type: text,
  approval_id: optional(text),
  actor: text,
  data: text,
  prev_hash: text,
  hash: text,
});

/** The newest entry's sequence number and hash (`SELECT seq, hash`). */
export const auditHeadRow = columns({ seq: integer, hash: text });

/** Maps an `audit_events` row, read with {@link auditEventRow}, to an {@link AuditEvent}. */
export function auditEventFromRow(row: ReturnType<typeof auditEventRow.one>): AuditEvent {
  const event: AuditEvent = {
    seq: row.seq,
    at: formatTimestamp(row.at),
    type: row.type,
    actor: row.actor,
    data: JSON.parse(row.data) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
  if (row.approval_id !== undefined) event.approvalId = row.approval_id;
  return event;
}
