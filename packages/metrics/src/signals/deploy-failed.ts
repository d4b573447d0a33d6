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
      `SELECT d.id, d.repository_id, d.environment, d.status, d.finished_at, ${REPOSITORY_TEAM} AS team FROM deployments d
       WHERE d.workspace = ?1 AND lower(d.environment) IN (SELECT value FROM json_each(?2)) AND d.status IN ('failure', 'error') AND d.finished_at <= ?3
       AND NOT EXISTS (SELECT 1 FROM deployments l WHERE l.workspace = d.workspace AND l.repository_id = d.repository_id AND l.environment = d.environment
         AND l.status IN ('success', 'failure', 'error') AND l.finished_at <= ?3 AND (l.finished_at > d.finished_at OR (l.finished_at = d.finished_at AND l.id > d.id)))`,
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
