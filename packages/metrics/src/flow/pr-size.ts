import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { distributions } from '../common/distribution.js';
import { evidenceRows, warnAbout, warnings } from '../common/evidence.js';
import { mergedPullRequests } from '../common/work-items.js';

/** PRs merged in the window with additions + deletions (NULL when neither is known). */
function sizes(q: MetricQuery, keys = false): Sql {
  return sql`SELECT ${keys ? sql`w.key` : sql`NULL`} AS pullRequest, w.merged_at AS mergedAt, w.additions, w.deletions,
      CASE WHEN w.additions IS NULL AND w.deletions IS NULL THEN NULL ELSE COALESCE(w.additions, 0) + COALESCE(w.deletions, 0) END AS lines
    FROM ${mergedPullRequests('w', q)}`;
}

/** `pr_size`: additions + deletions of PRs merged in the window; `value` = p50, with p90 and count. */
export const prSize: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'pr_size',
  title: 'PR size',
  unit: 'lines',
  category: 'flow',
  better: 'lower',
  reads: [],
  description: 'Median of additions + deletions over pull requests merged in [from, to).',
  async compute(db, q) {
    const { lines } = await distributions(db, sizes(q), ['lines'], [0.5, 0.9]);
    return {
      value: lines.percentiles.get(0.5) ?? null,
      unit: 'lines',
      p50: lines.percentiles.get(0.5) ?? null,
      p90: lines.percentiles.get(0.9) ?? null,
      count: lines.count,
    };
  },
  async explain(db, q) {
    const rows = await db.all(sql`SELECT * FROM (${sizes(q, true)}) ORDER BY mergedAt, pullRequest`);
    const unknown = await warnAbout(
      db,
      sql`SELECT pullRequest AS label FROM (${sizes(q, true)}) WHERE lines IS NULL`,
      (n, sample) => `${n} pull request(s) have neither additions nor deletions and are left out: ${sample}`,
    );
    return { rows: evidenceRows(rows), warnings: warnings([unknown]) };
  },
};
