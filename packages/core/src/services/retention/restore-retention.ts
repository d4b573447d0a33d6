import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { TeamStateError } from '../../kernel/errors.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import type { Store } from '../../kernel/store/open-store.js';
import type { RetentionPart } from '../../records/feature.js';
import { appendAuditEvent } from '../audit/index.js';
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
  /** How each archived table's lines are written back (`retentionParts(features)`). */
  parts: readonly RetentionPart[];
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
      const part = deps.parts.find((p) => p.name === file.table);
      if (!part) throw invalidArchive(`${file.path}: no part of this teamstate restores ${file.table}; nothing was restored`);
      for await (const line of linesOf(join(folder, file.path), file)(part.lineSchema)) {
        const done = await part.restore(tx, workspace, line);
        for (const [name, n] of Object.entries(done.restored)) restored[name as keyof RetentionCounts] += n;
        for (const [name, n] of Object.entries(done.skipped)) skipped[name as keyof RetentionCounts] += n;
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
