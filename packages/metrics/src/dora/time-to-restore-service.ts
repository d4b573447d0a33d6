import type { MetricCalculator, MetricQuery, Sql } from '@teamstate/core';
import { sql } from '@teamstate/core/store';
import { incidentScope } from '../common/delivery.js';
import { durationSummary } from '../common/distribution.js';
import { evidenceRows, incidentsWithoutRepository, warnAbout, warnings } from '../common/evidence.js';
import { inWindow } from '../common/scope.js';
import { withBand } from './dora-bands.js';

/** Resolved incidents created in the window and in scope. */
function restored(q: MetricQuery): Sql {
  return sql`SELECT i.id AS incident, i.repository_id AS repository, i.created_at AS createdAt, i.resolved_at AS resolvedAt,
      i.resolved_at - i.created_at AS restore_ms
    FROM incidents i WHERE i.workspace = ${q.workspace} AND ${inWindow('i.created_at', q)} AND i.resolved_at IS NOT NULL AND ${incidentScope('i', q)}`;
}

/**
 * `time_to_restore_service`: incidents created in the window and resolved, in scope (a team's: the incidents whose
 * team, their own or their service's else their repository's or deployment's, is that team); `resolvedAt` −
 * `createdAt` in hours; `value` = p50.
 */
export const timeToRestoreService: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'time_to_restore_service',
  title: 'Time to restore service',
  unit: 'hours',
  category: 'dora',
  better: 'lower',
  // A person's scope: the pull requests the incident's deployment deploys, from the stored mapping.
  reads: ['pull_request_deployments'],
  description: 'Median of incident resolvedAt − createdAt over resolved incidents created in [from, to).',
  async compute(db, q) {
    return withBand('recovery_time', await durationSummary(db, restored(q), 'restore_ms'), q);
  },
  async explain(db, q) {
    const rows = await db.all(
      sql`SELECT incident, repository, createdAt, resolvedAt, restore_ms / 3600000.0 AS restoreHours FROM (${restored(q)}) ORDER BY createdAt, incident`,
    );
    const unresolved = await warnAbout(
      db,
      sql`SELECT i.id AS label FROM incidents i WHERE i.workspace = ${q.workspace} AND ${inWindow('i.created_at', q)}
        AND i.resolved_at IS NULL AND ${incidentScope('i', q)}`,
      (n, sample) => `${n} incident(s) created in the window are not resolved yet and are left out: ${sample}`,
    );
    return { rows: evidenceRows(rows), warnings: warnings([unresolved, await incidentsWithoutRepository(db, q)]) };
  },
};
