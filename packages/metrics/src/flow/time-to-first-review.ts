import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { durationSummary } from '../common/distribution.js';
import { evidenceRows, warnAbout, warnings } from '../common/evidence.js';
import { firstReviewAt, mergedPullRequests } from '../common/work-items.js';

/** PRs merged in the window that have a review by someone other than the author, with the wait for it. */
function firstReviews(q: MetricQuery, keys = false): Sql {
  return sql`WITH pr AS MATERIALIZED (SELECT ${keys ? sql`w.key` : sql`NULL`} AS pullRequest, COALESCE(w.ready_at, w.created_at) AS readyAt, ${firstReviewAt('w')} AS firstReviewAt
      FROM ${mergedPullRequests('w', q)})
    SELECT pullRequest, readyAt, firstReviewAt, firstReviewAt - readyAt AS wait_ms FROM pr WHERE firstReviewAt IS NOT NULL`;
}

/**
 * `time_to_first_review`: PRs merged in the window that have a review by someone other than the author;
 * first such review − (`readyAt` ?? `createdAt`) in hours; `value` = p50.
 */
export const timeToFirstReview: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'time_to_first_review',
  title: 'Time to first review',
  unit: 'hours',
  category: 'flow',
  better: 'lower',
  reads: [],
  description:
    'Median of (first review by someone other than the author) − (readyAt ?? createdAt) over pull requests merged in [from, to) that have such a review.',
  async compute(db, q) {
    return durationSummary(db, firstReviews(q), 'wait_ms');
  },
  async explain(db, q) {
    const rows = await db.all(
      sql`SELECT pullRequest, readyAt, firstReviewAt, wait_ms / 3600000.0 AS waitHours FROM (${firstReviews(q, true)}) ORDER BY firstReviewAt, pullRequest`,
    );
    const unreviewed = await warnAbout(
      db,
      sql`SELECT w.key AS label FROM ${mergedPullRequests('w', q)} AND ${firstReviewAt('w')} IS NULL`,
      (n, sample) => `${n} pull request(s) merged in the window have no review by anyone but their author and are left out: ${sample}`,
    );
    return { rows: evidenceRows(rows), warnings: warnings([unreviewed]) };
  },
};
