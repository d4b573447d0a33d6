import { TeamStateError } from '../kernel/errors.js';
import type { Provider } from '../kernel/model/common.js';
import type { Deployment, Incident, Sprint } from '../kernel/model/delivery.js';
import type { Person, Repository, Team } from '../kernel/model/identity.js';
import { parseTimestamp } from '../kernel/model/timestamp.js';
import type { WorkItem, WorkItemKind } from '../kernel/model/work-item.js';
import type { InValue } from '../kernel/store/driver.js';
import type { Store } from '../kernel/store/open-store.js';
import { columns, type RowDecoder, text } from '../kernel/store/row-decoder.js';
import { createStoreReader } from '../kernel/store/store-reader.js';
import { type UnmatchedAccount, unmatchedAccounts } from './identity/unmatched-accounts.js';
import type { WorkItemRow } from './rows.js';
import {
  accountFromRow,
  deploymentFromRow,
  groupBy,
  incidentFromRow,
  personFromRow,
  repositoryFromRow,
  reviewFromRow,
  sprintFromRow,
  teamFromRow,
  transitionFromRow,
  workItemFromRow,
} from './store/records.js';
import { tableSpecs as t } from './store/table-specs.js';

/** A team with its members and repositories. */
export interface TeamSummary extends Team {
  members: string[];
  repositories: string[];
}

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

/** Filters of deployments and incidents lists (ISO timestamps, half-open `[from, to)`). */
export interface DeliveryQuery {
  team?: string;
  repository?: string;
  from?: string;
  to?: string;
  limit?: number;
}

const MAX_LIMIT = 500;

function limitOf(limit: number | undefined, fallback = 50): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new TeamStateError('invalid_argument', `limit: expected a whole number from 1 to ${MAX_LIMIT}, got ${limit}`);
  }
  return limit;
}

function instant(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseTimestamp(value);
  if (ms === undefined)
    throw new TeamStateError('invalid_argument', `${name}: invalid ISO timestamp "${value}" (expected e.g. 2026-03-01T00:00:00Z)`);
  return ms;
}

const encodeCursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
function decodeCursor(cursor: string): [number, string] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && typeof parts[0] === 'number' && typeof parts[1] === 'string') return [parts[0], parts[1]];
  } catch {}
  throw new TeamStateError('invalid_argument', 'cursor: not a cursor returned by a previous page (omit it to start from the first page)');
}

const inList = (values: readonly InValue[]) => values.map(() => '?').join(',');

const memberRows = columns({ teamId: text, personId: text });
const teamRepositoryRows = columns({ id: text, teamId: text });
const personIdRows = columns({ id: text });

/** Builds the typed readers of a workspace (the `ts.people`, `ts.workItems` … of the facade). */
export function createReaders(store: Store, workspace: string) {
  // The workspace is parameter 1 of every query, so subqueries say `workspace = ?1`: one that said
  // `workspace = w.workspace` would be correlated, evaluated again for every row. Children of a page are
  // ordered by their lookup key first, or SQLite walks the whole workspace in the ORDER BY's index.
  // Rows are read with their columns: a table's spec's `rows` when selected with its `select()`, else the columns named.
  const rows = async <T>(decoder: RowDecoder<T>, sql: string, args: InValue[] = []) =>
    decoder.all((await store.execute(sql, [workspace, ...args])).rows);
  const byPerson = (r: { personId: string }) => r.personId;
  const byItem = (r: { workItemId: string }) => r.workItemId;

  async function peopleByIds(ids: string[] | undefined, team?: string): Promise<Person[]> {
    const where = [
      ids ? `p.id IN (${inList(ids)})` : '',
      team ? 'p.id IN (SELECT person_id FROM memberships WHERE workspace = ?1 AND team_id = ?)' : '',
    ]
      .filter(Boolean)
      .map((c) => ` AND ${c}`)
      .join('');
    const people = await rows(t.people.rows, `SELECT ${t.people.select('p')} FROM people p WHERE p.workspace = ?${where} ORDER BY p.id`, [
      ...(ids ?? []),
      ...(team ? [team] : []),
    ]);
    if (people.length === 0) return [];
    const personIds = people.map((p) => p.id);
    const [memberships, accounts] = await Promise.all([
      rows(
        t.memberships.rows,
        `SELECT ${t.memberships.select()} FROM memberships WHERE workspace = ? AND person_id IN (${inList(personIds)}) ORDER BY person_id, team_id`,
        personIds,
      ),
      rows(
        t.accounts.rows,
        `SELECT ${t.accounts.select()} FROM accounts WHERE workspace = ? AND person_id IN (${inList(personIds)}) ORDER BY person_id, provider, external_id`,
        personIds,
      ),
    ]);
    const teamsOf = groupBy(memberships, byPerson, (r) => r.teamId);
    const accountsOf = groupBy(accounts, byPerson, accountFromRow);
    return people.map((r) => personFromRow(r, teamsOf.get(r.id) ?? [], accountsOf.get(r.id) ?? []));
  }

  async function withChildren(items: WorkItemRow[]): Promise<WorkItem[]> {
    if (items.length === 0) return [];
    const ids = items.map((r) => r.id);
    const [assignees, reviews, transitions, requests] = await Promise.all([
      rows(
        t.workItemAssignees.rows,
        `SELECT ${t.workItemAssignees.select()} FROM work_item_assignees WHERE workspace = ? AND work_item_id IN (${inList(ids)}) ORDER BY work_item_id, person_id`,
        ids,
      ),
      rows(
        t.reviews.rows,
        `SELECT ${t.reviews.select()} FROM reviews WHERE workspace = ? AND work_item_id IN (${inList(ids)}) ORDER BY work_item_id, seq`,
        ids,
      ),
      rows(
        t.transitions.rows,
        `SELECT ${t.transitions.select()} FROM transitions WHERE workspace = ? AND work_item_id IN (${inList(ids)}) ORDER BY work_item_id, seq`,
        ids,
      ),
      rows(
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

  /** Teams (every one, or the one with `id`) with their members and repositories, ordered by id. */
  async function teamSummaries(id?: string): Promise<TeamSummary[]> {
    const args: InValue[] = id === undefined ? [] : [id];
    const teamFilter = id === undefined ? '' : ' AND team_id = ?';
    const [teams, members, repos] = await Promise.all([
      rows(
        t.teams.rows,
        `SELECT ${t.teams.select()} FROM teams WHERE workspace = ?${id === undefined ? '' : ' AND id = ?'} ORDER BY id`,
        args,
      ),
      rows(
        memberRows,
        `SELECT team_id AS teamId, person_id AS personId FROM memberships WHERE workspace = ?${teamFilter} ORDER BY person_id`,
        args,
      ),
      rows(
        teamRepositoryRows,
        // `+id` for one team: its few repositories from the team index, sorted, not every repository in id order.
        `SELECT id, team_id AS teamId FROM repositories WHERE workspace = ? AND team_id IS NOT NULL${teamFilter} ORDER BY ${id === undefined ? 'id' : '+id'}`,
        args,
      ),
    ]);
    const m = groupBy(members, (row) => row.teamId, byPerson);
    const r = groupBy(
      repos,
      (row) => row.teamId,
      (row) => row.id,
    );
    return teams.map((row) => ({
      ...teamFromRow(row),
      members: m.get(row.id) ?? [],
      repositories: r.get(row.id) ?? [],
    }));
  }

  return {
    teams: {
      /** Every team with members and repositories, ordered by id. */
      list: (): Promise<TeamSummary[]> => teamSummaries(),
      /** One team, or `undefined`: its own rows only (not every team's members and repositories, then a search). */
      get: async (id: string): Promise<TeamSummary | undefined> => (await teamSummaries(id))[0],
    },
    people: {
      /** People (optionally of one team) with their teams and accounts, ordered by id. */
      list: (query: { team?: string } = {}) => peopleByIds(undefined, query.team),
      /** One person by id, or by an account login/id or email; `undefined` when unknown. */
      async get(idOrLogin: string): Promise<Person | undefined> {
        const [byId] = await peopleByIds([idOrLogin]);
        if (byId) return byId;
        // ?1 is the workspace (prepended by rows()), ?2 the id, login or email looked up.
        const match = await rows(
          personIdRows,
          `SELECT person_id AS id FROM accounts WHERE workspace = ?1 AND (external_id = ?2 OR login = ?2)
           UNION SELECT id FROM people WHERE workspace = ?1 AND email = lower(?2) LIMIT 1`,
          [idOrLogin],
        );
        return match[0] ? (await peopleByIds([match[0].id]))[0] : undefined;
      },
      /**
       * Accounts whose person has no account at any other provider the workspace syncs (not matched by email,
       * override or link), optionally of one provider; link them with `ts.linkAccount()`.
       */
      unmatched: (query: { provider?: Provider } = {}): Promise<UnmatchedAccount[]> =>
        unmatchedAccounts(createStoreReader(store, workspace), query),
    },
    repositories: {
      /** Repositories, optionally of one team. */
      async list(query: { team?: string } = {}): Promise<Repository[]> {
        const list = await rows(
          t.repositories.rows,
          `SELECT ${t.repositories.select()} FROM repositories WHERE workspace = ?${query.team ? ' AND team_id = ?' : ''} ORDER BY id`,
          query.team ? [query.team] : [],
        );
        return list.map(repositoryFromRow);
      },
    },
    workItems: {
      /** Work items matching the filters, newest first, one page at a time. */
      async list(query: WorkItemQuery = {}): Promise<Page<WorkItem>> {
        const limit = limitOf(query.limit);
        const where: string[] = [];
        const args: InValue[] = [];
        if (query.team) {
          where.push(
            '(w.team_id = ? OR (w.team_id IS NULL AND w.repository_id IN (SELECT id FROM repositories WHERE workspace = ?1 AND team_id = ?)))',
          );
          args.push(query.team, query.team);
        }
        // A person's (or assignee's) items are found first, through the author and assignee indexes, then sorted: walking
        // the workspace's items newest first and testing each one read every row for someone with few or old items.
        let from = 'work_items w';
        const fromArgs: InValue[] = [];
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
        const found = await rows(
          t.workItems.rows,
          `SELECT ${t.workItems.select('w')} FROM ${from} WHERE w.workspace = ?1${where.map((c) => ` AND ${c}`).join('')} ORDER BY w.created_at DESC, w.id DESC LIMIT ?`,
          [...fromArgs, ...args, limit + 1],
        );
        const page = found.slice(0, limit);
        const last = page.at(-1);
        return {
          items: await withChildren(page),
          nextCursor: found.length > limit && last ? encodeCursor([last.createdAt, last.id]) : undefined,
        };
      },
      /** One work item by id or by key (`acme/api#42`, `PAY-17`), or `undefined`. */
      async get(idOrKey: string): Promise<WorkItem | undefined> {
        // An id wins over a key; two lookups, each on its index (an OR of the two would scan the workspace;
        // `+id` sorts the few matches instead of walking the id index).
        const select = `SELECT ${t.workItems.select()} FROM work_items WHERE workspace = ?`;
        const byId = await rows(t.workItems.rows, `${select} AND id = ?`, [idOrKey]);
        const found = byId.length > 0 ? byId : await rows(t.workItems.rows, `${select} AND key = ? ORDER BY +id LIMIT 1`, [idOrKey]);
        return (await withChildren(found))[0];
      },
    },
    sprints: {
      /** Sprints, optionally of one team and/or state, newest first. */
      async list(query: { team?: string; state?: Sprint['state'] } = {}): Promise<Sprint[]> {
        const where = [query.team ? ' AND team_id = ?' : '', query.state ? ' AND state = ?' : ''].join('');
        const list = await rows(
          t.sprints.rows,
          `SELECT ${t.sprints.select()} FROM sprints WHERE workspace = ?${where} ORDER BY start_at DESC, id`,
          [...(query.team ? [query.team] : []), ...(query.state ? [query.state] : [])],
        );
        if (list.length === 0) return [];
        const ids = list.map((r) => r.id);
        const committed = groupBy(
          await rows(
            t.sprintCommittedItems.rows,
            `SELECT ${t.sprintCommittedItems.select()} FROM sprint_committed_items WHERE workspace = ? AND sprint_id IN (${inList(ids)}) ORDER BY sprint_id, work_item_id`,
            ids,
          ),
          (r) => r.sprintId,
          (r) => r.workItemId,
        );
        return list.map((r) => sprintFromRow(r, committed.get(r.id) ?? []));
      },
      /** One sprint, or `undefined`. */
      async get(id: string): Promise<Sprint | undefined> {
        return (await this.list()).find((s) => s.id === id);
      },
    },
    deployments: {
      /** Deployments finishing in `[from, to)`, newest first. */
      async list(query: DeliveryQuery & { environment?: string } = {}): Promise<Deployment[]> {
        const { where, args } = deliveryFilter(query, 'finished_at');
        if (query.environment) {
          where.push('environment = ?');
          args.push(query.environment);
        }
        const list = await rows(
          t.deployments.rows,
          `SELECT ${t.deployments.select()} FROM deployments d WHERE workspace = ?${where.map((c) => ` AND ${c}`).join('')} ORDER BY finished_at DESC, id LIMIT ?`,
          [...args, limitOf(query.limit, 100)],
        );
        if (list.length === 0) return [];
        const ids = list.map((r) => r.id);
        const prs = groupBy(
          await rows(
            t.deploymentPullRequests.rows,
            `SELECT ${t.deploymentPullRequests.select()} FROM deployment_pull_requests WHERE workspace = ? AND deployment_id IN (${inList(ids)}) ORDER BY deployment_id, work_item_id`,
            ids,
          ),
          (r) => r.deploymentId,
          (r) => r.workItemId,
        );
        return list.map((r) => deploymentFromRow(r, prs.get(r.id) ?? []));
      },
    },
    incidents: {
      /** Incidents created in `[from, to)`, newest first; `open: true` for unresolved ones only. */
      async list(query: DeliveryQuery & { open?: boolean } = {}): Promise<Incident[]> {
        const { where, args } = deliveryFilter(query, 'created_at');
        if (query.open) where.push('resolved_at IS NULL');
        const list = await rows(
          t.incidents.rows,
          `SELECT ${t.incidents.select()} FROM incidents d WHERE workspace = ?${where.map((c) => ` AND ${c}`).join('')} ORDER BY created_at DESC, id LIMIT ?`,
          [...args, limitOf(query.limit, 100)],
        );
        return list.map(incidentFromRow);
      },
    },
  };
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

/** The readers object of a workspace. */
export type Readers = ReturnType<typeof createReaders>;
