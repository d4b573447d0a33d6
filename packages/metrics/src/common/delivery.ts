import type { MetricQuery, Sql } from '@teamstate/core';
import {
  and,
  attributedDeployment as attributedDeploymentOf,
  deliverySettingsKey,
  incidentTeam,
  productionDeployment,
  raw,
  sql,
} from '@teamstate/core/store';
import { byPerson, ofTeamRepository, scopedByRepository } from './scope.js';

// The delivery relations every DORA metric shares, written once as SQL fragments over table aliases.
// Aliases inside a fragment carry a prefix of their own so fragments can nest without clashing.

const NEVER_AFTER = raw('9007199254740991');

/** Deployment `d` is a production deployment: status `success` and an environment matching a production pattern. */
export const isProduction = (d: string, q: MetricQuery): Sql => productionDeployment(d, q.settings.productionEnvironments);

/**
 * The derived delivery rows' key for the query's settings (`pull_request_deployments.settings`,
 * `deployment_rework.settings`), kept current by `ts.metrics` before the first statement of a calculator that lists
 * them in its `reads`.
 */
export const mappingKey = (q: MetricQuery): string => deliverySettingsKey(q.settings);

/**
 * The stored mapping's rows (`pull_request_deployments` as `m`) of the query's settings, in the query's scope by the
 * pull request's repository (stored in the row): for a team or a repository no work item is read. `undefined` for a
 * person, whose scope needs the pull request's author and assignees.
 */
export function mappedInScope(m: string, q: MetricQuery): Sql | undefined {
  if (q.person !== undefined) return undefined;
  const conditions: Sql[] = [sql`${raw(m)}.workspace = ${q.workspace} AND ${raw(m)}.settings = ${mappingKey(q)}`];
  if (q.team !== undefined) conditions.push(ofTeamRepository(`${m}.repository_id`, { ...q, team: q.team }));
  if (q.repository !== undefined) conditions.push(sql`${raw(m)}.repository_id = ${q.repository}`);
  return and(conditions);
}

/**
 * The stored mapping's rows as `m` for a `FROM` whose WHERE is {@link mappedInScope} and a window of their merges. For
 * a team or a repository, INDEXED BY the per-repository merge index: each of the scope's repositories' window range,
 * instead of the window's range of `pull_request_deployments_merged_idx`, which holds the whole organisation's merges
 * and which SQLite prefers without statistics.
 */
export const mappedByMerge = (m: string, q: MetricQuery): Sql =>
  sql`pull_request_deployments ${raw(m)}${raw(scopedByRepository(q) ? ' INDEXED BY pull_request_deployments_repository_merged_idx' : '')}`;

/**
 * The pull requests production deployment `d` deploys, as a SELECT of `work_items` rows with an optional extra
 * condition on them: a deployment with a PR list deploys exactly those PRs; one without deploys the PRs
 * heuristic gives it (the PRs of its repository merged after the previous such production deployment, at or before it,
 * and listed on no production deployment), read from the stored mapping (`pull_request_deployments`, `listed = 0`).
 */
export function deployedPullRequests(d: string, q: MetricQuery, where: (w: string) => Sql = () => raw('1')): Sql {
  return sql`SELECT dlw.* FROM deployment_pull_requests dll CROSS JOIN work_items dlw ON dlw.workspace = dll.workspace AND dlw.id = dll.work_item_id
      WHERE dll.workspace = ${raw(d)}.workspace AND dll.deployment_id = ${raw(d)}.id AND dlw.kind = 'pull_request' AND ${where('dlw')}
    UNION ALL
    SELECT dhw.* FROM pull_request_deployments dhm CROSS JOIN work_items dhw ON dhw.workspace = dhm.workspace AND dhw.id = dhm.work_item_id
      WHERE dhm.workspace = ${raw(d)}.workspace AND dhm.settings = ${mappingKey(q)} AND dhm.deployment_id = ${raw(d)}.id
        AND dhm.listed = 0 AND ${raw(d)}.has_pull_request_list = 0 AND ${where('dhw')}`;
}

/**
 * A column (`finished_at` or `deployment_id`) of the production deployment that deploys merged pull request `w`: the
 * first production deployment listing it, else the first production deployment of its repository without a list
 * finishing at or after its merge; NULL when it was never deployed. One primary-key lookup in the stored mapping (its
 * index and its row: a covering copy of the key cost more space than the row reads it saved).
 */
export function deployingDeployment(w: string, q: MetricQuery, column: 'finished_at' | 'deployment_id'): Sql {
  return sql`(SELECT ddm.${raw(column)} FROM pull_request_deployments ddm
    WHERE ddm.workspace = ${raw(w)}.workspace AND ddm.settings = ${mappingKey(q)} AND ddm.work_item_id = ${raw(w)}.id)`;
}

/**
 * The incidents attributed to deployment `d` (a SELECT of `incidents` rows `ai.*`): those naming it, and those
 * without a deployment in its repository created at or after it finished and before the next production
 * deployment of the repository (so `d` is the latest production deployment finished at or before them).
 * Only meaningful for a production `d`.
 */
export function incidentsAttributedTo(d: string, q: MetricQuery): Sql {
  const next = sql`(SELECT nd.finished_at FROM deployments nd
    WHERE nd.workspace = ${raw(d)}.workspace AND nd.repository_id = ${raw(d)}.repository_id AND nd.finished_at >= ${raw(d)}.finished_at
      AND (nd.finished_at > ${raw(d)}.finished_at OR nd.id > ${raw(d)}.id) AND ${isProduction('nd', q)}
    ORDER BY nd.finished_at LIMIT 1)`;
  return sql`SELECT ai.* FROM incidents ai WHERE ai.workspace = ${raw(d)}.workspace AND ai.deployment_id = ${raw(d)}.id
    UNION ALL
    SELECT ai.* FROM incidents ai
      WHERE ai.workspace = ${raw(d)}.workspace AND ai.deployment_id IS NULL AND ai.repository_id = ${raw(d)}.repository_id
        AND ai.created_at >= ${raw(d)}.finished_at AND ai.created_at < COALESCE(${next}, ${NEVER_AFTER})`;
}

/**
 * The id of the deployment incident `i` is attributed to: its own `deployment` if given; else the latest
 * production deployment of its repository finished at or before it was created; NULL without a repository.
 */
export const attributedDeployment = (i: string, q: MetricQuery): Sql => attributedDeploymentOf(i, q.settings.productionEnvironments);

/**
 * The stored incident attributions (`incident_deployments` as `a`) of the query's settings whose production deployment
 * is in the query's scope by its repository (stored in the row): for a team or a repository no incident or deployment is
 * read. `undefined` for a person, whose scope needs the pull requests the deployment deploys.
 */
export function attributedInScope(a: string, q: MetricQuery): Sql | undefined {
  if (q.person !== undefined) return undefined;
  const conditions: Sql[] = [sql`${raw(a)}.workspace = ${q.workspace} AND ${raw(a)}.settings = ${mappingKey(q)}`];
  if (q.team !== undefined) conditions.push(ofTeamRepository(`${a}.repository_id`, { ...q, team: q.team }));
  if (q.repository !== undefined) conditions.push(sql`${raw(a)}.repository_id = ${q.repository}`);
  return and(conditions);
}

/** Deployment `d` is in scope: team of its repository, repository, and (for a person) it deploys a PR they authored or are assigned. */
export function deploymentScope(d: string, q: MetricQuery): Sql {
  const conditions: Sql[] = [];
  if (q.team !== undefined) conditions.push(ofTeamRepository(`${d}.repository_id`, { ...q, team: q.team }));
  if (q.repository !== undefined) conditions.push(sql`${raw(d)}.repository_id = ${q.repository}`);
  const person = q.person;
  if (person !== undefined) conditions.push(sql`EXISTS (${deployedPullRequests(d, q, (w) => byPerson(w, person))})`);
  return and(conditions);
}

/**
 * Incident `i` is in scope: its team ({@link incidentTeam}: its own or its service's, else its repository's or its
 * deployment's), its repository, and (for a person) its attributed deployment deploys a PR of theirs. An incident
 * without a repository counts for a repository only through none, and for a team through its own team.
 */
export function incidentScope(i: string, q: MetricQuery): Sql {
  const conditions: Sql[] = [];
  if (q.repository !== undefined || q.person !== undefined) conditions.push(sql`${raw(i)}.repository_id IS NOT NULL`);
  if (q.team !== undefined) conditions.push(sql`${incidentTeam(i)} = ${q.team}`);
  if (q.repository !== undefined) conditions.push(sql`${raw(i)}.repository_id = ${q.repository}`);
  if (q.person !== undefined) {
    conditions.push(sql`EXISTS (SELECT 1 FROM deployments isd WHERE isd.workspace = ${raw(i)}.workspace
      AND isd.id = ${attributedDeployment(i, q)} AND ${deploymentScope('isd', { ...q, team: undefined, repository: undefined })})`);
  }
  return and(conditions);
}

/** Deployment `d` is a production deployment of the workspace finished in the window (and, unless `scoped` is false, in scope). */
export function productionInWindow(d: string, q: MetricQuery, scoped = true): Sql {
  return sql`${raw(d)}.workspace = ${q.workspace} AND ${raw(d)}.finished_at >= ${q.from} AND ${raw(d)}.finished_at < ${q.to}
    AND ${isProduction(d, q)} AND ${scoped ? deploymentScope(d, q) : raw('1')}`;
}
