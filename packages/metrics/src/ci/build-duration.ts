import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { durationSummary } from '../common/distribution.js';
import { evidenceRows, warnAbout, warnings } from '../common/evidence.js';
import { completedBuilds, RAN } from './builds.js';

/** Builds that ran to an end in the window, with their duration in milliseconds (NULL without a start). */
const durations = (q: MetricQuery): Sql =>
  sql`SELECT b.id AS build, b.repository_id AS repository, b.workflow, b.job, b.conclusion, b.started_at AS startedAt,
      b.completed_at AS completedAt, b.completed_at - b.started_at AS ms
    FROM ${completedBuilds('b', q, RAN)}`;

/**
 * `build_duration`: from start to completion of the builds (CI job runs) completed in the window that ran to an end
 * (cancelled and skipped ones left out); `value` = p50 in hours, with p75, p90 and count.
 */
export const buildDuration: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'build_duration',
  title: 'Build duration',
  unit: 'hours',
  category: 'ci',
  better: 'lower',
  reads: [],
  description:
    'Median of completedAt - startedAt over builds completed in [from, to) that ran to an end (not cancelled or skipped), in hours; p90 alongside.',
  async compute(db, q) {
    return durationSummary(db, sql`SELECT ms FROM (${durations(q)})`, 'ms');
  },
  async explain(db, q) {
    const rows = await db.all(sql`SELECT build, repository, workflow, job, conclusion, startedAt, completedAt, ms / 3600000.0 AS hours
      FROM (${durations(q)}) ORDER BY completedAt, build`);
    const unknown = await warnAbout(
      db,
      sql`SELECT build AS label FROM (${durations(q)}) WHERE ms IS NULL`,
      (n, sample) => `${n} build(s) have no start time and are left out: ${sample}`,
    );
    return { rows: evidenceRows(rows), warnings: warnings([unknown]) };
  },
};
