import type { MetricCalculator } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { incidentsAttributedTo, productionInWindow } from '../shared/delivery.js';
import { evidenceRows, unattributableIncidents, warnings } from '../shared/evidence.js';
import { withBand } from './dora-bands.js';

/**
 * `change_failure_rate`: production deployments finishing in the window with at least one incident attributed
 * (any incident, whenever created) ÷ all of them; `value` = failed / total, with `failed`, `total` and the DORA band.
 */
export const changeFailureRate: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'change_failure_rate',
  title: 'Change failure rate',
  unit: 'ratio',
  category: 'dora',
  better: 'lower',
  description:
    'Share of production deployments finishing in [from, to) to which at least one incident is attributed (the incident names the deployment, or it is the latest production deployment of the incident repository finished at or before the incident).',
  async compute(db, q) {
    const [row] = await db.all<{
      total: number | null;
      failed: number | null;
    }>(sql`SELECT count(*) AS total, coalesce(sum(EXISTS (${incidentsAttributedTo('d', q)})), 0) AS failed
        FROM deployments d WHERE ${productionInWindow('d', q)}`);
    const total = row?.total ?? 0;
    const failed = row?.failed ?? 0;
    return withBand('change_failure_rate', { value: total === 0 ? null : failed / total, unit: 'ratio', failed, total }, q);
  },
  async explain(db, q) {
    const rows = await db.all(sql`SELECT d.id AS deployment, d.repository_id AS repository, d.finished_at AS finishedAt,
          EXISTS (${incidentsAttributedTo('d', q)}) AS failed,
          (SELECT json_group_array(id) FROM (${incidentsAttributedTo('d', q)})) AS incidents
        FROM deployments d WHERE ${productionInWindow('d', q)} ORDER BY d.finished_at, d.id`);
    return {
      rows: evidenceRows(rows, ['incidents']).map((row) => ({ ...row, failed: row.failed === 1 })),
      warnings: warnings([await unattributableIncidents(db, q)]),
    };
  },
};
