import type { ValidationIssue } from '../../kernel/errors.js';
import { type BundleReport, bundleReportSchema } from '../../kernel/model/report.js';
import { parseTimestamp } from '../../kernel/model/timestamp.js';
import type { Transaction } from '../../kernel/store/driver.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import type { BundleSection } from '../../records/feature.js';
import { reportFromRow } from './report-rows.js';
import { reportSpecs as t } from './table-specs.js';
import { writeReports } from './write-reports.js';

/** The bundle's `reports`: each is its person's day, written as `writeReports` writes many (source `import`). */
export const reportsSection: BundleSection<'reports', typeof bundleReportSchema> = {
  list: 'reports',
  element: bundleReportSchema,
  tables: ['reports'],
  references: (report) => [{ kind: 'person', id: report.person, path: 'person' }],
  async checkWithin(reports, { at, indexes, claim }) {
    const days = reports.map(({ person, day }) => `${person}\u0000${day}`);
    const secondDay = await claim('reports.day', days, indexes);
    return reports.flatMap(({ person, day }, i) => {
      const earlier = secondDay.get(indexes[i]!);
      return earlier === undefined
        ? []
        : [
            {
              path: at[i]!,
              message: `second report of ${person} for ${day} (first at reports[${earlier}]); one report per person and day: merge them`,
            },
          ];
    });
  },
  checkStored: (reports, { tx, workspace, at }) => reportIdConflicts(tx, workspace, reports, at),
  write: (tx, workspace, reports, now) =>
    writeReports(
      tx,
      workspace,
      reports.map((report) => {
        const createdAt = report.createdAt === undefined ? now : parseTimestamp(report.createdAt)!;
        return {
          id: report.id,
          person: report.person,
          day: report.day,
          text: report.text,
          blockers: report.blockers,
          source: 'import' as const,
          createdAt,
          updatedAt: report.updatedAt === undefined ? createdAt : parseTimestamp(report.updatedAt)!,
        };
      }),
      now,
    ),
  async read(execute, workspace, person) {
    const { rows } = await execute(
      `SELECT ${t.reports.select()} FROM reports WHERE workspace = ?1 ${person === undefined ? '' : 'AND person_id = ?2'} ORDER BY person_id, day`,
      person === undefined ? [workspace] : [workspace, person],
    );
    // A bundle carries no source: whoever imports it gets `import`.
    return t.reports.rows.all(rows).map((row) => {
      const { source: _source, ...report } = reportFromRow(row);
      return report;
    });
  },
};

/** A stored report with a bundle report's id or person and day, and that report's place in the list checked. */
const storedReport = columns({ i: integer, id: text, person_id: text, day: text });

// A report is its person's day: a bundle may name it by id, but never give a stored day another id, nor a stored
// id another day (that would silently move or duplicate a report). One statement for the whole list (a query per
// report was most of the check on a large import), each side of the UNION on its own index.
async function reportIdConflicts(
  tx: Transaction,
  workspace: string,
  reports: readonly BundleReport[],
  paths: readonly string[],
): Promise<ValidationIssue[]> {
  const named = [...reports.entries()].filter(([, report]) => report.id !== undefined);
  if (named.length === 0) return [];
  const { rows } = await tx.execute({
    sql: `SELECT j.key AS i, r.id, r.person_id, r.day FROM json_each(?2) AS j
            JOIN reports AS r ON r.workspace = ?1 AND r.id = j.value ->> '$[0]'
          UNION
          SELECT j.key, r.id, r.person_id, r.day FROM json_each(?2) AS j
            JOIN reports AS r ON r.workspace = ?1 AND r.person_id = j.value ->> '$[1]' AND r.day = j.value ->> '$[2]'
          ORDER BY 1, 2`,
    args: [workspace, JSON.stringify(named.map(([, report]) => [report.id, report.person, report.day]))],
  });
  return storedReport.all(rows).flatMap(({ i, id, person_id: person, day }): ValidationIssue[] => {
    const [index, report] = named[i]!;
    if (id !== report.id)
      return [{ path: `${paths[index]}.id`, message: `${person}'s report for ${day} is stored as "${id}"; use that id, or none` }];
    if (person !== report.person || day !== report.day)
      return [{ path: `${paths[index]}.id`, message: `"${id}" is ${person}'s report for ${day}; give this one another id, or none` }];
    return [];
  });
}
