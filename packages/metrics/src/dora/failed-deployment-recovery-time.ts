import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { attributedDeployment, attributedInScope, deploymentScope, isProduction } from '../common/delivery.js';
import { durationSummary } from '../common/distribution.js';
import { evidenceRows, unattributableIncidents, warnAbout, warnings } from '../common/evidence.js';
import { inWindow } from '../common/scope.js';
import { withBand } from './dora-bands.js';

/** Resolved incidents created in the window with the production deployment (in scope) they are attributed to. */
function recoveries(q: MetricQuery): Sql {
  return sql`SELECT i.id AS incident, d.id AS deployment, d.finished_at AS deployedAt, i.created_at AS createdAt,
      i.resolved_at AS resolvedAt, i.resolved_at - d.finished_at AS recovery_ms
    FROM incidents i JOIN deployments d ON d.workspace = i.workspace AND d.id = ${attributedDeployment('i', q)}
    WHERE i.workspace = ${q.workspace} AND ${inWindow('i.created_at', q)} AND i.resolved_at IS NOT NULL
      AND ${isProduction('d', q)} AND ${deploymentScope('d', q)}`;
}

/**
 * The recovery times {@link durationSummary} summarizes for `compute`: from the stored attributions alone (each keeps
 * the incident's creation and resolution and its deployment's finish and repository) when the scope allows, an index
 * range with no incident or deployment read; else from {@link recoveries}.
 */
function recoveryTimes(q: MetricQuery): Sql {
  const attributed = attributedInScope('a', q);
  if (attributed === undefined) return recoveries(q);
  return sql`SELECT a.resolved_at - a.finished_at AS recovery_ms FROM incident_deployments a
    WHERE ${attributed} AND ${inWindow('a.created_at', q)} AND a.resolved_at IS NOT NULL`;
}

/**
 * `failed_deployment_recovery_time`: incidents created in the window, resolved, attributed to a production
 * deployment in scope; `resolvedAt` − deployment `finishedAt` in hours; `value` = p50, with count and the DORA band.
 */
export const failedDeploymentRecoveryTime: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'failed_deployment_recovery_time',
  title: 'Failed deployment recovery time',
  unit: 'hours',
  category: 'dora',
  better: 'lower',
  // The stored attributions; for a person's scope, the pull requests a deployment deploys.
  reads: ['incident_deployments', 'pull_request_deployments'],
  description:
    'Median of incident resolvedAt − finishedAt of the production deployment it is attributed to, over resolved incidents created in [from, to).',
  async compute(db, q) {
    return withBand('recovery_time', await durationSummary(db, recoveryTimes(q), 'recovery_ms'), q);
  },
  async explain(db, q) {
    const rows = await db.all(sql`SELECT incident, deployment, deployedAt, createdAt, resolvedAt, recovery_ms / 3600000.0 AS recoveryHours
        FROM (${recoveries(q)}) ORDER BY createdAt, incident`);
    const unattributed = await warnAbout(
      db,
      sql`SELECT i.id AS label FROM incidents i WHERE i.workspace = ${q.workspace} AND ${inWindow('i.created_at', q)}
        AND i.resolved_at IS NOT NULL AND i.repository_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM deployments d WHERE d.workspace = i.workspace AND d.id = ${attributedDeployment('i', q)} AND ${isProduction('d', q)})`,
      (n, sample) => `${n} resolved incident(s) created in the window map to no production deployment, so they are left out: ${sample}`,
    );
    const unresolved = await warnAbout(
      db,
      sql`SELECT i.id AS label FROM incidents i WHERE i.workspace = ${q.workspace} AND ${inWindow('i.created_at', q)} AND i.resolved_at IS NULL`,
      (n, sample) => `${n} incident(s) created in the window are not resolved yet and are left out: ${sample}`,
    );
    return { rows: evidenceRows(rows), warnings: warnings([unattributed, unresolved, await unattributableIncidents(db, q)]) };
  },
};
