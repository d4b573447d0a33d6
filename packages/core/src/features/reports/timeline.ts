import { isDay, localDayRange } from '../../kernel/model/local-day.js';
import type { Report } from '../../kernel/model/report.js';
import { formatTimestamp, parseTimestamp } from '../../kernel/model/timestamp.js';
import type { StatusCategory, WorkItemKind } from '../../kernel/model/work-item.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, oneOf, type RowDecoder, text, textOf } from '../../kernel/store/row-decoder.js';
import { invalid, limitArgument } from '../../records/arguments.js';
import { personTimeZone } from '../../records/identity/person-time-zone.js';
import { mayRead, type Reading } from '../../records/identity/viewer.js';
import type { Page } from '../../records/readers.js';
import { reportFromRow } from './report-rows.js';
import { reportSpecs as t } from './table-specs.js';

/** A work item as a timeline names it. */
export interface TimelineWorkItem {
  id: string;
  key: string;
  title: string;
  kind: WorkItemKind;
}

/** One thing a person did, or wrote, at an instant (`at`, UTC ISO). */
export type TimelineEntry =
  | { at: string; kind: 'report'; report: Report }
  | { at: string; kind: 'pr.opened' | 'pr.merged'; workItem: TimelineWorkItem }
  | { at: string; kind: 'pr.reviewed'; workItem: TimelineWorkItem; review: { state: string } }
  | {
      at: string;
      kind: 'issue.moved';
      workItem: TimelineWorkItem;
      from: string | null;
      to: string;
      fromCategory: StatusCategory | null;
      toCategory: StatusCategory;
    }
  | {
      at: string;
      kind: 'deployment.shipped';
      deployment: { id: string; repository: string; environment: string };
      pullRequests: TimelineWorkItem[];
    };

/** The kinds of {@link TimelineEntry}. */
export type TimelineEntryKind = TimelineEntry['kind'];

/**
 * The range of `ts.timeline()`: ISO timestamps (half-open `[from, to)`), or days `YYYY-MM-DD`, which mean the
 * person's whole local days (`from` its start, `to` its end).
 */
export interface TimelineQuery {
  from: string;
  to: string;
  cursor?: string;
  /** 1–500, default 100. */
  limit?: number;
}

/** Where the timeline reads from: the store, and which environments are production (`metricSettings`). */
export interface TimelineDeps {
  store: Store;
  workspace: string;
  productionEnvironments: readonly string[];
  /** Who reads: without the right to read the person's reports, the timeline keeps the activity and drops them. */
  reading?: Reading;
}

/** One thing the person did: when, what kind, the id of the record it is (`ref`) and its `seq` there (0 for none). */
const activity = columns({
  at: integer,
  kind: oneOf('report', 'pr.opened', 'pr.merged', 'pr.reviewed', 'issue.moved', 'deployment.shipped'),
  ref: text,
  seq: integer,
});
type Row = ReturnType<typeof activity.one>;

/** A pull request the person wrote that a deployment carried. */
const shippedItem = columns({ deployment: text, item: text });
const workItem = columns({ id: text, key: text, title: text, kind: textOf<WorkItemKind>() });
const review = columns({ state: text });
const transition = columns({
  from_status: nullable(text),
  to_status: text,
  from_category: nullable(textOf<StatusCategory>()),
  to_category: textOf<StatusCategory>(),
});
const deployment = columns({ id: text, repository_id: text, environment: text });

function bound(argument: 'from' | 'to', value: unknown, timeZone: string): number {
  if (value === undefined) throw invalid(`${argument}: required (a day YYYY-MM-DD or an ISO timestamp)`);
  if (isDay(value)) return localDayRange(value, timeZone)[argument === 'from' ? 0 : 1];
  const ms = typeof value === 'string' ? parseTimestamp(value) : undefined;
  if (ms === undefined)
    throw invalid(
      `${argument}: expected a day (YYYY-MM-DD) or an ISO timestamp such as 2026-03-18T09:00:00Z, got ${JSON.stringify(value)}`,
    );
  return ms;
}

const encodeCursor = (row: Row) => Buffer.from(JSON.stringify([row.at, row.kind, row.ref, row.seq])).toString('base64url');
function decodeCursor(cursor: unknown): Row {
  if (typeof cursor === 'string') {
    try {
      const [at, kind, ref, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (typeof at === 'number' && typeof kind === 'string' && typeof ref === 'string' && typeof seq === 'number')
        return { at, kind: kind as TimelineEntryKind, ref, seq };
    } catch {}
  }
  throw invalid('cursor: not a cursor returned by a previous page of this timeline (omit it to start from the first page)');
}

/**
 * What the person did in `[from, to)` (epoch ms), oldest first: the activity the store holds, as `(at, kind, ref,
 * seq)` rows. Reviews of the person's own pull requests are not reviewing; issues moved are those assigned to them
 * (trackers do not say who moved an issue); deployments shipped are successful production deployments that carry
 * a pull request they wrote.
 */
async function activityRows(
  deps: TimelineDeps,
  person: string,
  range: { from: number; to: number },
  options: { kinds: readonly TimelineEntryKind[]; after?: Row; limit?: number },
): Promise<Row[]> {
  const production = deps.productionEnvironments.map(() => 'lower(d.environment) GLOB ?').join(' OR ');
  // ?1 workspace, ?2 person, ?3 from, ?4 to; production patterns follow.
  const sources: Record<TimelineEntryKind, string> = {
    report: `SELECT created_at AS at, 'report' AS kind, id AS ref, 0 AS seq FROM reports
             WHERE workspace = ?1 AND person_id = ?2 AND created_at >= ?3 AND created_at < ?4`,
    'pr.opened': `SELECT created_at AS at, 'pr.opened' AS kind, id AS ref, 0 AS seq FROM work_items
                  WHERE workspace = ?1 AND author_id = ?2 AND kind = 'pull_request' AND created_at >= ?3 AND created_at < ?4`,
    'pr.merged': `SELECT merged_at AS at, 'pr.merged' AS kind, id AS ref, 0 AS seq FROM work_items
                  WHERE workspace = ?1 AND author_id = ?2 AND kind = 'pull_request' AND merged_at >= ?3 AND merged_at < ?4`,
    'pr.reviewed': `SELECT rv.submitted_at AS at, 'pr.reviewed' AS kind, rv.work_item_id AS ref, rv.seq AS seq FROM reviews rv
                    JOIN work_items w ON w.workspace = ?1 AND w.id = rv.work_item_id
                    WHERE rv.workspace = ?1 AND rv.reviewer_id = ?2 AND rv.submitted_at >= ?3 AND rv.submitted_at < ?4
                      AND w.author_id IS NOT ?2`,
    'issue.moved': `SELECT tr.at AS at, 'issue.moved' AS kind, tr.work_item_id AS ref, tr.seq AS seq FROM transitions tr
                    JOIN work_items w ON w.workspace = ?1 AND w.id = tr.work_item_id
                    WHERE tr.workspace = ?1 AND tr.at >= ?3 AND tr.at < ?4 AND w.kind <> 'pull_request'
                      AND tr.work_item_id IN (SELECT work_item_id FROM work_item_assignees WHERE workspace = ?1 AND person_id = ?2)`,
    'deployment.shipped': `SELECT d.finished_at AS at, 'deployment.shipped' AS kind, d.id AS ref, 0 AS seq FROM deployments d
                           WHERE d.workspace = ?1 AND d.status = 'success' AND d.finished_at >= ?3 AND d.finished_at < ?4
                             AND (${production || '0'})
                             AND EXISTS (SELECT 1 FROM deployment_pull_requests dp
                                         JOIN work_items w ON w.workspace = ?1 AND w.id = dp.work_item_id
                                         WHERE dp.workspace = ?1 AND dp.deployment_id = d.id AND w.author_id = ?2)`,
  };
  const args: InValue[] = [deps.workspace, person, range.from, range.to, ...deps.productionEnvironments.map((p) => p.toLowerCase())];
  let sql = `SELECT at, kind, ref, seq FROM (${options.kinds.map((kind) => sources[kind]).join(' UNION ALL ')})`;
  if (options.after) {
    sql += ' WHERE (at, kind, ref, seq) > (?, ?, ?, ?)';
    args.push(options.after.at, options.after.kind, options.after.ref, options.after.seq);
  }
  sql += ' ORDER BY at, kind, ref, seq';
  if (options.limit !== undefined) {
    sql += ' LIMIT ?';
    args.push(options.limit);
  }
  return activity.all((await deps.store.execute(sql, args)).rows);
}

const inList = (values: readonly unknown[]) => values.map(() => '?').join(',');

/** Turns activity rows into entries, reading the work items, reviews, transitions, deployments and reports they name. */
async function hydrate(deps: TimelineDeps, person: string, rows: readonly Row[]): Promise<TimelineEntry[]> {
  const { store, workspace } = deps;
  const of = (kinds: TimelineEntryKind[]) => rows.filter((row) => kinds.includes(row.kind));
  const deploymentIds = [...new Set(of(['deployment.shipped']).map((row) => row.ref))];
  const shipped =
    deploymentIds.length === 0
      ? []
      : shippedItem.all(
          (
            await store.execute(
              `SELECT dp.deployment_id AS deployment, dp.work_item_id AS item FROM deployment_pull_requests dp
               JOIN work_items w ON w.workspace = dp.workspace AND w.id = dp.work_item_id
               WHERE dp.workspace = ? AND dp.deployment_id IN (${inList(deploymentIds)}) AND w.author_id = ? ORDER BY dp.work_item_id`,
              [workspace, ...deploymentIds, person],
            )
          ).rows,
        );
  const itemIds = [
    ...new Set([...of(['pr.opened', 'pr.merged', 'pr.reviewed', 'issue.moved']).map((row) => row.ref), ...shipped.map((s) => s.item)]),
  ];
  const items = new Map<string, TimelineWorkItem>();
  if (itemIds.length > 0) {
    const found = await store.execute(`SELECT id, key, title, kind FROM work_items WHERE workspace = ? AND id IN (${inList(itemIds)})`, [
      workspace,
      ...itemIds,
    ]);
    for (const row of workItem.all(found.rows)) items.set(row.id, row);
  }
  const keyed = async <T>(decoder: RowDecoder<T>, table: string, selected: string, refs: Row[]) => {
    const map = new Map<string, T>();
    for (const row of refs) {
      const found = await store.execute(`SELECT ${selected} FROM ${table} WHERE workspace = ? AND work_item_id = ? AND seq = ?`, [
        workspace,
        row.ref,
        row.seq,
      ]);
      const one = decoder.first(found.rows);
      if (one) map.set(`${row.ref}#${row.seq}`, one);
    }
    return map;
  };
  const reviews = await keyed(review, 'reviews', 'state', of(['pr.reviewed']));
  const transitions = await keyed(transition, 'transitions', 'from_status, to_status, from_category, to_category', of(['issue.moved']));
  const deployments = new Map<string, { id: string; repository: string; environment: string }>();
  if (deploymentIds.length > 0) {
    const found = await store.execute(
      `SELECT id, repository_id, environment FROM deployments WHERE workspace = ? AND id IN (${inList(deploymentIds)})`,
      [workspace, ...deploymentIds],
    );
    for (const row of deployment.all(found.rows))
      deployments.set(row.id, { id: row.id, repository: row.repository_id, environment: row.environment });
  }
  const reportIds = of(['report']).map((row) => row.ref);
  const reports = new Map<string, Report>();
  if (reportIds.length > 0) {
    const found = await store.execute(`SELECT ${t.reports.select()} FROM reports WHERE workspace = ? AND id IN (${inList(reportIds)})`, [
      workspace,
      ...reportIds,
    ]);
    for (const row of t.reports.rows.all(found.rows)) reports.set(row.id, reportFromRow(row));
  }

  return rows.map((row): TimelineEntry => {
    const at = formatTimestamp(row.at);
    switch (row.kind) {
      case 'report':
        return { at, kind: 'report', report: reports.get(row.ref)! };
      case 'pr.opened':
      case 'pr.merged':
        return { at, kind: row.kind, workItem: items.get(row.ref)! };
      case 'pr.reviewed':
        return {
          at,
          kind: 'pr.reviewed',
          workItem: items.get(row.ref)!,
          review: { state: reviews.get(`${row.ref}#${row.seq}`)!.state },
        };
      case 'issue.moved': {
        const tr = transitions.get(`${row.ref}#${row.seq}`)!;
        return {
          at,
          kind: 'issue.moved',
          workItem: items.get(row.ref)!,
          from: tr.from_status,
          to: tr.to_status,
          fromCategory: tr.from_category,
          toCategory: tr.to_category,
        };
      }
      case 'deployment.shipped':
        return {
          at,
          kind: 'deployment.shipped',
          deployment: deployments.get(row.ref)!,
          pullRequests: shipped.filter((s) => s.deployment === row.ref).map((s) => items.get(s.item)!),
        };
    }
  });
}

const ALL_KINDS: readonly TimelineEntryKind[] = ['report', 'pr.opened', 'pr.merged', 'pr.reviewed', 'issue.moved', 'deployment.shipped'];

/** `ts.timeline(person, { from, to, cursor?, limit? })`: reports and activity merged in time order, oldest first, paged. */
export async function timeline(deps: TimelineDeps, person: string, query: TimelineQuery): Promise<Page<TimelineEntry>> {
  const timeZone = await personTimeZone(deps.store, deps.workspace, person);
  if (typeof query !== 'object' || query === null) throw invalid('query: expected { from, to, cursor?, limit? }');
  const from = bound('from', query.from, timeZone);
  const to = bound('to', query.to, timeZone);
  if (to <= from) throw invalid(`to: must be after from (got from ${formatTimestamp(from)}, to ${formatTimestamp(to)})`);
  const limit = limitArgument(query.limit, 100);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const readsReports = deps.reading === undefined || mayRead(await deps.reading.readable('reports'), person);
  const kinds = readsReports ? ALL_KINDS : ALL_KINDS.filter((kind) => kind !== 'report');
  const rows = await activityRows(deps, person, { from, to }, { kinds, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { items: await hydrate(deps, person, page), nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : undefined };
}

/** Every entry of the given kinds in a range, oldest first (for drafts: one day, never paged). */
export async function activityBetween(
  deps: TimelineDeps,
  person: string,
  range: { from: number; to: number },
  kinds: readonly TimelineEntryKind[],
): Promise<TimelineEntry[]> {
  return hydrate(deps, person, await activityRows(deps, person, range, { kinds }));
}
