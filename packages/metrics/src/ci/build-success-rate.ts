import type { MetricCalculator } from '@teamstate/core';
import { columns, integer, nullable, sql } from '@teamstate/core/store';
import { evidenceRows } from '../common/evidence.js';
import { completedBuilds, DECIDED } from './builds.js';

/**
 * `build_success_rate`: builds (CI job runs) completed in the window that succeeded ÷ those that passed or failed
 * (`success`, `failure`, `timed_out`, `error`; cancelled, skipped and neutral runs decide nothing); `null` without any.
 * Reruns count as builds of their own: a job that failed and passed on a rerun is one failure and one success.
 */
export const buildSuccessRate: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'build_success_rate',
  title: 'Build success rate',
  unit: 'ratio',
  category: 'ci',
  better: 'higher',
  reads: [],
  description: 'Builds completed in [from, to) with conclusion success ÷ those with conclusion success, failure, timed_out or error.',
  async compute(db, q) {
    const row = await db.get(
      columns({ total: integer, succeeded: nullable(integer) }),
      sql`SELECT count(*) AS total, sum(b.conclusion = 'success') AS succeeded FROM ${completedBuilds('b', q, DECIDED)}`,
    );
    const total = row?.total ?? 0;
    const succeeded = row?.succeeded ?? 0;
    return { value: total === 0 ? null : succeeded / total, unit: 'ratio', succeeded, failed: total - succeeded, total };
  },
  async explain(db, q) {
    const rows = await db.all(
      sql`SELECT b.id AS build, b.repository_id AS repository, b.workflow, b.job, b.commit_sha AS "commit", b.attempt, b.conclusion,
            b.completed_at AS completedAt
          FROM ${completedBuilds('b', q, DECIDED)} ORDER BY b.completed_at, b.id`,
    );
    return { rows: evidenceRows(rows), warnings: [] };
  },
};
