import { z } from 'zod';
import { daySchema, localDay } from '../../kernel/model/local-day.js';
import { REPORT_TEXT_MAX, reportSourceSchema } from '../../kernel/model/report.js';
import type { InValue } from '../../kernel/store/driver.js';
import { columns, integer, scalar, text as textColumn } from '../../kernel/store/row-decoder.js';
import { toRow } from '../../kernel/store/table-spec.js';
import { insertIgnoring } from '../../kernel/store/upsert.js';
import type { ArchivedKey, RestoredCounts, RetentionPart } from '../../records/feature.js';
import type { ReportRevisionRow, ReportRow } from './schema.js';
import { reportSpecs as t } from './table-specs.js';

const epochMs = z.number().int().min(0);
const text = z.string().max(REPORT_TEXT_MAX);

const revisionLineSchema = z.strictObject({
  seq: z.number().int().min(1),
  text,
  blockers: text.nullable(),
  source: z.string().min(1),
  createdAt: epochMs,
  replacedAt: epochMs,
});

/** A `reports` row and its `report_revisions`, as `reports.jsonl.gz` holds them. */
export const reportLineSchema = z.strictObject({
  id: z.string().min(1),
  docId: z.number().int().min(1),
  personId: z.string().min(1),
  day: daySchema,
  text,
  blockers: text.nullable(),
  source: reportSourceSchema,
  createdAt: epochMs,
  updatedAt: epochMs,
  revisions: z.array(revisionLineSchema),
});
export type ReportLine = z.infer<typeof reportLineSchema>;

// A column added to one of these tables must be added to its line too: these fail to compile until it is.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [
  Same<Omit<ReportLine, 'revisions'>, Omit<ReportRow, 'workspace'>>,
  Same<ReportLine['revisions'][number], Omit<ReportRevisionRow, 'workspace' | 'reportId'>>,
] = [true, true];
void sameShapes;

const PAGE = 1_000;
const expiredDay = columns({ day: textColumn });
/** The key of a row deleted (`RETURNING`): a report's id and updated_at, or a revision's report id and seq. */
const deletedKey = columns({ a: textColumn, b: integer });

/**
 * One page of one day's reports, through the day index (`workspace, day`), the day's rows sorted by id. Left to
 * itself SQLite walks the primary key (`workspace, id`) to skip that sort, reading the whole workspace for every page
 * (guarded by reader-plans.test.ts).
 */
export const EXPIRED_REPORTS_PAGE = `SELECT ${t.reports.select()} FROM reports INDEXED BY reports_day_idx WHERE workspace = ? AND day = ? AND id > ? ORDER BY id LIMIT ?`;

const EXPIRED_REVISIONS = 'report_id IN (SELECT id FROM reports WHERE workspace = ?1 AND day < ?2)';

/** Reports of days before the cutoff, each with its revisions. */
export const reportsRetention: RetentionPart = {
  name: 'reports',
  file: 'reports.jsonl.gz',
  timeField: 'day',
  counts: ['reports', 'reportRevisions'],
  lineSchema: reportLineSchema,
  cutoff: (beforeMs) => {
    const day = localDay(beforeMs);
    return { value: day, shown: day };
  },
  async count(execute, workspace, before) {
    const n = async (sql: string) => scalar((await execute(sql, [workspace, before])).rows, 'n', integer);
    return {
      reports: await n('SELECT count(*) AS n FROM reports WHERE workspace = ?1 AND day < ?2'),
      reportRevisions: await n(`SELECT count(*) AS n FROM report_revisions WHERE workspace = ?1 AND ${EXPIRED_REVISIONS}`),
    };
  },
  async *expired(execute, workspace, before) {
    // Day by day through the day index, each day's reports by id: work in proportion to what expired.
    const days = await execute('SELECT DISTINCT day FROM reports WHERE workspace = ? AND day < ? ORDER BY day', [workspace, before]);
    for (const { day } of expiredDay.all(days.rows)) {
      let after = '';
      for (;;) {
        const rows = t.reports.rows.all((await execute(EXPIRED_REPORTS_PAGE, [workspace, day, after, PAGE])).rows);
        if (rows.length === 0) break;
        const revisions = t.reportRevisions.rows.all(
          (
            await execute(
              `SELECT ${t.reportRevisions.select()} FROM report_revisions WHERE workspace = ? AND report_id IN (SELECT value FROM json_each(?)) ORDER BY report_id, seq`,
              [workspace, JSON.stringify(rows.map((row) => row.id))],
            )
          ).rows,
        );
        const byReport = new Map<string, ReportRevisionRow[]>();
        for (const revision of revisions) byReport.set(revision.reportId, [...(byReport.get(revision.reportId) ?? []), revision]);
        for (const { workspace: _, ...row } of rows) {
          const keys: ArchivedKey[] = [{ count: 'reports', a: row.id, b: row.updatedAt }];
          const lines = (byReport.get(row.id) ?? []).map(({ workspace: _w, reportId, ...revision }) => {
            keys.push({ count: 'reportRevisions', a: reportId, b: revision.seq });
            return revision;
          });
          yield { line: { ...row, revisions: lines }, at: row.day, keys };
        }
        after = rows.at(-1)!.id;
      }
    }
  },
  async delete(tx, workspace, before) {
    const deleted = async (count: string, sql: string) =>
      deletedKey.all((await tx.execute({ sql, args: [workspace, before] })).rows).map(({ a, b }) => ({ count, a, b }));
    return [
      ...(await deleted(
        'reportRevisions',
        `DELETE FROM report_revisions WHERE workspace = ?1 AND ${EXPIRED_REVISIONS} RETURNING report_id AS a, seq AS b`,
      )),
      ...(await deleted('reports', 'DELETE FROM reports WHERE workspace = ?1 AND day < ?2 RETURNING id AS a, updated_at AS b')),
    ];
  },
  async restore(tx, workspace, line): Promise<RestoredCounts> {
    const { revisions, ...report } = line as ReportLine;
    if (!(await insertReport(tx, workspace, report))) return { restored: {}, skipped: { reports: 1, reportRevisions: revisions.length } };
    let restored = 0;
    for (const revision of revisions)
      if (await insertIgnoring(tx, t.reportRevisions, toRow(t.reportRevisions, { workspace, reportId: report.id, ...revision })))
        restored++;
    return { restored: { reports: 1, reportRevisions: restored }, skipped: { reportRevisions: revisions.length - restored } };
  },
};

/** Inserts a report unless its id or its person's day is taken or its person is gone; keeps its FTS row id when free. */
async function insertReport(
  tx: Parameters<RetentionPart['restore']>[0],
  workspace: string,
  report: Omit<ReportLine, 'revisions'>,
): Promise<boolean> {
  const row = toRow(t.reports, { workspace, ...report });
  const docIdAt = t.reports.columns.indexOf('doc_id');
  const values = row.map((_, i) =>
    i === docIdAt
      ? `CASE WHEN EXISTS (SELECT 1 FROM reports WHERE doc_id = ?) THEN (SELECT COALESCE(MAX(doc_id), 0) + 1 FROM reports) ELSE ? END`
      : '?',
  );
  const args: InValue[] = row.flatMap((value, i) => (i === docIdAt ? [value, value] : [value]));
  const inserted = await tx.execute({
    sql: `INSERT INTO reports (${t.reports.columns.join(', ')}) SELECT ${values.join(', ')}
          WHERE EXISTS (SELECT 1 FROM people WHERE workspace = ? AND id = ?) ON CONFLICT DO NOTHING`,
    args: [...args, workspace, report.personId],
  });
  return inserted.rowsAffected === 1;
}
