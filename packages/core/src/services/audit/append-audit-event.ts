import { TeamStateError } from '../../kernel/errors.js';
import type { AuditEvent } from '../../kernel/model/derived.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { InStatement, ResultSet } from '../../kernel/store/driver.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import { unstorableText } from '../../kernel/text/storable-text.js';
import type { AuditEventType } from './audit-event-types.js';
import { GENESIS_HASH, hashAuditEntry } from './audit-hash.js';
import { canonicalJson } from './canonical-json.js';

const lastEntryRow = columns({ seq: integer, hash: text, at: integer });

/** Anything that runs statements inside the caller's write transaction. */
export interface StatementRunner {
  execute(statement: InStatement): Promise<ResultSet>;
}

/** An entry to append; `seq`, `at` and the hashes are filled in. */
export interface NewAuditEvent {
  type: AuditEventType;
  approvalId?: string;
  /** Who did it: a person id, the requester, or `system` for expiry and reconciliation. */
  actor: string;
  data: Record<string, unknown>;
}

/**
 * Appends one entry to the workspace's hash-chained ledger. Call it inside the write transaction
 * that makes the change it records, so the change and its audit entry commit (or roll back) together.
 * `at` is the writer's clock; the entry is stamped no earlier than the entry before it (see `data.writtenAt`).
 */
export async function appendAuditEvent(tx: StatementRunner, workspace: string, at: number, event: NewAuditEvent): Promise<AuditEvent> {
  return (await appendAuditEvents(tx, workspace, at, [event]))[0]!;
}

/**
 * Appends entries to the ledger in order, exactly as that many calls of {@link appendAuditEvent} would (each its own
 * entry, chained to the one before), with one read of the newest entry and one statement for all of them: for a batch
 * of changes written in one transaction (a nudges pass's proposals). Refuses them all, writing nothing, when one has
 * a column it could not read back exactly.
 */
export async function appendAuditEvents(
  tx: StatementRunner,
  workspace: string,
  at: number,
  events: readonly NewAuditEvent[],
): Promise<AuditEvent[]> {
  // The hash covers these columns as given; one that would read back otherwise (a NUL cuts it) would break the chain
  // for good, so the write is refused instead. `data` is stored as JSON, which escapes such characters.
  for (const event of events) {
    const texts: [string, string | undefined][] = [
      ['workspace', workspace],
      ['type', event.type],
      ['approvalId', event.approvalId],
      ['actor', event.actor],
    ];
    for (const [field, value] of texts) {
      const problem = value === undefined ? undefined : unstorableText(value);
      if (problem)
        throw new TeamStateError('invalid_argument', `audit entry ${field}: ${problem} (the ledger keeps only text it reads back exactly)`);
    }
  }
  if (events.length === 0) return [];
  const last = await tx.execute({
    sql: 'SELECT seq, hash, at FROM audit_events WHERE workspace = ? ORDER BY seq DESC LIMIT 1',
    args: [workspace],
  });
  let previous: { seq: number; hash: string; at: number } | undefined = lastEntryRow.first(last.rows);
  const entries: AuditEvent[] = [];
  const rows: [number, number, string, string | null, string, string, string, string][] = [];
  for (const event of events) {
    const seq = previous ? previous.seq + 1 : 1;
    const prevHash = previous ? previous.hash : GENESIS_HASH;
    // Ledger time never goes backwards, by construction: a writer whose clock is behind the newest entry's (another
    // machine wrote it) stamps that entry's time and keeps its own in `data.writtenAt`.
    const stamp = previous && previous.at > at ? previous.at : at;
    const data = stamp === at ? event.data : { ...event.data, writtenAt: formatTimestamp(at) };
    const content = {
      workspace,
      seq,
      at: formatTimestamp(stamp),
      type: event.type,
      approvalId: event.approvalId ?? null,
      actor: event.actor,
      data,
    };
    const hash = hashAuditEntry(prevHash, content);
    rows.push([seq, stamp, event.type, content.approvalId, event.actor, canonicalJson(data), prevHash, hash]);
    const entry: AuditEvent = { seq, at: content.at, type: event.type, actor: event.actor, data, prevHash, hash };
    if (event.approvalId !== undefined) entry.approvalId = event.approvalId;
    entries.push(entry);
    previous = { seq, hash, at: stamp };
  }
  if (rows.length === 1)
    await tx.execute({
      sql: `INSERT INTO audit_events (workspace, seq, at, type, approval_id, actor, data, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      args: [workspace, ...rows[0]!],
    });
  else
    await tx.execute({
      sql: `INSERT INTO audit_events (workspace, seq, at, type, approval_id, actor, data, prev_hash, hash)
            SELECT ?, e.value ->> 0, e.value ->> 1, e.value ->> 2, e.value ->> 3, e.value ->> 4, e.value ->> 5, e.value ->> 6,
              e.value ->> 7 FROM json_each(?) e ORDER BY e.key`,
      args: [workspace, JSON.stringify(rows)],
    });
  return entries;
}
