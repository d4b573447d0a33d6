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
 * A write of a bundle in one write transaction, with the local file's bulk path: `ingest(tx, options)` runs the ingest
 * with its read-side indexes deferred, and when that bulk-loaded the work items (into empty tables), the deployment
 * mapping is built after it, in the same transaction. Such a file is then rebuilt from its rows (`store.emptyLog()`:
 * `VACUUM`, then the log emptied): rows written in no key order, and grown by their derived columns after they were
 * written, leave pages part empty (about 5 % of a 10,000-engineer file), which the rebuild packs.
 */
export async function writeWithBulkLoad<T>(
  store: Store,
  workspace: string,
  options: ImportOptions,
  ingest: (tx: Transaction, options: IngestOptions) => Promise<T>,
): Promise<T> {
  let workItems = false;
  const result = await store.write(async (tx) => {
    const ingested = await ingest(tx, {
      ...options,
      deferIndexes: store.kind === 'file',
      onBulkLoad: (tables) => {
        workItems ||= tables.includes('work_items');
      },
    });
    // With the import's own page cache: the first read's larger one would take a bulk import past 512 MB of memory.
    if (workItems && options.deliverySettings) await buildDeploymentMapping(tx, store.kind, workspace, options.deliverySettings);
    return ingested;
  });
  if (workItems) await store.emptyLog();
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
  return writeWithBulkLoad(store, workspace, options, (tx, ingest) => ingestBundle(tx, workspace, input, now(), ingest));
}
