import type { Store } from '../store/open-store.js';
import { checkBundleReferences, parseBundle } from './validate-bundle.js';
import { countRecords, type RecordCounts, writeBundle } from './write-bundle.js';

/** What an import did. */
export interface ImportResult {
  /** Records of each kind in the bundle. */
  records: RecordCounts;
  /** Rows inserted, changed or removed; 0 when the store already held exactly this data. */
  changes: number;
}

/**
 * Validates a `teamstate.bundle/v1` document and writes it in one transaction: all or nothing,
 * idempotent. An invalid bundle is refused with every problem's JSON path and the store is left as it was.
 * @throws ValidationError (code `invalid_bundle`)
 */
export async function importBundle(store: Store, workspace: string, input: unknown): Promise<ImportResult> {
  const bundle = parseBundle(input);
  const changes = await store.write(async (tx) => {
    await checkBundleReferences(tx, workspace, bundle);
    return writeBundle(tx, workspace, bundle);
  });
  return { records: countRecords(bundle), changes };
}
