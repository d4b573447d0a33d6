import type { MetricCalculator } from '@teamstate/core';
import { columns, integer, nullable, sql } from '@teamstate/core/store';
import { evidenceRows } from '../common/evidence.js';
import { mergedPullRequests } from '../common/work-items.js';

/**
 * `ai_assisted_share`: pull requests merged in the window whose `ai.assisted` is true ÷ all pull requests merged in
 * the window (bots' PRs such as Dependabot's included); `null` without merged PRs. `assisted` counts AI-assisted PRs,
 * `unknown` those without evidence either way, `notAssisted` those whose author answered "none".
 */
export const aiAssistedShare: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'ai_assisted_share',
  title: 'AI-assisted share',
  unit: 'ratio',
  category: 'ai',
  reads: [],
  description: 'Pull requests merged in [from, to) with ai.assisted true ÷ all pull requests merged in [from, to).',
  async compute(db, q) {
    const row = await db.get(
      columns({ total: integer, assisted: nullable(integer), notAssisted: nullable(integer) }),
      sql`SELECT count(*) AS total, sum(w.ai_assisted = 1) AS assisted, sum(w.ai_assisted = 0) AS notAssisted
          FROM ${mergedPullRequests('w', q)}`,
    );
    const total = row?.total ?? 0;
    const assisted = row?.assisted ?? 0;
    const notAssisted = row?.notAssisted ?? 0;
    return {
      value: total === 0 ? null : assisted / total,
      unit: 'ratio',
      assisted,
      total,
      notAssisted,
      unknown: total - assisted - notAssisted,
    };
  },
  async explain(db, q) {
    const rows = await db.all(
      sql`SELECT w.key, w.merged_at AS mergedAt,
            CASE w.ai_assisted WHEN 1 THEN 'assisted' WHEN 0 THEN 'not assisted' ELSE 'no evidence' END AS ai,
            json_extract(w.ai, '$.tools') AS tools
          FROM ${mergedPullRequests('w', q)} ORDER BY w.merged_at, w.key`,
    );
    return { rows: evidenceRows(rows, ['tools']), warnings: [] };
  },
};
