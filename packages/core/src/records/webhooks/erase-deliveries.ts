import type { Transaction } from '../../kernel/store/driver.js';

/**
 * The shared records' part of erasing a person that is about webhooks, inside the erase transaction: the body and
 * headers of every finished delivery (processed, ignored, or failed) that names them are forgotten (NULL). The row
 * stays, so a redelivery of the same id is still recognised. A delivery names them when its body holds one of
 * `identifiers` as a JSON string (`"anag"`) or one of `words` anywhere, ignoring case (an email, a name). Deliveries
 * still queued are left to be processed: their records map to the pseudonym as they are written.
 * @returns how many deliveries' bodies were forgotten.
 */
export async function forgetDeliveriesNaming(
  tx: Transaction,
  workspace: string,
  needles: { identifiers: readonly string[]; words: readonly string[] },
): Promise<number> {
  const quoted = needles.identifiers.map((id) => JSON.stringify(id));
  // As JSON writes them inside a string; as given, and lower-cased against the lower-cased body (SQLite's lower() is
  // ASCII-only: a name with other capitals is still found as given).
  const words = needles.words.filter((word) => word.trim().length >= 4).map((word) => JSON.stringify(word).slice(1, -1));
  const { rowsAffected } = await tx.execute({
    sql: `UPDATE webhook_deliveries SET body = NULL, headers = NULL
          WHERE workspace = ? AND status IN ('processed', 'ignored', 'failed') AND body IS NOT NULL
            AND (EXISTS (SELECT 1 FROM json_each(?) n WHERE instr(body, n.value) > 0)
              OR EXISTS (SELECT 1 FROM json_each(?) w WHERE instr(lower(body), lower(w.value)) > 0))`,
    args: [workspace, JSON.stringify([...quoted, ...words]), JSON.stringify(words)],
  });
  return rowsAffected;
}
