import type { AiAssessment } from '../../kernel/model/ai.js';
import type { Transaction } from '../../kernel/store/driver.js';
import { columns, nullable, text } from '../../kernel/store/row-decoder.js';

const aiRows = columns({ ai: nullable(text) });

/**
 * Changes a work item's stored AI assessment inside the open transaction: `change` gets the stored one (undefined when
 * it has none) and returns the new one, written with its `ai_assisted` flag. A work item that is not stored is left
 * alone.
 */
export async function updateWorkItemAi(
  tx: Transaction,
  workspace: string,
  id: string,
  change: (stored: AiAssessment | undefined) => AiAssessment,
): Promise<void> {
  const row = aiRows.first(
    (await tx.execute({ sql: 'SELECT ai FROM work_items WHERE workspace = ? AND id = ?', args: [workspace, id] })).rows,
  );
  const ai = change(row?.ai ? (JSON.parse(row.ai) as AiAssessment) : undefined);
  await tx.execute({
    sql: 'UPDATE work_items SET ai = ?, ai_assisted = ? WHERE workspace = ? AND id = ?',
    args: [JSON.stringify(ai), ai.assisted ? 1 : 0, workspace, id],
  });
}
