import { parseTimestamp } from '../../kernel/model/timestamp.js';
import type { InValue, ResultSet } from '../../kernel/store/driver.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import type { SyncBatch } from '../../spec/connector.js';

type Execute = (stmt: { sql: string; args: InValue[] }) => Promise<ResultSet>;

const storedRows = columns({ id: text, updated_at: integer });

/**
 * Drops the work items of a webhook's records that are older (`updatedAt`) than the stored copy, so a
 * delivery that arrives out of order, or a captured one re-sent under a new delivery id (the id is a
 * header the signature does not cover), never rolls a work item back. Items without `updatedAt` pass.
 */
export async function dropStaleWorkItems(
  execute: Execute,
  workspace: string,
  records: SyncBatch,
): Promise<{ records: SyncBatch; stale: string[] }> {
  const dated = (records.workItems ?? []).flatMap((item) => {
    const at = item.updatedAt === undefined ? undefined : parseTimestamp(item.updatedAt);
    return at === undefined ? [] : [{ id: item.id, at }];
  });
  if (dated.length === 0) return { records, stale: [] };
  const stored = await execute({
    sql: `SELECT id, updated_at FROM work_items WHERE workspace = ? AND updated_at IS NOT NULL AND id IN (${dated.map(() => '?').join(',')})`,
    args: [workspace, ...dated.map((item) => item.id)],
  });
  const storedAt = new Map(storedRows.all(stored.rows).map((row) => [row.id, row.updated_at]));
  const stale = new Set(dated.filter((item) => item.at < (storedAt.get(item.id) ?? Number.NEGATIVE_INFINITY)).map((item) => item.id));
  if (stale.size === 0) return { records, stale: [] };
  return { records: { ...records, workItems: records.workItems!.filter((item) => !stale.has(item.id)) }, stale: [...stale] };
}
