import type { InValue } from '@libsql/client';
import type { Store } from './open-store.js';

/**
 * The key of a set of production environment patterns in `pull_request_deployments`: the JSON of the lower-cased
 * patterns, in the order given (the order changes nothing but the key).
 */
export const environmentsKey = (patterns: readonly string[]): string => JSON.stringify(patterns.map((p) => p.toLowerCase()));

/** `d` is a production deployment: status `success` and an environment matching one of `count` GLOB patterns (bound at `?`). */
const production = (d: string, count: number) =>
  `${d}.status = 'success' AND (${Array.from({ length: count }, () => `lower(${d}.environment) GLOB ?`).join(' OR ')})`;

/**
 * Inserts the mapping of the workspace's merged pull requests matched by `pullRequests` (a condition over `w`,
 * bound after the workspace), for one pattern set: each PR's deploying production deployment (docs/metrics.md,
 * "Deployment → pull request mapping"): the first production deployment listing it in `(finished_at, id)` order,
 * else the first production deployment of its repository without a PR list finishing at or after its merge.
 */
function insertMapping(count: number, pullRequests: string): string {
  const listed = `(SELECT ld.id FROM deployment_pull_requests ll CROSS JOIN deployments ld ON ld.workspace = ll.workspace AND ld.id = ll.deployment_id
      WHERE ll.workspace = w.workspace AND ll.work_item_id = w.id AND ${production('ld', count)}
      ORDER BY ld.finished_at, ld.id LIMIT 1)`;
  const heuristic = `(SELECT hd.id FROM deployments hd
      WHERE hd.workspace = m.workspace AND hd.repository_id = m.repository_id AND hd.has_pull_request_list = 0
        AND ${production('hd', count)} AND hd.finished_at >= m.merged_at
      ORDER BY hd.finished_at, hd.id LIMIT 1)`;
  return `WITH m AS MATERIALIZED (SELECT w.workspace, w.id, w.repository_id, w.merged_at, ${listed} AS listed
        FROM work_items w WHERE w.workspace = ? AND ${pullRequests} AND +w.kind = 'pull_request' AND w.merged_at IS NOT NULL),
      n AS MATERIALIZED (SELECT m.workspace, m.id, m.repository_id, m.listed, COALESCE(m.listed, ${heuristic}) AS deployment FROM m)
    INSERT INTO pull_request_deployments (workspace, environments, work_item_id, repository_id, deployment_id, finished_at, listed)
    SELECT n.workspace, ?, n.id, COALESCE(n.repository_id, ''), d.id, d.finished_at, n.listed IS NOT NULL
      FROM n CROSS JOIN deployments d ON d.workspace = n.workspace AND d.id = n.deployment
      WHERE n.deployment IS NOT NULL`;
}

/** What {@link ensureDeploymentMapping} did: nothing, a build of the whole workspace, or a rebuild of some repositories. */
export interface DeploymentMappingRefresh {
  /** `current`: nothing to do; `all`: the first build for this pattern set; `repositories`: the stale ones only. */
  readonly rebuilt: 'current' | 'all' | 'repositories';
  /** How many repositories were rebuilt (`''` counts for pull requests without one); 0 for `current` and `all`. */
  readonly repositories: number;
  /** How many mapping rows were written. */
  readonly rows: number;
}

/**
 * Makes `pull_request_deployments` current for a workspace and set of production environment patterns. The first
 * call for a pattern set builds every merged pull request's row. After that, triggers on `deployments`,
 * `deployment_pull_requests` and merged pull requests add the repositories a write touches to
 * `deployment_mapping_stale` (whatever the writer: import, sync, webhooks, removals, retention), and this rebuilds
 * only those repositories' rows, in one write transaction; a current mapping costs one read.
 */
export async function ensureDeploymentMapping(
  store: Store,
  workspace: string,
  patterns: readonly string[],
): Promise<DeploymentMappingRefresh> {
  const key = environmentsKey(patterns);
  const check = `SELECT EXISTS (SELECT 1 FROM deployment_mapping_keys WHERE workspace = ?1 AND environments = ?2) AS built,
      EXISTS (SELECT 1 FROM deployment_mapping_stale WHERE workspace = ?1 AND environments = ?2) AS stale`;
  const current = async (run: Pick<Store, 'execute'>) => {
    const row = (await run.execute(check, [workspace, key])).rows[0];
    return row?.built === 1 && row.stale === 0;
  };
  if (await current(store)) return { rebuilt: 'current', repositories: 0, rows: 0 };
  const globs: InValue[] = patterns.map((p) => p.toLowerCase());
  return store.write(async (tx): Promise<DeploymentMappingRefresh> => {
    const state = (await tx.execute({ sql: check, args: [workspace, key] })).rows[0];
    const insert = async (pullRequests: string, args: InValue[]) =>
      (await tx.execute({ sql: insertMapping(patterns.length, pullRequests), args: [...globs, workspace, ...args, ...globs, key] }))
        .rowsAffected;
    if (state?.built !== 1) {
      await tx.execute({ sql: 'DELETE FROM pull_request_deployments WHERE workspace = ? AND environments = ?', args: [workspace, key] });
      const rows = await insert('1', []);
      await tx.execute({ sql: 'DELETE FROM deployment_mapping_stale WHERE workspace = ? AND environments = ?', args: [workspace, key] });
      await tx.execute({ sql: 'INSERT INTO deployment_mapping_keys (workspace, environments) VALUES (?, ?)', args: [workspace, key] });
      return { rebuilt: 'all', repositories: 0, rows };
    }
    if (state.stale !== 1) return { rebuilt: 'current', repositories: 0, rows: 0 };
    const stale = (
      await tx.execute({
        sql: 'DELETE FROM deployment_mapping_stale WHERE workspace = ? AND environments = ? RETURNING repository_id',
        args: [workspace, key],
      })
    ).rows.map((row) => String(row.repository_id));
    const named = JSON.stringify(stale.filter((id) => id !== ''));
    await tx.execute({
      sql: `DELETE FROM pull_request_deployments WHERE workspace = ? AND environments = ? AND repository_id IN (SELECT value FROM json_each(?))`,
      args: [workspace, key, JSON.stringify(stale)],
    });
    let rows = await insert('w.repository_id IN (SELECT value FROM json_each(?))', [named]);
    if (stale.includes('')) rows += await insert('w.repository_id IS NULL', []);
    return { rebuilt: 'repositories', repositories: stale.length, rows };
  });
}
