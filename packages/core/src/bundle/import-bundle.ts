import type { Store } from '../store/open-store.js';
import { type IngestOptions, type IngestResult, ingestBundle } from './ingest-bundle.js';

/** What an import did: records of each kind in the bundle, and rows inserted, changed or removed (0 when nothing changed). */
export type ImportResult = IngestResult;

/**
 * Validates a `teamstate.bundle/v1` document and writes it in one transaction: all or nothing,
 * idempotent. `now` stamps imported reports that carry no `createdAt`. An invalid bundle is refused with every problem's JSON path and the store is left as it was.
 * @throws ValidationError (code `invalid_bundle`)
 */
export function importBundle(
  store: Store,
  workspace: string,
  input: unknown,
  now: () => number,
  options: IngestOptions = {},
): Promise<ImportResult> {
  return store.write((tx) => ingestBundle(tx, workspace, input, now(), { ...options, deferIndexes: store.kind === 'file' }));
}
