import { randomBytes } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TeamStateError } from '../../kernel/errors.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { Store } from '../../kernel/store/open-store.js';
import type { ArchivedKey, RetentionPart } from '../../records/feature.js';
import { appendAuditEvent } from '../audit/index.js';
import { partialFolder, removeFolders, removeInterrupted } from './partial-folders.js';
import {
  ARCHIVED_TABLES,
  type ArchivedTable,
  describeFileError,
  type OpenFile,
  RETENTION_MANIFEST_FORMAT,
  type RetentionCounts,
  type RetentionManifest,
  type RetentionManifestFile,
  syncFolder,
  writeFileDurably,
  writeJsonLinesGzip,
} from './retention-archive.js';
import type { ResolvedRetention } from './retention-options.js';

/** What `ts.retention.run()` takes. */
export interface RetentionRunOptions {
  /** Count what would be archived and deleted; write and delete nothing. */
  dryRun?: boolean;
  /** Who runs it, recorded on the audit ledger (default `api`; the CLI records the OS user, `serve` `system`). */
  by?: string;
}

/** What `ts.retention.run()` did (or, with `dryRun`, would do). */
export interface RetentionRunResult {
  dryRun: boolean;
  /** Rows archived and deleted (a report's revisions counted apart, in `reportRevisions`). */
  counts: RetentionCounts;
  /** What expired: reports of days before `reports`, deliveries received and signals resolved before the instants. */
  cutoffs: { reports: string; webhookDeliveries: string; resolvedSignals: string };
  /** The run's own archive folder; absent on a dry run and when nothing had expired (nothing is written then). */
  folder?: string;
  /** The `manifest.json` in `folder`, for `ts.retention.restore()`. */
  manifest?: string;
}

/** Test hooks of {@link runRetention} (not public API): the crash test stops the process between archive and delete. */
export interface RetentionRunHooks {
  afterArchive?(manifestPath: string): Promise<void>;
  /** Opens the archive's files (default `node:fs/promises` `open`): a test's fails like a full disk. */
  open?: OpenFile;
}

interface RetentionDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
  options: ResolvedRetention;
  /** What is archived, each part registered by the folder that owns its table (`retentionParts(features)`). */
  parts: readonly RetentionPart[];
}

/** The parts in the order the manifest lists them, each with how old its rows may get. */
function orderedParts(deps: RetentionDeps): { table: ArchivedTable; part: RetentionPart; ageMs: number }[] {
  const ages: Record<ArchivedTable, number> = {
    reports: deps.options.reportsMs,
    webhookDeliveries: deps.options.webhookDeliveriesMs,
    resolvedSignals: deps.options.resolvedSignalsMs,
  };
  return ARCHIVED_TABLES.map((table) => {
    const part = deps.parts.find((p) => p.name === table);
    if (!part) throw new TeamStateError('invalid_config', `retention: nothing archives ${table}; its owner's retention part is missing`);
    return { table, part, ageMs: ages[table] };
  });
}

/**
 * Archives every expired row into a new folder under the archive (gzip JSON Lines per table and `manifest.json`,
 * each flushed to disk), then deletes exactly those rows in one transaction with a `retention.run` audit entry.
 * A process that stops in between leaves the rows in place; the next run archives them again into a fresh folder.
 */
export async function runRetention(
  deps: RetentionDeps,
  runOptions: RetentionRunOptions = {},
  hooks: RetentionRunHooks = {},
): Promise<RetentionRunResult> {
  const { store, workspace, options } = deps;
  if (typeof runOptions !== 'object' || runOptions === null) throw invalid('options: expected { dryRun?, by? }');
  const dryRun = runOptions.dryRun ?? false;
  if (typeof dryRun !== 'boolean') throw invalid(`dryRun: expected true or false, got ${JSON.stringify(dryRun)}`);
  const by = runOptions.by ?? 'api';
  if (typeof by !== 'string' || by.trim() === '') throw invalid('by: say who runs retention (recorded on the audit ledger)');
  const now = deps.clock().getTime();
  const parts = orderedParts(deps).map((entry) => ({ ...entry, cutoff: entry.part.cutoff(now - entry.ageMs) }));
  const cutoffs = Object.fromEntries(parts.map(({ table, cutoff }) => [table, cutoff.shown])) as RetentionRunResult['cutoffs'];
  const counts = zeroCounts();
  for (const { part, cutoff } of parts) Object.assign(counts, await part.count(store.execute, workspace, cutoff.value));
  const parent = join(options.archive, workspace);
  if (!dryRun) await removeInterrupted(parent);
  if (dryRun || counts.reports + counts.webhookDeliveries + counts.resolvedSignals === 0) return { dryRun, counts, cutoffs };

  const name = `${formatTimestamp(now).replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const folder = join(parent, name);
  // Written whole under a hidden name and renamed into place: a run that fails (a full disk) or is stopped midway leaves
  // no folder that looks like an archive, and on failure nothing of it at all.
  const { path: partial, done } = partialFolder(parent, name);
  let written: Awaited<ReturnType<typeof writeArchive>>;
  try {
    written = await writeArchive(deps, partial, now, parts, cutoffs, counts, hooks.open);
    await rename(partial, folder);
    await syncFolder(parent);
  } catch (error) {
    const left = await removeFolders([partial, folder]);
    if (TeamStateError.isInstance(error)) throw error;
    throw new TeamStateError(
      'archive_failed',
      `retention.archive: could not write the archive ${folder}: ${describeFileError(error)}; nothing was deleted, and ${left.length === 0 ? 'nothing of the archive is left' : `${left.join(' and ')} could not be removed (it holds people's data: remove it by hand)`}: check the folder and the free space, or set retention.archive`,
      { cause: error },
    );
  } finally {
    done();
  }
  const { counts: archivedCounts, archived } = written;
  const manifestPath = join(folder, 'manifest.json');
  await hooks.afterArchive?.(manifestPath);

  await store
    .write(async (tx) => {
      // Exactly the archived rows go: a row that changed or appeared since it was read makes the counts differ, and
      // the transaction rolls back (nothing deleted; the next run archives what is then expired).
      for (const { part, cutoff } of parts) {
        const deleted = await part.delete(tx, workspace, cutoff.value);
        // In the order the rows were deleted (a report's revisions before it), so the first difference is named.
        const first = (name: string) => {
          const at = deleted.findIndex((key) => key.count === name);
          return at === -1 ? deleted.length : at;
        };
        for (const name of [...part.counts].sort((a, b) => first(a) - first(b)))
          archived.check(
            name as keyof RetentionCounts,
            deleted.filter((key) => key.count === name),
            folder,
          );
      }
      await appendAuditEvent(tx, workspace, now, { type: 'retention.run', actor: by, data: { folder, cutoffs, counts: archivedCounts } });
    })
    .catch(async (error: unknown) => {
      // Rolled back before its commit: nothing was deleted, so the archive is not needed (and holds people's data).
      if (TeamStateError.isInstance(error) && error.code === 'retention_conflict') await removeFolders([folder]);
      throw error;
    });
  return { dryRun, counts: archivedCounts, cutoffs, folder, manifest: manifestPath };
}

/** Writes the run's folder: one data file per table with expired rows, then `manifest.json`, each flushed to disk. */
async function writeArchive(
  deps: RetentionDeps,
  folder: string,
  now: number,
  parts: readonly { table: ArchivedTable; part: RetentionPart; cutoff: { value: string | number } }[],
  cutoffs: RetentionManifest['cutoffs'],
  counts: RetentionCounts,
  open?: OpenFile,
): Promise<{ counts: RetentionCounts; archived: Archived }> {
  await mkdir(dirname(folder), { recursive: true, mode: 0o700 });
  await mkdir(folder, { mode: 0o700 });
  const archived = new Archived();
  const files: RetentionManifestFile[] = [];
  for (const { table, part, cutoff } of parts) {
    if (counts[table] === 0) continue;
    const range = { field: part.timeField, from: '', to: '' };
    const expired = part.expired(deps.store.execute, deps.workspace, cutoff.value);
    const written = await writeJsonLinesGzip(
      join(folder, part.file),
      (async function* () {
        for await (const { line, at, keys } of expired) {
          if (range.from === '' || at < range.from) range.from = at;
          if (range.to === '' || at > range.to) range.to = at;
          for (const key of keys) archived.add(key);
          yield line;
        }
      })(),
      open,
    );
    files.push({ table, path: part.file, ...written, timeRange: range });
  }
  const manifest: RetentionManifest = {
    format: RETENTION_MANIFEST_FORMAT,
    workspace: deps.workspace,
    createdAt: formatTimestamp(now),
    cutoffs,
    counts: archived.counts(),
    files,
  };
  // Last: a folder with a manifest is whole. It is renamed into place next, and the workspace's archive folder flushed
  // then, so the archive survives a crash.
  await writeFileDurably(join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, folder, open);
  return { counts: manifest.counts, archived };
}

const zeroCounts = (): RetentionCounts => ({ reports: 0, reportRevisions: 0, webhookDeliveries: 0, resolvedSignals: 0 });

/** The keys of the rows written to the archive, per table, to check the delete against. */
class Archived {
  readonly #keys: Record<keyof RetentionCounts, Set<string>> = {
    reports: new Set(),
    reportRevisions: new Set(),
    webhookDeliveries: new Set(),
    resolvedSignals: new Set(),
  };

  add(key: ArchivedKey): void {
    this.#keys[key.count as keyof RetentionCounts].add(`${key.a}\u0000${key.b}`);
  }

  counts(): RetentionCounts {
    return {
      reports: this.#keys.reports.size,
      reportRevisions: this.#keys.reportRevisions.size,
      webhookDeliveries: this.#keys.webhookDeliveries.size,
      resolvedSignals: this.#keys.resolvedSignals.size,
    };
  }

  check(table: keyof RetentionCounts, rows: readonly ArchivedKey[], folder: string): void {
    const keys = this.#keys[table];
    const same = rows.length === keys.size && rows.every((row) => keys.has(`${row.a}\u0000${row.b}`));
    if (!same)
      throw new TeamStateError(
        'retention_conflict',
        `retention: ${table} changed while they were being archived (${keys.size} archived, ${rows.length} expired now); nothing was deleted, and the archive ${folder} was removed: run again`,
      );
  }
}

const invalid = (message: string) => new TeamStateError('invalid_argument', message);
