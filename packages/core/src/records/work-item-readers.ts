import type { WorkItem, WorkItemKind } from '../kernel/model/work-item.js';
import type { InValue } from '../kernel/store/driver.js';
import { byItem, decodeCursor, encodeCursor, inList, instant, limitOf, type ReaderContext, rows } from './reader-rows.js';
import type { WorkItemRow } from './rows.js';
import { groupBy, reviewFromRow, transitionFromRow, workItemFromRow } from './store/records.js';
import { tableSpecs as t } from './store/table-specs.js';

/** One page of results; pass `nextCursor` back as `cursor` for the next page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Filters of `ts.workItems.list()`. */
export interface WorkItemQuery {
  team?: string;
  /** Author or assignee. */
  person?: string;
  /** Assigned to this person (not merely authored by them). */
  assignee?: string;
  kind?: WorkItemKind | WorkItemKind[];
  state?: string;
  statusCategory?: 'todo' | 'in_progress' | 'done';
  repository?: string;
  /** ISO timestamp: items updated (or created, when never updated) at or after it. */
  updatedSince?: string;
  cursor?: string;
  /** 1–500, default 50. */
  limit?: number;
}

/** Work items matching the filters, newest first, one page at a time. */
export async function listWorkItems(reader: ReaderContext, query: WorkItemQuery = {}): Promise<Page<WorkItem>> {
  const limit = limitOf(query.limit);
  const where: string[] = [];
  const args: InValue[] = [];
  const fromArgs: InValue[] = [];
  // Arguments bind in the order of the text: the FROM clause's, then each condition's in the order it was added.
  const from = workItemsSource(query, where, args, fromArgs);
  filterWorkItems(query, where, args);
  const found = await rows(
    reader,
    t.workItems.rows,
    `SELECT ${t.workItems.select('w')} FROM ${from} WHERE w.workspace = ?1${where.map((c) => ` AND ${c}`).join('')} ORDER BY w.created_at DESC, w.id DESC LIMIT ?`,
    [...fromArgs, ...args, limit + 1],
  );
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await withChildren(reader, page),
    nextCursor: found.length > limit && last ? encodeCursor([last.createdAt, last.id]) : undefined,
  };
}

/**
 * The FROM clause of a list (its arguments added to `fromArgs`), and the team's condition (added to `where` and
 * `args`). A person's (or assignee's) items are found first, through the author and assignee indexes, then sorted:
 * walking the workspace's items newest first and testing each one read every row for someone with few or old items.
 */
function workItemsSource(query: WorkItemQuery, where: string[], args: InValue[], fromArgs: InValue[]): string {
  if (query.team) {
    where.push(
      '(w.team_id = ? OR (w.team_id IS NULL AND w.repository_id IN (SELECT id FROM repositories WHERE workspace = ?1 AND team_id = ?)))',
    );
    args.push(query.team, query.team);
  }
  let from = 'work_items w';
  if (query.person) {
    from = `(SELECT id FROM work_items WHERE workspace = ?1 AND author_id = ? UNION SELECT work_item_id FROM work_item_assignees WHERE workspace = ?1 AND person_id = ?) x
      CROSS JOIN work_items w ON w.workspace = ?1 AND w.id = x.id`;
    fromArgs.push(query.person, query.person);
  }
  if (query.assignee) {
    if (query.person) {
      where.push('w.id IN (SELECT work_item_id FROM work_item_assignees WHERE workspace = ?1 AND person_id = ?)');
      args.push(query.assignee);
    } else {
      from = `(SELECT work_item_id AS id FROM work_item_assignees WHERE workspace = ?1 AND person_id = ?) x
        CROSS JOIN work_items w ON w.workspace = ?1 AND w.id = x.id`;
      fromArgs.push(query.assignee);
    }
  }
  return from;
}

/** Adds the conditions of the column filters and of the cursor to `where` and their arguments to `args`. */
function filterWorkItems(query: WorkItemQuery, where: string[], args: InValue[]): void {
  const kinds = query.kind === undefined ? [] : Array.isArray(query.kind) ? query.kind : [query.kind];
  if (kinds.length > 0) {
    where.push(`w.kind IN (${inList(kinds)})`);
    args.push(...kinds);
  }
  if (query.state) {
    where.push('w.state = ?');
    args.push(query.state);
  }
  if (query.statusCategory) {
    where.push('w.status_category = ?');
    args.push(query.statusCategory);
  }
  if (query.repository) {
    where.push('w.repository_id = ?');
    args.push(query.repository);
  }
  const since = instant('updatedSince', query.updatedSince);
  if (since !== undefined) {
    where.push('COALESCE(w.updated_at, w.created_at) >= ?');
    args.push(since);
  }
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor);
    where.push('(w.created_at < ? OR (w.created_at = ? AND w.id < ?))');
    args.push(createdAt, createdAt, id);
  }
}

/** One work item by id or by key (`acme/api#42`, `PAY-17`), or `undefined`. */
export async function getWorkItem(reader: ReaderContext, idOrKey: string): Promise<WorkItem | undefined> {
  // An id wins over a key; two lookups, each on its index (an OR of the two would scan the workspace;
  // `+id` sorts the few matches instead of walking the id index).
  const select = `SELECT ${t.workItems.select()} FROM work_items WHERE workspace = ?`;
  const byId = await rows(reader, t.workItems.rows, `${select} AND id = ?`, [idOrKey]);
  const found = byId.length > 0 ? byId : await rows(reader, t.workItems.rows, `${select} AND key = ? ORDER BY +id LIMIT 1`, [idOrKey]);
  return (await withChildren(reader, found))[0];
}

/** The items of `items` with their assignees, reviews, transitions and requested reviewers. */
async function withChildren(reader: ReaderContext, items: WorkItemRow[]): Promise<WorkItem[]> {
  if (items.length === 0) return [];
  const ids = items.map((r) => r.id);
  const [assignees, reviews, transitions, requests] = await Promise.all([
    rows(
      reader,
      t.workItemAssignees.rows,
      `SELECT ${t.workItemAssignees.select()} FROM work_item_assignees WHERE workspace = ? AND work_item_id IN (${inList(ids)}) ORDER BY work_item_id, person_id`,
      ids,
    ),
    rows(
      reader,
      t.reviews.rows,
      `SELECT ${t.reviews.select()} FROM reviews WHERE workspace = ? AND work_item_id IN (${inList(ids)}) ORDER BY work_item_id, seq`,
      ids,
    ),
    rows(
      reader,
      t.transitions.rows,
      `SELECT ${t.transitions.select()} FROM transitions WHERE workspace = ? AND work_item_id IN (${inList(ids)}) ORDER BY work_item_id, seq`,
      ids,
    ),
    rows(
      reader,
      t.reviewRequests.rows,
      `SELECT ${t.reviewRequests.select()} FROM review_requests WHERE workspace = ? AND work_item_id IN (${inList(ids)}) ORDER BY work_item_id, person_id`,
      ids,
    ),
  ]);
  const a = groupBy(assignees, byItem, (r) => r.personId);
  const rv = groupBy(reviews, byItem, reviewFromRow);
  const tr = groupBy(transitions, byItem, transitionFromRow);
  const rq = groupBy(requests, byItem, (r) => r.personId);
  return items.map((r) =>
    workItemFromRow(r, { assignees: a.get(r.id), reviews: rv.get(r.id), transitions: tr.get(r.id), requestedReviewers: rq.get(r.id) }),
  );
}
