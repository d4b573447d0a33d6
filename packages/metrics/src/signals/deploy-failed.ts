import type { SignalDetector } from '@teamstate/core';
import { columns, integer, nullable, sql, text } from '@teamstate/core/store';
import { humanDuration, names, REPOSITORY_TEAM } from './sql.js';

/** Repositories whose latest production deployment failed. */
export const deployFailed: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'deploy.failed',
  title: 'Failed deployment',
  description:
    'The latest finished deployment of a repository to an environment in `environments` failed (status failure or error); resolved by a later successful one.',
  defaults: { environments: ['production', 'prod'] },
  incremental: { reads: ['deployments', 'repositories'], drivenBy: 'time' },
  async detect(db, ctx) {
    // The latest finished deployment per repository and environment (SQLite takes the bare columns from
    // the row with the max), then only the failed ones. Read in group order from the covering index (workspace,
    // repository, environment, finished_at, status, id); `+finished_at` keeps the planner off the finished_at index.
    const found = await db.all(
      columns({ id: text, repository_id: text, environment: text, status: text, finished_at: integer, team: nullable(text) }),
      sql`SELECT d.*, ${REPOSITORY_TEAM} AS team FROM (
         SELECT id, workspace, repository_id, environment, status, max(finished_at) AS finished_at FROM deployments
         WHERE workspace = ${ctx.workspace} AND lower(environment) IN (SELECT value FROM json_each(${JSON.stringify(names(ctx.settings().environments))}))
           AND status IN ('success', 'failure', 'error') AND +finished_at <= ${ctx.now.getTime()}
         GROUP BY repository_id, environment
       ) d WHERE d.status IN ('failure', 'error')`,
    );
    return found.map((r) => ({
      severity: 'critical' as const,
      subject: { type: 'deployment' as const, id: r.id },
      team: r.team ?? undefined,
      title: `The last ${r.environment} deployment of ${r.repository_id} failed ${humanDuration(ctx.now.getTime() - r.finished_at)} ago`,
      evidence: {
        deployment: r.id,
        repository: r.repository_id,
        environment: r.environment,
        status: r.status,
        finishedAt: new Date(r.finished_at).toISOString(),
        // When the condition began: what the CLI shows as "Since".
        since: new Date(r.finished_at).toISOString(),
      },
    }));
  },
};
