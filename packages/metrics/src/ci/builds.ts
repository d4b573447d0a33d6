import type { MetricQuery, Sql } from '@teamstate/core';
import { and, raw, sql, valueList } from '@teamstate/core/store';
import { byPerson, inWindow, ofTeamRepository } from '../common/scope.js';

/** Conclusions of builds that ran to an end and passed or failed: the success rate's denominator. */
export const DECIDED = ['success', 'failure', 'timed_out', 'error'] as const;
/** Conclusions of builds that ran to an end (their duration counts): cancelled and skipped ones did not. */
export const RAN = ['success', 'failure', 'timed_out', 'neutral', 'action_required'] as const;

/** Build `b` is in the query's scope: its repository's team, its repository, or a pull request of the person. */
export function buildScope(b: string, q: MetricQuery): Sql {
  const conditions: Sql[] = [];
  if (q.team !== undefined) conditions.push(ofTeamRepository(`${b}.repository_id`, { ...q, team: q.team }));
  if (q.repository !== undefined) conditions.push(sql`${raw(b)}.repository_id = ${q.repository}`);
  if (q.person !== undefined)
    conditions.push(
      sql`${raw(b)}.pull_request_id IN (SELECT w.id FROM work_items w WHERE w.workspace = ${q.workspace} AND ${byPerson('w', q.person)})`,
    );
  return and(conditions);
}

/** `builds b WHERE …`: the workspace's builds completed in the window with one of `conclusions`, in scope. */
export const completedBuilds = (b: string, q: MetricQuery, conclusions: readonly string[]): Sql =>
  sql`builds ${raw(b)} WHERE ${raw(b)}.workspace = ${q.workspace} AND ${inWindow(`${b}.completed_at`, q)}
    AND ${raw(b)}.conclusion IN (${valueList(conclusions)}) AND ${buildScope(b, q)}`;
