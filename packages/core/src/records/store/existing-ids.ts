import type { InValue, ResultSet } from '../../kernel/store/driver.js';
import { columns, text } from '../../kernel/store/row-decoder.js';
import type { RecordKind } from '../../spec/connector.js';

export type { RecordKind };

/** Record kinds that other records reference, and their tables. */
export const TABLE_OF_KIND = {
  team: 'teams',
  person: 'people',
  repository: 'repositories',
  'work item': 'work_items',
  sprint: 'sprints',
  deployment: 'deployments',
} as const satisfies Record<RecordKind, string>;

/** Runs one statement: a transaction's or the store's `execute`. */
export type Execute = (sql: string, args: InValue[]) => Promise<ResultSet>;

const idRows = columns({ id: text });

/** Which of `ids` exist in the workspace, looked up 500 at a time. */
export async function existingIds(execute: Execute, kind: RecordKind, workspace: string, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const rows = await execute(`SELECT id FROM ${TABLE_OF_KIND[kind]} WHERE workspace = ? AND id IN (${chunk.map(() => '?').join(',')})`, [
      workspace,
      ...chunk,
    ]);
    for (const row of idRows.all(rows.rows)) found.add(row.id);
  }
  return found;
}

/** Adapts a transaction to {@link Execute}. */
export const txExecute =
  (tx: { execute(stmt: { sql: string; args: InValue[] }): Promise<ResultSet> }): Execute =>
  (sql, args) =>
    tx.execute({ sql, args });
