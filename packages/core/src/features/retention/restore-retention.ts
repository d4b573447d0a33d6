import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { TeamStateError } from '../../kernel/errors.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import type { InValue, Transaction } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { tableSpecs, toRow } from '../../records/store/table-specs.js';
import { appendAuditEvent } from '../audit/index.js';
import { reportSpecs } from '../reports/index.js';
import { signalsSpec } from '../signals/index.js';
import { reportLineSchema, signalLineSchema, webhookDeliveryLineSchema } from './archive-rows.js';
import {
  hashFile,
  invalidArchive,
  parseManifest,
  type RetentionCounts,
  type RetentionManifestFile,
  readJsonLinesGzip,
} from './retention-archive.js';

/** What `ts.retention.restore()` did. */
export interface RetentionRestoreResult {
  /** The manifest restored from. */
  manifest: string;
  /** Rows written back. */
  restored: RetentionCounts;
  /**
   * Rows left out: already there (a second restore of the same archive), or a report whose person is no longer in
   * the workspace (erased since: their reports stay gone), or whose day now has another report.
   */
  skipped: RetentionCounts;
}

interface RestoreDeps {
  store: Store;
  workspace: string;
  clock: () => Date;
}

const zero = (): RetentionCounts => ({ reports: 0, reportRevisions: 0, webhookDeliveries: 0, resolvedSignals: 0 });

/**
 * Brings back the rows of one retention run from its `manifest.json`: the manifest and every data file are checked
 * first (format, each file's sha256, size and row count); then every row is written in one transaction, reports with
 * their revisions (searchable again: the FTS index follows), with a `retention.restored` audit entry. Rows already in
 * the store are left as they are, so restoring twice changes nothing the second time. A malformed manifest or line,
 * or a file whose sha256 does not match, is refused with one message naming it, and nothing is written.
 */
export async function restoreRetention(
  deps: RestoreDeps,
  manifestPath: string,
  options: { by?: string } = {},
): Promise<RetentionRestoreResult> {
  const { store, workspace } = deps;
  if (typeof manifestPath !== 'string' || manifestPath === '')
    throw new TeamStateError('invalid_argument', 'manifest: give the path of the manifest.json a retention run wrote');
  const by = options.by ?? 'api';
  if (typeof by !== 'string' || by.trim() === '')
    throw new TeamStateError('invalid_argument', 'by: say who restores the archive (recorded on the audit ledger)');
  const path = resolve(manifestPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw invalidArchive(`${manifestPath}: cannot be read (${reason}); give the manifest.json of a retention run's folder`);
  }
  const manifest = parseManifest(text, manifestPath);
  if (manifest.workspace !== workspace)
    throw invalidArchive(
      `${manifestPath}: workspace: the archive is of workspace "${manifest.workspace}", this is "${workspace}" (open that workspace to restore it); nothing was restored`,
    );
  const folder = dirname(path);
  // Every file whole before any row is written: a damaged or edited archive is refused without a write.
  for (const file of manifest.files) {
    const found = await hashFile(join(folder, file.path)).catch((error: NodeJS.ErrnoException) => {
      throw invalidArchive(
        `${file.path}: ${error.code === 'ENOENT' ? `missing from ${folder}` : `cannot be read (${error.message})`}; nothing was restored`,
      );
    });
    if (found.sha256 !== file.sha256)
      throw invalidArchive(
        `${file.path}: sha256 ${found.sha256} does not match the manifest's ${file.sha256} (the file was changed or damaged since the run); nothing was restored`,
      );
  }
  const restored = zero();
  const skipped = zero();
  await store.write(async (tx) => {
    for (const file of manifest.files) {
      const lines = linesOf(join(folder, file.path), file);
      if (file.table === 'reports') {
        for await (const line of lines(reportLineSchema)) {
          const { revisions, ...report } = line;
          if (await insertReport(tx, workspace, report)) {
            restored.reports++;
            for (const revision of revisions) {
              const row = toRow(reportSpecs.reportRevisions, { workspace, reportId: report.id, ...revision });
              if (await insertIgnoring(tx, reportSpecs.reportRevisions, row)) restored.reportRevisions++;
              else skipped.reportRevisions++;
            }
          } else {
            skipped.reports++;
            skipped.reportRevisions += revisions.length;
          }
        }
      } else if (file.table === 'webhookDeliveries') {
        for await (const line of lines(webhookDeliveryLineSchema)) {
          if (await insertIgnoring(tx, tableSpecs.webhookDeliveries, toRow(tableSpecs.webhookDeliveries, { workspace, ...line })))
            restored.webhookDeliveries++;
          else skipped.webhookDeliveries++;
        }
      } else {
        for await (const line of lines(signalLineSchema)) {
          if (await insertIgnoring(tx, signalsSpec, toRow(signalsSpec, { workspace, ...line }))) restored.resolvedSignals++;
          else skipped.resolvedSignals++;
        }
      }
    }
    const total = restored.reports + restored.reportRevisions + restored.webhookDeliveries + restored.resolvedSignals;
    // A restore that brings nothing back (the same archive again) changes nothing, the ledger included.
    if (total > 0)
      await appendAuditEvent(tx, workspace, deps.clock().getTime(), {
        type: 'retention.restored',
        actor: by,
        data: { manifest: path, archivedAt: manifest.createdAt, restored, skipped },
      });
  });
  return { manifest: path, restored, skipped };
}

/** The checked lines of one data file; a line that does not fit, or a count other than the manifest's, is refused. */
function linesOf(path: string, file: RetentionManifestFile) {
  const name = basename(path);
  return async function* <S extends z.ZodType>(schema: S): AsyncGenerator<z.infer<S>> {
    let rows = 0;
    for await (const { line, value } of readJsonLinesGzip(path, name)) {
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const [issue] = describeZodIssues(schema, parsed.error.issues);
        throw invalidArchive(`${name} line ${line}: ${issue?.path || '(row)'}: ${issue?.message ?? 'invalid'}; nothing was restored`);
      }
      rows++;
      yield parsed.data;
    }
    if (rows !== file.rows)
      throw invalidArchive(`${name}: holds ${rows} rows, the manifest's files[].rows says ${file.rows}; nothing was restored`);
  };
}

/** Inserts a report unless its id or its person's day is taken or its person is gone; keeps its FTS row id when free. */
async function insertReport(
  tx: Transaction,
  workspace: string,
  report: Omit<z.infer<typeof reportLineSchema>, 'revisions'>,
): Promise<boolean> {
  const row = toRow(reportSpecs.reports, { workspace, ...report });
  const docIdAt = reportSpecs.reports.columns.indexOf('doc_id');
  const values = row.map((_, i) =>
    i === docIdAt
      ? `CASE WHEN EXISTS (SELECT 1 FROM reports WHERE doc_id = ?) THEN (SELECT COALESCE(MAX(doc_id), 0) + 1 FROM reports) ELSE ? END`
      : '?',
  );
  const args: InValue[] = row.flatMap((value, i) => (i === docIdAt ? [value, value] : [value]));
  const inserted = await tx.execute({
    sql: `INSERT INTO reports (${reportSpecs.reports.columns.join(', ')}) SELECT ${values.join(', ')}
          WHERE EXISTS (SELECT 1 FROM people WHERE workspace = ? AND id = ?) ON CONFLICT DO NOTHING`,
    args: [...args, workspace, report.personId],
  });
  return inserted.rowsAffected === 1;
}

async function insertIgnoring(tx: Transaction, table: { name: string; columns: readonly string[] }, row: InValue[]): Promise<boolean> {
  const inserted = await tx.execute({
    sql: `INSERT INTO ${table.name} (${table.columns.join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`,
    args: row,
  });
  return inserted.rowsAffected === 1;
}
