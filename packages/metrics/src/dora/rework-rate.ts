import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { join, raw, sql, valueList } from '@teamstate/core/store';
import { deployedPullRequests, productionInWindow } from '../shared/delivery.js';
import { evidenceRows, unmappedDeployments, warnings } from '../shared/evidence.js';

/**
 * A `LIKE` pattern that matches a stored label list (JSON, lower-cased by SQLite) holding `label`: its JSON string in
 * quotes, with the `LIKE` wildcards escaped by `!`.
 */
const labelPattern = (label: string) => `%${JSON.stringify(label).replace(/[!%_]/g, (c) => `!${c}`)}%`;

/**
 * Pull request `w` is rework: a rework label (case-insensitive) or a title starting with `Revert `. A `LIKE` on the
 * stored list first (every list holding a rework label matches it, since SQLite's ASCII `lower()` commutes with JSON
 * escaping), so only candidate lists are parsed with `json_each`, which decides.
 */
function isRework(w: string, q: MetricQuery): Sql {
  const lowered = q.settings.reworkLabels.map((label) => label.toLowerCase());
  const labels = valueList(lowered);
  const candidate = join(
    lowered.map((label) => sql`lower(${raw(w)}.labels) LIKE ${labelPattern(label)} ESCAPE '!'`),
    ' OR ',
  );
  return sql`(${raw(w)}.title GLOB 'Revert *'
    OR (${raw(w)}.labels IS NOT NULL AND (${candidate})
      AND EXISTS (SELECT 1 FROM json_each(${raw(w)}.labels) rl WHERE lower(rl.value) IN (${labels}))))`;
}

/**
 * `rework_rate`: share of production deployments finishing in the window that deploy at least one pull request
 * labelled hotfix/revert/incident (configurable) or titled `Revert …`; `value` = rework / total.
 */
export const reworkRate: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'rework_rate',
  title: 'Rework rate',
  unit: 'ratio',
  category: 'dora',
  better: 'lower',
  description:
    'Share of production deployments finishing in [from, to) that deploy at least one pull request with a rework label (hotfix, revert, incident) or a title starting with "Revert ".',
  async compute(db, q) {
    const [row] = await db.all<{
      total: number;
      rework: number;
    }>(sql`SELECT count(*) AS total, coalesce(sum(EXISTS (${deployedPullRequests('d', q, (w) => isRework(w, q))})), 0) AS rework
        FROM deployments d WHERE ${productionInWindow('d', q)}`);
    const total = row?.total ?? 0;
    const rework = row?.rework ?? 0;
    return { value: total === 0 ? null : rework / total, unit: 'ratio', rework, total };
  },
  async explain(db, q) {
    const rows = await db.all(sql`SELECT d.id AS deployment, d.repository_id AS repository, d.finished_at AS finishedAt,
          (SELECT json_group_array(key) FROM (${deployedPullRequests('d', q, (w) => isRework(w, q))})) AS reworkPullRequests
        FROM deployments d WHERE ${productionInWindow('d', q)} ORDER BY d.finished_at, d.id`);
    return {
      rows: evidenceRows(rows, ['reworkPullRequests']).map((row) => ({
        ...row,
        rework: (row.reworkPullRequests as unknown[]).length > 0,
      })),
      warnings: warnings([await unmappedDeployments(db, q)]),
    };
  },
};
