import type { MetricCalculator } from '@teamstate/core';
import { columns, integer, raw, sql } from '@teamstate/core/store';
import { deployedPullRequests, productionInWindow } from '../common/delivery.js';
import { evidenceRows, unmappedDeployments, warnings } from '../common/evidence.js';
import { DAY_MS } from '../common/scope.js';
import { withBand } from './dora-bands.js';

/**
 * `deployment_frequency`: production deployments finishing in the window; `value` = count / window days,
 * with `count`, `deployDays` (distinct UTC days with one), `deployDaysPerWeek` and the DORA `band`.
 */
export const deploymentFrequency: MetricCalculator = {
  specificationVersion: 'v1',
  id: 'deployment_frequency',
  title: 'Deployment frequency',
  unit: 'deployments/day',
  category: 'dora',
  better: 'higher',
  // The pull requests each deployment deploys (explain, a person's scope), from the stored mapping.
  reads: ['pull_request_deployments'],
  description:
    'Production deployments (environment matching a production pattern, status success) finishing in [from, to), divided by the window length in days.',
  async compute(db, q) {
    const row = await db.get(
      columns({ n: integer, days: integer }),
      sql`SELECT count(*) AS n, count(DISTINCT d.finished_at / ${raw(`${DAY_MS}`)}) AS days FROM deployments d WHERE ${productionInWindow('d', q)}`,
    );
    const count = row?.n ?? 0;
    const windowDays = (q.to - q.from) / DAY_MS;
    const deployDays = row?.days ?? 0;
    return withBand(
      'deployment_frequency',
      {
        value: count === 0 ? null : count / windowDays,
        unit: 'deployments/day',
        count,
        deployDays,
        deployDaysPerWeek: deployDays / (windowDays / 7),
        windowDays,
      },
      q,
    );
  },
  async explain(db, q) {
    const rows = await db.all(sql`SELECT d.id AS deployment, d.repository_id AS repository, d.environment, d.finished_at AS finishedAt,
          CASE WHEN d.has_pull_request_list = 1 THEN 'list' ELSE 'heuristic' END AS mapping,
          (SELECT json_group_array(key) FROM (${deployedPullRequests('d', q)})) AS pullRequests
        FROM deployments d WHERE ${productionInWindow('d', q)} ORDER BY d.finished_at, d.id`);
    return { rows: evidenceRows(rows, ['pullRequests']), warnings: warnings([await unmappedDeployments(db, q)]) };
  },
};
