import type { InValue } from '../../kernel/store/driver.js';

const SAVE_CURSOR = `INSERT INTO sync_cursors (workspace, connector, key, value, updated_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (workspace, connector, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;

/**
 * Saves sync cursors (`key` → `value`) of one connector or source scope, stamped `at`, with `execute` (a transaction's,
 * so that they commit with what was written, or the store's): a connector's pages and a knowledge source's documents keep them in step
 * with what they wrote.
 */
export async function saveCursors(
  execute: (sql: string, args: InValue[]) => Promise<unknown>,
  workspace: string,
  scope: string,
  cursors: Iterable<readonly [string, string]>,
  at: number,
): Promise<void> {
  for (const [key, value] of cursors) await execute(SAVE_CURSOR, [workspace, scope, key, value, at]);
}
