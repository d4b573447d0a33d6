import type { Deployment, Incident, Sprint } from '../kernel/model/delivery.js';
import type { InValue } from '../kernel/store/driver.js';
import { inList, instant, limitOf, type ReaderContext, rows } from './reader-rows.js';
import { deploymentFromRow, groupBy, incidentFromRow, sprintFromRow } from './store/records.js';
import { tableSpecs as t } from './store/table-specs.js';

/** Filters of deployments and incidents lists (ISO timestamps, half-open `[from, to)`). */
export interface DeliveryQuery {
  team?: string;
  repository?: string;
  from?: string;
  to?: string;
  limit?: number;
}

/** Sprints, optionally of one team and/or state, newest first. */
export async function listSprints(reader: ReaderContext, query: { team?: string; state?: Sprint['state'] } = {}): Promise<Sprint[]> {
  const where = [query.team ? ' AND team_id = ?' : '', query.state ? ' AND state = ?' : ''].join('');
  const list = await rows(
    reader,
    t.sprints.rows,
    `SELECT ${t.sprints.select()} FROM sprints WHERE workspace = ?${where} ORDER BY start_at DESC, id`,
    [...(query.team ? [query.team] : []), ...(query.state ? [query.state] : [])],
  );
  if (list.length === 0) return [];
  const ids = list.map((r) => r.id);
  const committed = groupBy(
    await rows(
      reader,
      t.sprintCommittedItems.rows,
      `SELECT ${t.sprintCommittedItems.select()} FROM sprint_committed_items WHERE workspace = ? AND sprint_id IN (${inList(ids)}) ORDER BY sprint_id, work_item_id`,
      ids,
    ),
    (r) => r.sprintId,
    (r) => r.workItemId,
  );
  return list.map((r) => sprintFromRow(r, committed.get(r.id) ?? []));
}

/** Deployments finishing in `[from, to)`, newest first. */
export async function listDeployments(reader: ReaderContext, query: DeliveryQuery & { environment?: string } = {}): Promise<Deployment[]> {
  const { where, args } = deliveryFilter(query, 'finished_at');
  if (query.environment) {
    where.push('environment = ?');
    args.push(query.environment);
  }
  const list = await rows(
    reader,
    t.deployments.rows,
    `SELECT ${t.deployments.select()} FROM deployments d WHERE workspace = ?${where.map((c) => ` AND ${c}`).join('')} ORDER BY finished_at DESC, id LIMIT ?`,
    [...args, limitOf(query.limit, 100)],
  );
  if (list.length === 0) return [];
  const ids = list.map((r) => r.id);
  const prs = groupBy(
    await rows(
      reader,
      t.deploymentPullRequests.rows,
      `SELECT ${t.deploymentPullRequests.select()} FROM deployment_pull_requests WHERE workspace = ? AND deployment_id IN (${inList(ids)}) ORDER BY deployment_id, work_item_id`,
      ids,
    ),
    (r) => r.deploymentId,
    (r) => r.workItemId,
  );
  return list.map((r) => deploymentFromRow(r, prs.get(r.id) ?? []));
}

/** Incidents created in `[from, to)`, newest first; `open: true` for unresolved ones only. */
export async function listIncidents(reader: ReaderContext, query: DeliveryQuery & { open?: boolean } = {}): Promise<Incident[]> {
  const { where, args } = deliveryFilter(query, 'created_at');
  if (query.open) where.push('resolved_at IS NULL');
  const list = await rows(
    reader,
    t.incidents.rows,
    `SELECT ${t.incidents.select()} FROM incidents d WHERE workspace = ?${where.map((c) => ` AND ${c}`).join('')} ORDER BY created_at DESC, id LIMIT ?`,
    [...args, limitOf(query.limit, 100)],
  );
  return list.map(incidentFromRow);
}

function deliveryFilter(query: DeliveryQuery, column: string): { where: string[]; args: InValue[] } {
  const where: string[] = [];
  const args: InValue[] = [];
  if (query.team) {
    where.push('d.repository_id IN (SELECT id FROM repositories WHERE workspace = ?1 AND team_id = ?)');
    args.push(query.team);
  }
  if (query.repository) {
    where.push('d.repository_id = ?');
    args.push(query.repository);
  }
  const from = instant('from', query.from);
  const to = instant('to', query.to);
  if (from !== undefined) {
    where.push(`${column} >= ?`);
    args.push(from);
  }
  if (to !== undefined) {
    where.push(`${column} < ?`);
    args.push(to);
  }
  return { where, args };
}
