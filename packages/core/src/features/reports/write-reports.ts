import { randomBytes } from 'node:crypto';
import type { InValue, Transaction } from '../../kernel/store/driver.js';
import { columns, integer, nullable, scalar, text } from '../../kernel/store/row-decoder.js';
import { rowsPerStatement } from '../../kernel/store/upsert.js';
import { type ReportWrite, writeReport } from './reports-api.js';

const COLUMNS = ['workspace', 'id', 'doc_id', 'person_id', 'day', 'text', 'blockers', 'source', 'created_at', 'updated_at'];
/** A person's day that has a report already, with what it says. */
const storedDay = columns({ person_id: text, day: text, text: text, blockers: nullable(text) });

/**
 * Writes many reports (of distinct person days) inside the open transaction, as {@link writeReport} would one by
 * one: days without a report get new rows through multi-row INSERTs (full-text index by trigger, as ever), days with
 * the same text change nothing, and days with another text go through `writeReport`, which keeps a revision.
 * Returns how many rows changed. `now` is the fallback of `createdAt` and `updatedAt`.
 */
export async function writeReports(tx: Transaction, workspace: string, reports: readonly ReportWrite[], now: number): Promise<number> {
  if (reports.length === 0) return 0;
  const { rows } = await tx.execute({
    sql: `SELECT person_id, day, text, blockers FROM reports
          WHERE workspace = ? AND (person_id, day) IN (SELECT value ->> '$[0]', value ->> '$[1]' FROM json_each(?))`,
    args: [workspace, JSON.stringify(reports.map((r) => [r.person, r.day]))],
  });
  const stored = new Map(storedDay.all(rows).map((row) => [`${row.person_id}\u0000${row.day}`, row]));
  const fresh: ReportWrite[] = [];
  let changes = 0;
  for (const report of reports) {
    const row = stored.get(`${report.person}\u0000${report.day}`);
    if (!row) fresh.push(report);
    else if (row.text !== report.text || row.blockers !== (report.blockers ?? null))
      changes += (await writeReport(tx, workspace, report, now)).changes;
  }
  if (fresh.length === 0) return changes;
  // doc_id is the report's row in reports_fts: unique across workspaces, past the highest (an index lookup).
  const { rows: top } = await tx.execute('SELECT COALESCE(MAX(doc_id), 0) AS top FROM reports');
  let docId = scalar(top, 'top', integer);
  const size = rowsPerStatement(COLUMNS.length);
  for (let start = 0; start < fresh.length; start += size) {
    const chunk = fresh.slice(start, start + size);
    const args: InValue[] = [];
    for (const r of chunk) {
      const createdAt = r.createdAt ?? now;
      args.push(
        workspace,
        r.id ?? `rep_${randomBytes(8).toString('hex')}`,
        ++docId,
        r.person,
        r.day,
        r.text,
        r.blockers ?? null,
        r.source,
        createdAt,
        r.updatedAt ?? createdAt,
      );
    }
    const values = chunk.map(() => `(${COLUMNS.map(() => '?').join(',')})`).join(',');
    const result = await tx.execute({ sql: `INSERT INTO reports (${COLUMNS.join(',')}) VALUES ${values}`, args });
    changes += result.rowsAffected;
  }
  return changes;
}
