import type { MetricQuery, Sql } from '@teamstate/core';
import { and, raw, sql } from '@teamstate/core/store';

/** Milliseconds in an hour: durations are stored in ms and reported in hours. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in a day. */
export const DAY_MS = 24 * HOUR_MS;

/** `column` in the query's half-open window `[from, to)`. */
export const inWindow = (column: string, q: MetricQuery): Sql => sql`${raw(column)} >= ${q.from} AND ${raw(column)} < ${q.to}`;

/** Work item `w` is authored by or assigned to `person`. */
export function byPerson(w: string, person: string): Sql {
  return sql`(${raw(w)}.author_id = ${person} OR EXISTS (SELECT 1 FROM work_item_assignees pa
    WHERE pa.workspace = ${raw(w)}.workspace AND pa.work_item_id = ${raw(w)}.id AND pa.person_id = ${person}))`;
}

/**
 * The repository column `column` belongs to the query's team. The subquery is not correlated (the workspace is
 * bound), so SQLite can turn it into a list of repositories and seek the `(workspace, repository_id, …)` indexes.
 */
export function ofTeamRepository(column: string, q: MetricQuery & { team: string }): Sql {
  return sql`${raw(column)} IN (SELECT tr.id FROM repositories tr WHERE tr.workspace = ${q.workspace} AND tr.team_id = ${q.team})`;
}

/**
 * The query is scoped by repository (a team's or one): its rows are the scope's repositories' ranges of the
 * `(workspace, repository_id, …)` indexes, a few of the organisation's.
 */
export const scopedByRepository = (q: MetricQuery): boolean => q.team !== undefined || q.repository !== undefined;

/** Pull request `w` is in scope: team of its repository, repository, author or assignee. */
export function pullRequestScope(w: string, q: MetricQuery): Sql {
  const conditions: Sql[] = [];
  if (q.team !== undefined) conditions.push(ofTeamRepository(`${w}.repository_id`, { ...q, team: q.team }));
  if (q.repository !== undefined) conditions.push(sql`${raw(w)}.repository_id = ${q.repository}`);
  if (q.person !== undefined) conditions.push(byPerson(w, q.person));
  return and(conditions);
}

/** Issue `w` (any work item that is not a pull request) is in scope: its own team, repository, author or assignee. */
export function issueScope(w: string, q: MetricQuery): Sql {
  const conditions: Sql[] = [];
  if (q.team !== undefined) conditions.push(sql`${raw(w)}.team_id = ${q.team}`);
  if (q.repository !== undefined) conditions.push(sql`${raw(w)}.repository_id = ${q.repository}`);
  if (q.person !== undefined) conditions.push(byPerson(w, q.person));
  return and(conditions);
}

/** Milliseconds → hours (`null` stays `null`). */
export const hours = (ms: number | null | undefined): number | null => (ms === null || ms === undefined ? null : ms / HOUR_MS);
