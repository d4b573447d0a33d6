import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TeamStateError } from '../../kernel/errors.js';
import { localDay } from '../../kernel/model/local-day.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import type { WebhookDeliveryRow } from '../../records/rows.js';
import { tableSpecs } from '../../records/store/table-specs.js';
import { appendAuditEvent } from '../audit/index.js';
import { type ReportRevisionRow, type ReportRow, reportSpecs } from '../reports/index.js';
import { type SignalRow, signalsSpec } from '../signals/index.js';
import { ARCHIVE_FILES, type ReportLine } from './archive-rows.js';
import {
  type ArchivedTable,
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
}

interface RetentionDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
  options: ResolvedRetention;
}

const PAGE = 1_000;

/**
 * One page of one day's reports, through the day index (`workspace, day`), the day's rows sorted by id. Left to
 * itself SQLite walks the primary key (`workspace, id`) to skip that sort, reading the whole workspace for every page
 * (guarded by reader-plans.test.ts).
 */
export const EXPIRED_REPORTS_PAGE = `SELECT ${reportSpecs.reports.select()} FROM reports INDEXED BY reports_day_idx WHERE workspace = ? AND day = ? AND id > ? ORDER BY id LIMIT ?`;
const DONE_DELIVERIES = "status IN ('processed', 'ignored', 'failed')";

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
  const cutoff = {
    reports: localDay(now - options.reportsMs),
    webhookDeliveries: now - options.webhookDeliveriesMs,
    resolvedSignals: now - options.resolvedSignalsMs,
  };
  const cutoffs = {
    reports: cutoff.reports,
    webhookDeliveries: formatTimestamp(cutoff.webhookDeliveries),
    resolvedSignals: formatTimestamp(cutoff.resolvedSignals),
  };
  const countOf = async (sql: string, args: InValue[]) => Number((await store.execute(sql, args)).rows[0]?.n ?? 0);
  const counts: RetentionCounts = {
    reports: await countOf('SELECT count(*) AS n FROM reports WHERE workspace = ? AND day < ?', [workspace, cutoff.reports]),
    reportRevisions: await countOf(
      'SELECT count(*) AS n FROM report_revisions WHERE workspace = ?1 AND report_id IN (SELECT id FROM reports WHERE workspace = ?1 AND day < ?2)',
      [workspace, cutoff.reports],
    ),
    webhookDeliveries: await countOf(
      `SELECT count(*) AS n FROM webhook_deliveries WHERE workspace = ? AND received_at < ? AND ${DONE_DELIVERIES}`,
      [workspace, cutoff.webhookDeliveries],
    ),
    resolvedSignals: await countOf("SELECT count(*) AS n FROM signals WHERE workspace = ? AND status = 'resolved' AND resolved_at < ?", [
      workspace,
      cutoff.resolvedSignals,
    ]),
  };
  if (dryRun || counts.reports + counts.webhookDeliveries + counts.resolvedSignals === 0) return { dryRun, counts, cutoffs };

  const folder = join(options.archive, workspace, `${formatTimestamp(now).replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`);
  const {
    manifestPath,
    counts: archivedCounts,
    archived,
  } = await writeArchive(deps, folder, now, cutoff, cutoffs, counts).catch((error: NodeJS.ErrnoException) => {
    if (TeamStateError.isInstance(error)) throw error;
    throw new TeamStateError(
      'archive_failed',
      `retention.archive: could not write the archive in ${folder} (${error.code ?? error.message}); nothing was deleted: check the folder and the free space, or set retention.archive`,
      { cause: error },
    );
  });
  await hooks.afterArchive?.(manifestPath);

  await store.write(async (tx) => {
    const deleted = async (sql: string, args: InValue[]) => (await tx.execute({ sql, args })).rows;
    // Exactly the archived rows go: a row that changed or appeared since it was read makes the counts differ, and
    // the transaction rolls back (nothing deleted; the next run archives what is then expired).
    archived.check(
      'reportRevisions',
      await deleted(
        'DELETE FROM report_revisions WHERE workspace = ?1 AND report_id IN (SELECT id FROM reports WHERE workspace = ?1 AND day < ?2) RETURNING report_id AS a, seq AS b',
        [workspace, cutoff.reports],
      ),
      folder,
    );
    archived.check(
      'reports',
      await deleted('DELETE FROM reports WHERE workspace = ? AND day < ? RETURNING id AS a, updated_at AS b', [workspace, cutoff.reports]),
      folder,
    );
    archived.check(
      'webhookDeliveries',
      await deleted(
        `DELETE FROM webhook_deliveries WHERE workspace = ? AND received_at < ? AND ${DONE_DELIVERIES} RETURNING provider || ' ' || delivery_id AS a, attempts AS b`,
        [workspace, cutoff.webhookDeliveries],
      ),
      folder,
    );
    archived.check(
      'resolvedSignals',
      await deleted(
        "DELETE FROM signals WHERE workspace = ? AND status = 'resolved' AND resolved_at < ? RETURNING fingerprint AS a, last_seen_at AS b",
        [workspace, cutoff.resolvedSignals],
      ),
      folder,
    );
    await appendAuditEvent(tx, workspace, now, { type: 'retention.run', actor: by, data: { folder, cutoffs, counts: archivedCounts } });
  });
  return { dryRun, counts: archivedCounts, cutoffs, folder, manifest: manifestPath };
}

/** Writes the run's folder: one data file per table with expired rows, then `manifest.json`, each flushed to disk. */
async function writeArchive(
  deps: RetentionDeps,
  folder: string,
  now: number,
  cutoff: { reports: string; webhookDeliveries: number; resolvedSignals: number },
  cutoffs: RetentionManifest['cutoffs'],
  counts: RetentionCounts,
): Promise<{ manifestPath: string; counts: RetentionCounts; archived: Archived }> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const archived = new Archived();
  const files: RetentionManifestFile[] = [];
  const write = async (table: ArchivedTable, field: string, rows: AsyncIterable<{ line: object; at: string }>) => {
    const range = { field, from: '', to: '' };
    const written = await writeJsonLinesGzip(
      join(folder, ARCHIVE_FILES[table]),
      (async function* () {
        for await (const { line, at } of rows) {
          if (range.from === '' || at < range.from) range.from = at;
          if (range.to === '' || at > range.to) range.to = at;
          yield line;
        }
      })(),
    );
    files.push({ table, path: ARCHIVE_FILES[table], ...written, timeRange: range });
  };
  if (counts.reports > 0) await write('reports', 'day', expiredReports(deps, cutoff.reports, archived));
  if (counts.webhookDeliveries > 0)
    await write('webhookDeliveries', 'receivedAt', expiredDeliveries(deps, cutoff.webhookDeliveries, archived));
  if (counts.resolvedSignals > 0) await write('resolvedSignals', 'resolvedAt', expiredSignals(deps, cutoff.resolvedSignals, archived));
  const manifest: RetentionManifest = {
    format: RETENTION_MANIFEST_FORMAT,
    workspace: deps.workspace,
    createdAt: formatTimestamp(now),
    cutoffs,
    counts: archived.counts(),
    files,
  };
  const manifestPath = join(folder, 'manifest.json');
  await writeFileDurably(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, folder);
  // The run's folder is a new entry of the workspace's archive folder: flushed too, so the archive survives a crash.
  await syncFolder(dirname(folder));
  return { manifestPath, counts: manifest.counts, archived };
}

/** The keys of the rows written to the archive, per table, to check the delete against. */
class Archived {
  readonly #keys: Record<keyof RetentionCounts, Set<string>> = {
    reports: new Set(),
    reportRevisions: new Set(),
    webhookDeliveries: new Set(),
    resolvedSignals: new Set(),
  };

  add(table: keyof RetentionCounts, a: string, b: number): void {
    this.#keys[table].add(`${a}\u0000${b}`);
  }

  counts(): RetentionCounts {
    return {
      reports: this.#keys.reports.size,
      reportRevisions: this.#keys.reportRevisions.size,
      webhookDeliveries: this.#keys.webhookDeliveries.size,
      resolvedSignals: this.#keys.resolvedSignals.size,
    };
  }

  check(table: keyof RetentionCounts, rows: readonly Record<string, unknown>[], folder: string): void {
    const keys = this.#keys[table];
    const same = rows.length === keys.size && rows.every((row) => keys.has(`${String(row.a)}\u0000${Number(row.b)}`));
    if (!same)
      throw new TeamStateError(
        'retention_conflict',
        `retention: ${table} changed while they were being archived (${keys.size} archived, ${rows.length} expired now); nothing was deleted, and ${folder} is not needed: run again`,
      );
  }
}

async function* expiredReports(deps: RetentionDeps, before: string, archived: Archived): AsyncGenerator<{ line: ReportLine; at: string }> {
  const { store, workspace } = deps;
  // Day by day through the day index, each day's reports by id: work in proportion to what expired.
  const days = await store.execute('SELECT DISTINCT day FROM reports WHERE workspace = ? AND day < ? ORDER BY day', [workspace, before]);
  for (const { day } of days.rows) {
    let after = '';
    for (;;) {
      const rows = (await store.execute(EXPIRED_REPORTS_PAGE, [workspace, String(day), after, PAGE])).rows as unknown as ReportRow[];
      if (rows.length === 0) break;
      const revisions = (
        await store.execute(
          `SELECT ${reportSpecs.reportRevisions.select()} FROM report_revisions WHERE workspace = ? AND report_id IN (SELECT value FROM json_each(?)) ORDER BY report_id, seq`,
          [workspace, JSON.stringify(rows.map((row) => row.id))],
        )
      ).rows as unknown as ReportRevisionRow[];
      const byReport = new Map<string, ReportRevisionRow[]>();
      for (const revision of revisions) byReport.set(revision.reportId, [...(byReport.get(revision.reportId) ?? []), revision]);
      for (const { workspace: _, ...row } of rows) {
        archived.add('reports', row.id, row.updatedAt);
        const lines = (byReport.get(row.id) ?? []).map(({ workspace: _w, reportId, ...revision }) => {
          archived.add('reportRevisions', reportId, revision.seq);
          return revision;
        });
        yield { line: { ...row, revisions: lines }, at: row.day };
      }
      after = rows.at(-1)!.id;
    }
  }
}

async function* expiredDeliveries(deps: RetentionDeps, before: number, archived: Archived) {
  const { store, workspace } = deps;
  let after: [string, string] = ['', ''];
  for (;;) {
    const rows = (
      await store.execute(
        `SELECT ${tableSpecs.webhookDeliveries.select()} FROM webhook_deliveries WHERE workspace = ? AND (provider, delivery_id) > (?, ?)
         AND received_at < ? AND ${DONE_DELIVERIES} ORDER BY provider, delivery_id LIMIT ?`,
        [workspace, ...after, before, PAGE],
      )
    ).rows as unknown as WebhookDeliveryRow[];
    if (rows.length === 0) return;
    for (const { workspace: _, ...row } of rows) {
      archived.add('webhookDeliveries', `${row.provider} ${row.deliveryId}`, row.attempts);
      yield { line: row, at: formatTimestamp(row.receivedAt) };
    }
    const last = rows.at(-1)!;
    after = [last.provider, last.deliveryId];
  }
}

async function* expiredSignals(deps: RetentionDeps, before: number, archived: Archived) {
  const { store, workspace } = deps;
  let after = '';
  for (;;) {
    const rows = (
      await store.execute(
        `SELECT ${signalsSpec.select()} FROM signals WHERE workspace = ? AND status = 'resolved' AND fingerprint > ? AND resolved_at < ?
         ORDER BY fingerprint LIMIT ?`,
        [workspace, after, before, PAGE],
      )
    ).rows as unknown as SignalRow[];
    if (rows.length === 0) return;
    for (const { workspace: _, ...row } of rows) {
      archived.add('resolvedSignals', row.fingerprint, row.lastSeenAt);
      yield { line: row, at: formatTimestamp(row.resolvedAt ?? 0) };
    }
    after = rows.at(-1)!.fingerprint;
  }
}

const invalid = (message: string) => new TeamStateError('invalid_argument', message);
