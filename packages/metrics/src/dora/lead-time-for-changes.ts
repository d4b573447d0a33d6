import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { raw, sql } from '@teamstate/core/store';
import { deployingDeployment, heuristicallyDeploys, productionInWindow } from '../shared/delivery.js';
import { durationSummary } from '../shared/distribution.js';
import { evidenceRows, undeployedPullRequests, unmappedDeployments, warnings } from '../shared/evidence.js';
import { ofTeamRepository, pullRequestScope } from '../shared/scope.js';
import { isPullRequest } from '../shared/work-items.js';
import { withBand } from './dora-bands.js';

/**
 * Merged pull requests (in scope) whose deploying production deployment finished in the window, one row each,
 * found from the deployments side so the window is an index range: PRs a deployment lists when it is the first
 * production deployment listing them, and PRs it deploys by the heuristic.
 *
 * With a team, deployments of the team's repositories are read first; a team PR listed on another team's
 * deployment (rare) is found from the team's PRs instead, so the result stays exact without reading every team's
 * deployments. The heuristic maps only PRs of the deployment's own repository, so it needs no second branch.
 */
function deployedInWindow(q: MetricQuery): Sql {
  const columns = sql`d.id AS deployment, d.finished_at AS deployedAt, w.key AS pullRequest, w.merged_at AS mergedAt,
    COALESCE(w.first_commit_at, w.created_at) AS startedAt, d.finished_at - COALESCE(w.first_commit_at, w.created_at) AS lead_ms`;
  const firstListing = sql`${isPullRequest('w', q)} AND w.merged_at IS NOT NULL AND ${pullRequestScope('w', q)}
    AND d.id = ${deployingDeployment('w', q, 'id')}`;
  const teamDeployments = q.team === undefined ? raw('1') : ofTeamRepository('d.repository_id', { ...q, team: q.team });
  const listed = sql`SELECT ${columns}, 'list' AS mapping
      FROM deployments d CROSS JOIN deployment_pull_requests l ON l.workspace = d.workspace AND l.deployment_id = d.id
        CROSS JOIN work_items w ON w.workspace = l.workspace AND w.id = l.work_item_id
      WHERE ${productionInWindow('d', q, false)} AND ${teamDeployments} AND ${firstListing}`;
  const listedElsewhere =
    q.team === undefined
      ? raw('')
      : sql`UNION ALL SELECT ${columns}, 'list' AS mapping
      FROM work_items w CROSS JOIN deployment_pull_requests l ON l.workspace = w.workspace AND l.work_item_id = w.id
        CROSS JOIN deployments d ON d.workspace = l.workspace AND d.id = l.deployment_id
      WHERE w.workspace = ${q.workspace} AND ${productionInWindow('d', q, false)} AND NOT ${teamDeployments} AND ${firstListing}`;
  return sql`${listed} ${listedElsewhere}
    UNION ALL
    SELECT ${columns}, 'heuristic' AS mapping
      FROM deployments d CROSS JOIN work_items w ON ${heuristicallyDeploys('d', 'w', q, pullRequestScope('w', q))}
      WHERE ${productionInWindow('d', q, false)} AND ${teamDeployments}`;
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
  description:
    'Median of deployment finishedAt − (firstCommitAt ?? createdAt) over merged pull requests whose deploying production deployment finished in [from, to).',
  async compute(db, q) {
    return withBand('lead_time', await durationSummary(db, deployedInWindow(q), 'lead_ms'), q);
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
