import type { MetricCalculator } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { distributions } from '../common/distribution.js';
import { evidenceRows, warnings } from '../common/evidence.js';
import { hours } from '../common/scope.js';
import { draftPullRequests, issuesWithoutTransitions } from './wip-warnings.js';
import { workInProgress } from './work-in-progress.js';

/**
 * `aging_wip`: ages at instant `to` of the `wip` items (a PR from `createdAt`, an issue from its first transition
 * into in-progress), in hours; `value` = p50, with `max`, `count` and the five `oldest` with their keys.
 */
export const agingWip: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'aging_wip',
  title: 'Aging work in progress',
  unit: 'hours',
  category: 'flow',
  better: 'lower',
  reads: [],
  description:
    'Median age at instant to of the items in progress (pull request from createdAt, issue from its first transition into in-progress), with the five oldest.',
  async compute(db, q) {
    const aged = sql`SELECT key, kind, ${q.to} - sinceAt AS age_ms FROM (${workInProgress(q)})`;
    const { age_ms: age, top: oldest } = await distributions<'age_ms', { key: string; kind: string; age_ms: number }>(
      db,
      aged,
      ['age_ms'],
      [0.5, 0.9],
      {
        fields: ['key', 'kind', 'age_ms'],
        orderBy: 'age_ms DESC, key',
        count: 5,
      },
    );
    const value = hours(age.percentiles.get(0.5));
    return {
      value,
      unit: 'hours',
      p50: value,
      p90: hours(age.percentiles.get(0.9)),
      max: hours(age.max),
      count: age.count,
      oldest: oldest.map((row) => ({ key: row.key, kind: row.kind, ageHours: hours(row.age_ms) })),
    };
  },
  async explain(db, q) {
    const rows = await db.all(
      sql`SELECT key, kind, sinceAt, (${q.to} - sinceAt) / 3600000.0 AS ageHours FROM (${workInProgress(q)}) ORDER BY sinceAt, key`,
    );
    return { rows: evidenceRows(rows), warnings: warnings([await draftPullRequests(db, q), await issuesWithoutTransitions(db, q)]) };
  },
};
