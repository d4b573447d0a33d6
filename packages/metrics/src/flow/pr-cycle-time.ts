import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { deployingDeployment, mappedByMerge, mappedInScope } from '../common/delivery.js';
import { type Distribution, distributions } from '../common/distribution.js';
import { evidenceRows, undeployedPullRequests, warnAbout, warnings } from '../common/evidence.js';
import { hours, inWindow } from '../common/scope.js';
import { firstReviewAt, mergedPullRequests } from '../common/work-items.js';

/**
 * PRs merged in the window with their cycle time and its phases (NULL where a phase has no end or start). Without
 * `keys` (compute) every column but the deploying deployment comes from the covering `work_items_kind_merged_idx`.
 */
function cycles(q: MetricQuery, keys = false): Sql {
  // MATERIALIZED: the deploying deployment is a correlated subquery (one lookup in the stored mapping); without it
  // SQLite would inline it into every expression that uses it and run it several times per PR.
  return sql`WITH pr AS MATERIALIZED (SELECT ${keys ? sql`w.key` : sql`NULL`} AS pullRequest, w.first_commit_at AS firstCommitAt, w.created_at AS openedAt,
        COALESCE(w.ready_at, w.created_at) AS readyAt, ${firstReviewAt('w')} AS firstReviewAt, w.merged_at AS mergedAt,
        ${deployingDeployment('w', q, 'finished_at')} AS deployedAt
      FROM ${mergedPullRequests('w', q)})
    SELECT pullRequest, firstCommitAt, openedAt, readyAt, firstReviewAt, mergedAt, deployedAt,
      mergedAt - COALESCE(firstCommitAt, openedAt) AS cycle_ms,
      openedAt - firstCommitAt AS coding_ms,
      firstReviewAt - readyAt AS pickup_ms,
      mergedAt - firstReviewAt AS review_ms,
      deployedAt - mergedAt AS deploy_ms
    FROM pr`;
}

/**
 * The rows {@link distributions} summarizes for `compute`: every phase but deploy from the covering merged-PR index,
 * and (when the scope allows) the deploy phase from the stored mapping alone (it keeps each PR's merge and its
 * deployment's finish), in rows of their own whose other columns are NULL (ignored per column).
 */
function cycleDurations(q: MetricQuery): Sql {
  const mapped = mappedInScope('m', q);
  if (mapped === undefined) return cycles(q);
  return sql`SELECT w.merged_at - COALESCE(w.first_commit_at, w.created_at) AS cycle_ms, w.created_at - w.first_commit_at AS coding_ms,
      ${firstReviewAt('w')} - COALESCE(w.ready_at, w.created_at) AS pickup_ms, w.merged_at - ${firstReviewAt('w')} AS review_ms, NULL AS deploy_ms
    FROM ${mergedPullRequests('w', q)}
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, m.finished_at - m.merged_at FROM ${mappedByMerge('m', q)} WHERE ${mapped} AND ${inWindow('m.merged_at', q)}`;
}

const PHASES = ['coding', 'pickup', 'review', 'deploy'] as const;
const phase = (d: Distribution) => ({ p50: hours(d.percentiles.get(0.5)), count: d.count });

/**
 * `pr_cycle_time`: PRs merged in the window; `mergedAt` − (`firstCommitAt` ?? `createdAt`) in hours; p50 (`value`),
 * p75, p90, count, and a `breakdown` (p50 and count of each phase): coding (first commit → opened), pickup
 * (ready-or-opened → first review by someone other than the author), review (first review → merge) and
 * deploy (merge → deploying production deployment).
 */
export const prCycleTime: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'pr_cycle_time',
  title: 'PR cycle time',
  unit: 'hours',
  category: 'flow',
  better: 'lower',
  reads: ['pull_request_deployments'],
  description:
    'Median of mergedAt − (firstCommitAt ?? createdAt) over pull requests merged in [from, to), with a coding / pickup / review / deploy breakdown.',
  async compute(db, q) {
    const d = await distributions(
      db,
      cycleDurations(q),
      ['cycle_ms', 'coding_ms', 'pickup_ms', 'review_ms', 'deploy_ms'],
      [0.5, 0.75, 0.9],
    );
    const value = hours(d.cycle_ms.percentiles.get(0.5));
    return {
      value,
      unit: 'hours',
      p50: value,
      p75: hours(d.cycle_ms.percentiles.get(0.75)),
      p90: hours(d.cycle_ms.percentiles.get(0.9)),
      count: d.cycle_ms.count,
      breakdown: Object.fromEntries(PHASES.map((name) => [name, phase(d[`${name}_ms`])])),
    };
  },
  async explain(db, q) {
    const rows = await db.all(sql`SELECT pullRequest, firstCommitAt, openedAt, readyAt, firstReviewAt, mergedAt, deployedAt,
          cycle_ms / 3600000.0 AS cycleHours, coding_ms / 3600000.0 AS codingHours, pickup_ms / 3600000.0 AS pickupHours,
          review_ms / 3600000.0 AS reviewHours, deploy_ms / 3600000.0 AS deployHours
        FROM (${cycles(q, true)}) ORDER BY mergedAt, pullRequest`);
    const noFirstCommit = await warnAbout(
      db,
      sql`SELECT w.key AS label FROM ${mergedPullRequests('w', q)} AND w.first_commit_at IS NULL`,
      (n, sample) => `${n} pull request(s) have no firstCommitAt: their cycle starts at createdAt and they have no coding phase: ${sample}`,
    );
    return { rows: evidenceRows(rows), warnings: warnings([noFirstCommit, await undeployedPullRequests(db, q)]) };
  },
};
