import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { columns, integer, sql } from '@teamstate/core/store';
import { attributedDeployment, attributedInScope, incidentsAttributedTo, productionInWindow } from '../common/delivery.js';
import { evidenceRows, unattributableIncidents, warnings } from '../common/evidence.js';
import { inWindow } from '../common/scope.js';
import { withBand } from './dora-bands.js';

/**
 * How many production deployments finishing in the window (in scope) have an incident attributed: the distinct
 * deployments of the stored attributions (`incident_deployments`, each incident's production deployment with its
 * repository and finish) in scope and window, an index range with no incident or deployment read. For a person, whose
 * scope needs the pull requests a deployment deploys, counted from the incidents side: each incident's attributed
 * deployment is one index probe ({@link attributedDeployment}), so the cost follows the (small) incidents table, not a
 * probe of incidents per deployment. The same deployments as those with a non-empty {@link incidentsAttributedTo},
 * which `explain` lists.
 */
function failedDeployments(q: MetricQuery): Sql {
  const attributed = attributedInScope('a', q);
  if (attributed !== undefined)
    return sql`SELECT count(DISTINCT a.deployment_id) FROM incident_deployments a WHERE ${attributed} AND ${inWindow('a.finished_at', q)}`;
  return sql`SELECT count(DISTINCT d.id) FROM incidents i CROSS JOIN deployments d ON d.workspace = i.workspace AND d.id = ${attributedDeployment('i', q)}
    WHERE i.workspace = ${q.workspace} AND ${productionInWindow('d', q)}`;
}

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
  // The stored attributions; for a person's scope, the pull requests a deployment deploys.
  reads: ['incident_deployments', 'pull_request_deployments'],
  description:
    'Share of production deployments finishing in [from, to) to which at least one incident is attributed (the incident names the deployment, or it is the latest production deployment of the incident repository finished at or before the incident).',
  async compute(db, q) {
    const row = await db.get(
      columns({ total: integer, failed: integer }),
      sql`SELECT (SELECT count(*) FROM deployments d WHERE ${productionInWindow('d', q)}) AS total, (${failedDeployments(q)}) AS failed`,
    );
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
