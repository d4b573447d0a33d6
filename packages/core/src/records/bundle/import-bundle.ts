import type { Transaction } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { buildDeploymentMapping, type DeliverySettings } from '../store/deployment-mapping.js';
import { type IngestOptions, type IngestResult, ingestBundle } from './ingest-bundle.js';

/** What an import did: records of each kind in the bundle, and rows inserted, changed or removed (0 when nothing changed). */
export type ImportResult = IngestResult;

/** How an import treats what it writes. */
export interface ImportOptions extends IngestOptions {
  /**
   * The settings of the derived delivery rows (`ts.metrics`' production environments and rework labels): a bulk
   * import of work items into a local file builds them for these settings before it commits, so the first metric
   * read after it does not (20 s at 10,000 engineers).
   */
  deliverySettings?: DeliverySettings;
}

/**
 * A write of a bundle inside `tx`, with the local file's bulk path: `ingest(tx, options)` runs the ingest with its
 * read-side indexes deferred, and when that bulk-loaded the work items, the deployment mapping is built after it.
 */
export async function withBulkLoad<T>(
  store: Store,
  workspace: string,
  tx: Transaction,
  options: ImportOptions,
  ingest: (options: IngestOptions) => Promise<T>,
): Promise<T> {
  let workItems = false;
  const result = await ingest({
    ...options,
    deferIndexes: store.kind === 'file',
    onBulkLoad: (tables) => {
      workItems ||= tables.includes('work_items');
    },
  });
  // With the import's own page cache: the first read's larger one would take a bulk import past 512 MB of memory.
  if (workItems && options.deliverySettings) await buildDeploymentMapping(tx, store.kind, workspace, options.deliverySettings);
  return result;
}

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
  options: ImportOptions = {},
): Promise<ImportResult> {
  return store.write((tx) => withBulkLoad(store, workspace, tx, options, (ingest) => ingestBundle(tx, workspace, input, now(), ingest)));
}
