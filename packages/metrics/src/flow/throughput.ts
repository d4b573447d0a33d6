import type { MetricCalculator } from '@teamstate/core';
import { columns, integer, sql } from '@teamstate/core/store';
import { evidenceRows } from '../common/evidence.js';
import { mergedPullRequests, resolvedInWindow } from '../common/work-items.js';

/**
 * `throughput`: pull requests merged in the window (`value`), plus `issues`: issues (every kind but pull
 * request) resolved in the window.
 */
export const throughput: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'throughput',
  title: 'Throughput',
  unit: 'count',
  category: 'flow',
  better: 'higher',
  reads: [],
  description: 'Pull requests merged in [from, to) (value), plus issues resolved in [from, to).',
  async compute(db, q) {
    const row = await db.get(
      columns({ prs: integer, issues: integer }),
      sql`SELECT (SELECT count(*) FROM ${mergedPullRequests('w', q)}) AS prs,
          (SELECT count(*) FROM work_items w WHERE ${resolvedInWindow('w', q)}) AS issues`,
    );
    const pullRequests = row?.prs ?? 0;
    const issues = row?.issues ?? 0;
    return { value: pullRequests === 0 && issues === 0 ? null : pullRequests, unit: 'count', pullRequests, issues };
  },
  async explain(db, q) {
    const rows = await db.all(sql`SELECT w.key, w.kind, w.merged_at AS doneAt FROM ${mergedPullRequests('w', q)}
        UNION ALL SELECT w.key, w.kind, w.resolved_at AS doneAt FROM work_items w WHERE ${resolvedInWindow('w', q)}
        ORDER BY doneAt, key`);
    return { rows: evidenceRows(rows), warnings: [] };
  },
};
