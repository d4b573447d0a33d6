import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { mappedInScope, mappingKey } from '../common/delivery.js';
import { durationSummary } from '../common/distribution.js';
import { evidenceRows, undeployedPullRequests, unmappedDeployments, warnings } from '../common/evidence.js';
import { inWindow, pullRequestScope } from '../common/scope.js';
import { isPullRequest } from '../common/work-items.js';
import { withBand } from './dora-bands.js';

/**
 * Merged pull requests (in scope) whose deploying production deployment finished in the window, one row each, read
 * from the stored mapping (`pull_request_deployments`) by the deployment's finish time, so the window is an index range.
 */
function deployedInWindow(q: MetricQuery): Sql {
  return sql`SELECT m.deployment_id AS deployment, m.finished_at AS deployedAt, w.key AS pullRequest, w.merged_at AS mergedAt,
      COALESCE(w.first_commit_at, w.created_at) AS startedAt, m.finished_at - COALESCE(w.first_commit_at, w.created_at) AS lead_ms,
      CASE WHEN m.listed = 1 THEN 'list' ELSE 'heuristic' END AS mapping
    FROM pull_request_deployments m CROSS JOIN work_items w ON w.workspace = m.workspace AND w.id = m.work_item_id
    WHERE m.workspace = ${q.workspace} AND m.settings = ${mappingKey(q)} AND ${inWindow('m.finished_at', q)}
      AND ${isPullRequest('w', q)} AND w.merged_at IS NOT NULL AND ${pullRequestScope('w', q)}`;
}

/**
 * The lead times (`lead_ms`) of {@link deployedInWindow}, read from the stored mapping alone (it keeps each PR's
 * start and its deployment's finish) when the scope allows: one covering index range, no work item read.
 */
function leadTimes(q: MetricQuery): Sql {
  const mapped = mappedInScope('m', q);
  if (mapped === undefined) return deployedInWindow(q);
  return sql`SELECT m.finished_at - m.started_at AS lead_ms FROM pull_request_deployments m
    WHERE ${mapped} AND ${inWindow('m.finished_at', q)}`;
}

/**
 * `lead_time_for_changes`: for merged PRs whose deploying deployment finished in the window, deployment
 * `finishedAt` − (`firstCommitAt` ?? `createdAt`) in hours; `value` = p50, with p75, p90, count and the DORA band.
 */
export const leadTimeForChanges: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'lead_time_for_changes',
  title: 'Lead time for changes',
  unit: 'hours',
  category: 'dora',
  better: 'lower',
  reads: ['pull_request_deployments'],
  description:
    'Median of deployment finishedAt − (firstCommitAt ?? createdAt) over merged pull requests whose deploying production deployment finished in [from, to).',
  async compute(db, q) {
    return withBand('lead_time', await durationSummary(db, leadTimes(q), 'lead_ms'), q);
  },
  async explain(db, q) {
    const rows =
      await db.all(sql`SELECT pullRequest, deployment, mapping, startedAt, mergedAt, deployedAt, lead_ms / 3600000.0 AS leadTimeHours
        FROM (${deployedInWindow(q)}) ORDER BY deployedAt, pullRequest`);
    return {
      rows: evidenceRows(rows),
      warnings: warnings([await undeployedPullRequests(db, q), await unmappedDeployments(db, q)]),
    };
  },
};
