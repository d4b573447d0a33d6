import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { columns, integer, reworkPullRequest, sql } from '@teamstate/core/store';
import { deployedPullRequests, deploymentScope, mappingKey, productionInWindow } from '../common/delivery.js';
import { evidenceRows, unmappedDeployments, warnings } from '../common/evidence.js';
import { inWindow } from '../common/scope.js';

/** Pull request `w` is rework: a rework label (case-insensitive) or a title starting with `Revert `. */
const isRework = (w: string, q: MetricQuery): Sql => reworkPullRequest(w, q.settings.reworkLabels);

/**
 * Production deployments finishing in the window (in scope): `total`, and `rework`, those deploying a rework PR, read
 * from the stored flags (`deployment_rework`, kept with the deployment mapping): a count over an index range of
 * that table, or (for a person, whose scope is the PRs a deployment deploys) one primary-key probe per deployment.
 */
function counts(q: MetricQuery): Sql {
  const total = sql`SELECT count(*) FROM deployments d WHERE ${productionInWindow('d', q)}`;
  if (q.person !== undefined) {
    return sql`SELECT count(*) AS total, coalesce(sum(EXISTS (SELECT 1 FROM deployment_rework r
          WHERE r.workspace = d.workspace AND r.settings = ${mappingKey(q)} AND r.deployment_id = d.id)), 0) AS rework
        FROM deployments d WHERE ${productionInWindow('d', q)}`;
  }
  return sql`SELECT (${total}) AS total, (SELECT count(*) FROM deployment_rework r
      WHERE r.workspace = ${q.workspace} AND r.settings = ${mappingKey(q)} AND ${inWindow('r.finished_at', q)} AND ${deploymentScope('r', q)}) AS rework`;
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
  // The stored rework flags; the pull requests a deployment deploys (explain, a person's scope).
  reads: ['deployment_rework', 'pull_request_deployments'],
  description:
    'Share of production deployments finishing in [from, to) that deploy at least one pull request with a rework label (hotfix, revert, incident) or a title starting with "Revert ".',
  async compute(db, q) {
    const row = await db.get(columns({ total: integer, rework: integer }), counts(q));
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
