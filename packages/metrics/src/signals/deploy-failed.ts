import type { SignalDetector } from '@teamstate/core';
import { humanDuration, names, REPOSITORY_TEAM, rows } from './sql.js';

/** Repositories whose latest production deployment failed. */
export const deployFailed: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'deploy.failed',
  title: 'Failed deployment',
  description:
    'The latest finished deployment of a repository to an environment in `environments` failed (status failure or error); resolved by a later successful one.',
  defaults: { environments: ['production', 'prod'] },
  async detect(store, ctx) {
    const found = await rows(
      store,
      ctx.workspace,
      // The latest finished deployment per repository and environment (SQLite takes the bare columns from
      // the row with the max), then only the failed ones.
      `SELECT d.*, ${REPOSITORY_TEAM} AS team FROM (
         SELECT id, workspace, repository_id, environment, status, max(finished_at) AS finished_at FROM deployments
         WHERE workspace = ?1 AND lower(environment) IN (SELECT value FROM json_each(?2)) AND status IN ('success', 'failure', 'error') AND finished_at <= ?3
         GROUP BY repository_id, environment
       ) d WHERE d.status IN ('failure', 'error')`,
      [JSON.stringify(names(ctx.settings().environments)), ctx.now.getTime()],
    );
    return found.map((r) => ({
      severity: 'critical' as const,
      subject: { type: 'deployment' as const, id: String(r.id) },
      team: r.team === null ? undefined : String(r.team),
      title: `The last ${r.environment} deployment of ${r.repository_id} failed ${humanDuration(ctx.now.getTime() - Number(r.finished_at))} ago`,
      evidence: {
        deployment: String(r.id),
        repository: String(r.repository_id),
        environment: String(r.environment),
        status: String(r.status),
        finishedAt: new Date(Number(r.finished_at)).toISOString(),
      },
    }));
  },
};
