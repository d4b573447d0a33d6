import type { Store } from '../../kernel/store/open-store.js';
import type { RetentionPart } from '../../records/feature.js';
import { type RetentionRestoreResult, restoreRetention } from './restore-retention.js';
import type { ResolvedRetention } from './retention-options.js';
import { type RetentionRunOptions, type RetentionRunResult, runRetention } from './run-retention.js';

/** `ts.retention` (docs/daily-reports.md): archive and delete expired rows, and bring an archive back. */
export interface Retention {
  /**
   * Archives every expired row (reports with their revisions, finished webhook deliveries, resolved signals) into a
   * new folder under the archive, gzip JSON Lines and a `manifest.json`, flushed to disk, then deletes exactly those
   * rows in one transaction, recorded as `retention.run` on the audit ledger (which is never purged). A run that
   * finds nothing expired writes nothing. `dryRun` only counts.
   * @example const { counts, manifest } = await ts.retention.run()
   */
  run(options?: RetentionRunOptions): Promise<RetentionRunResult>;
  /**
   * Brings back the rows of one run from its `manifest.json` (checked first: format, each file's sha256), in one
   * transaction; rows already there are left alone, so restoring twice is harmless. Audited as `retention.restored`.
   * @example await ts.retention.restore('.teamstate/archive/default/2026-11-23T03-00-00-000Z-1a2b3c/manifest.json')
   */
  restore(manifestPath: string, options?: { by?: string }): Promise<RetentionRestoreResult>;
}

/** Builds `ts.retention`; `clock` is the write path's (real) clock: cutoffs and audit entries. */
export function createRetentionApi(deps: {
  store: Store;
  workspace: string;
  clock: () => Date;
  options: ResolvedRetention;
  parts: readonly RetentionPart[];
}): Retention {
  return {
    run: (options) => runRetention(deps, options),
    restore: (manifestPath, options) => restoreRetention(deps, manifestPath, options),
  };
}
