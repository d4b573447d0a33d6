import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, real, text } from '../../kernel/store/row-decoder.js';

/** A work item behind a number. */
export interface GoalRowRef {
  id: string;
  key: string;
  title: string;
}

/** What the goal numbers are read through: the store's aside reads (on a large file, its reader threads). */
export type GoalsReadDeps = { store: Pick<Store, 'readAside'>; workspace: string };

/** The count and points of one goal's (or, for `null`, the linked items') bucket. */
export type NumberOf = (goal: string | null, bucket: Bucket) => { n: number; points: number };

/** The rows behind one goal's (or, for `null`, the unlinked items') bucket. */
export type RowsOf = (goal: string | null, bucket: Bucket) => GoalRowRef[];

/** The window's merged pull requests, done items and their story points. */
export type WindowTotals = { merged: number; done: number; points: number };

const numberRow = columns({ goal: nullable(text), alone: integer, tally: text });
const totalsRow = columns({ merged: integer, done: integer, points: real });
const explainedRow = columns({ goal: nullable(text), bucket: text, id: text, key: text, title: text });

/** A number's bucket: a goal's work by status, or the window's merged pull requests and done items. */
export type Bucket = 'done' | 'inProgress' | 'left' | 'merged' | 'doneInWindow';

/** The columns of an item `w` reached by a link: `item, parent, team, kind, status, points, merged_at, done_at`. */
export const ITEM =
  'w.rowid, w.parent, w.team_id, w.kind, w.status_category, w.story_points, w.merged_at, COALESCE(w.resolved_at, w.closed_at)';
/** Item `w` reached by link `l`: not an epic, of the link's goal's team (if it has one) and of the scope's team (?3). */
export const reached = (l: string) =>
  `w.kind <> 'epic' AND (${l}.team IS NULL OR w.team_id = ${l}.team) AND (?3 IS NULL OR w.team_id = ?3)`;

/**
 * The links of a scope's goals and what they reach, found from the links rather than by reading every item. ?1
 * workspace, ?2 the links as a JSON array of `[goal, kind, ref, team]`, ?3 the scope's team or NULL. A goal's team
 * limits its links to that team's items.
 * - `parents(goal, parent, team)`: an epic link reaches the items whose parent is the epic's key or id
 *   (`work_items_parent_idx`); an item has one parent, so one goal's epics reach each item once;
 * - `others(goal, item, …)`: what label links (the distinct label arrays walked one index seek each, then the items of
 *   those that hold the label: `work_items_labels_idx`), project links (the keys `<ref>-…` and the repository `<ref>`)
 *   and milestone links (the items of the sprints of that name) reach, once per goal.
 */
export const REACH = `links(goal, kind, ref, team) AS MATERIALIZED (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')
    FROM json_each(?2)),
  parents(goal, parent, team) AS MATERIALIZED (
    SELECT goal, ref, team FROM links WHERE kind = 'epic'
    UNION SELECT l.goal, e.id, l.team FROM links l CROSS JOIN work_items e INDEXED BY work_items_key_idx
    WHERE l.kind = 'epic' AND e.workspace = ?1 AND e.key = l.ref AND e.kind = 'epic'),
  label_sets(labels) AS (
    SELECT (SELECT labels FROM work_items WHERE workspace = ?1 AND labels IS NOT NULL ORDER BY labels LIMIT 1)
    WHERE EXISTS (SELECT 1 FROM links WHERE kind = 'label')
    UNION ALL
    SELECT (SELECT w.labels FROM work_items w WHERE w.workspace = ?1 AND w.labels > s.labels ORDER BY w.labels LIMIT 1)
    FROM label_sets s WHERE s.labels IS NOT NULL),
  labelled(goal, labels, team) AS MATERIALIZED (
    SELECT DISTINCT l.goal, s.labels, l.team FROM label_sets s CROSS JOIN links l ON l.kind = 'label'
    WHERE s.labels IS NOT NULL AND json_valid(s.labels) AND EXISTS (SELECT 1 FROM json_each(s.labels) j WHERE j.value = l.ref)),
  milestones(goal, sprint, team) AS MATERIALIZED (
    SELECT l.goal, s.id, l.team FROM links l CROSS JOIN sprints s ON s.workspace = ?1 AND s.name = l.ref WHERE l.kind = 'milestone'),
  others(goal, item, parent, team, kind, status, points, merged_at, done_at) AS MATERIALIZED (
    SELECT l.goal, ${ITEM} FROM labelled l CROSS JOIN work_items w INDEXED BY work_items_labels_idx
      WHERE w.workspace = ?1 AND w.labels = l.labels AND ${reached('l')}
    UNION SELECT l.goal, ${ITEM} FROM links l CROSS JOIN work_items w INDEXED BY work_items_key_idx
      WHERE l.kind = 'project' AND instr(l.ref, '-') = 0 AND w.workspace = ?1 AND w.key >= l.ref || '-' AND w.key < l.ref || '.'
        AND ${reached('l')}
    UNION SELECT l.goal, ${ITEM} FROM links l CROSS JOIN work_items w INDEXED BY work_items_repository_merged_idx
      WHERE l.kind = 'project' AND w.workspace = ?1 AND w.repository_id = l.ref AND ${reached('l')}
    UNION SELECT m.goal, ${ITEM} FROM milestones m CROSS JOIN work_items w INDEXED BY work_items_sprint_idx
      WHERE w.workspace = ?1 AND w.sprint_id = m.sprint AND ${reached('m')})`;

/** An item's columns for {@link tally}: a work item `w`, or a reached row. */
interface ItemColumns {
  kind: string;
  status: string;
  points: string;
  merged: string;
  done: string;
}
const OF_ITEM: ItemColumns = {
  kind: 'w.kind',
  status: 'w.status_category',
  points: 'w.story_points',
  merged: 'w.merged_at',
  done: 'COALESCE(w.resolved_at, w.closed_at)',
};
const OF_REACHED: ItemColumns = { kind: 'kind', status: 'status', points: 'points', merged: 'merged_at', done: 'done_at' };

/** The order of a tally's numbers: the work's count and points by status, then the window's. */
const TALLY = ['done', 'inProgress', 'left', 'merged', 'doneInWindow'] as const;
/** `[done, done points, in progress, its points, left, its points, merged PRs, 0, done in window, its points]` as a JSON array. */
function tally(c: ItemColumns): string {
  const issue = `${c.kind} <> 'pull_request'`;
  const when = {
    done: `${issue} AND ${c.status} = 'done'`,
    inProgress: `${issue} AND ${c.status} = 'in_progress'`,
    left: `${issue} AND ${c.status} IS NOT 'done' AND ${c.status} IS NOT 'in_progress'`,
    merged: `${c.kind} = 'pull_request' AND ${c.merged} >= ?4 AND ${c.merged} < ?5`,
    doneInWindow: `${issue} AND ${c.status} = 'done' AND ${c.done} >= ?4 AND ${c.done} < ?5`,
  };
  return `json_array(${TALLY.map((k) => `count(*) FILTER (WHERE ${when[k]}), total(${c.points}) FILTER (WHERE ${when[k]})`).join(', ')})`;
}

/**
 * Tallies of a scope's goals, without a row leaving SQL or a sort of the items: per goal and epic (one index range
 * each; `alone` when no other goal links the epic) and per goal over its other links' items that its epics do not
 * reach (`goal` set); and for the items linked to any goal (`goal` NULL), the epics' that `alone` tallies do not
 * cover (an epic linked by two goals, read once more) and the other links' items no epic reaches.
 */
const NUMBERS = `WITH ${REACH},
  epics(parent, every_team, one_team, teams) AS MATERIALIZED (
    SELECT parent, max(team IS NULL), CASE WHEN count(DISTINCT team) = 1 THEN max(team) END, json_group_array(team)
    FROM parents GROUP BY parent HAVING count(*) > 1),
  beyond(goal, item, parent, team, kind, status, points, merged_at, done_at) AS (
    SELECT * FROM others o WHERE o.parent IS NULL OR NOT EXISTS (SELECT 1 FROM parents q WHERE q.goal = o.goal AND q.parent = o.parent))
  SELECT p.goal AS goal, NOT EXISTS (SELECT 1 FROM epics e WHERE e.parent = p.parent) AS alone,
    (SELECT ${tally(OF_ITEM)} FROM work_items w INDEXED BY work_items_parent_idx
      WHERE w.workspace = ?1 AND w.parent = p.parent AND ${reached('p')}) AS tally FROM parents p
  UNION ALL SELECT goal, 0, ${tally(OF_REACHED)} FROM beyond GROUP BY goal
  UNION ALL SELECT NULL, 0, (SELECT ${tally(OF_ITEM)} FROM work_items w INDEXED BY work_items_parent_idx
      WHERE w.workspace = ?1 AND w.parent = e.parent AND w.kind <> 'epic' AND (?3 IS NULL OR w.team_id = ?3)
        AND (e.every_team OR w.team_id = e.one_team OR (e.one_team IS NULL AND w.team_id IN (SELECT value FROM json_each(e.teams)))))
    FROM epics e
  UNION ALL SELECT NULL, 0, ${tally(OF_REACHED)} FROM (
    SELECT DISTINCT item, kind, status, points, merged_at, done_at FROM others o
    WHERE o.parent IS NULL OR NOT EXISTS (SELECT 1 FROM parents q WHERE q.parent = o.parent AND (q.team IS NULL OR q.team = o.team)))`;

/** The window's items `u` of the scope: a team's from its own items (`work_items_team_resolved_idx`). */
const unlinked = (team: boolean) => (team ? 'work_items u INDEXED BY work_items_team_resolved_idx' : 'work_items u');

/**
 * The rows behind every number (`explain`): per goal its work by status and its window's merged pull requests and
 * done items, and the window's items linked to no goal (`goal` NULL).
 */
const rows = (team: boolean) => `WITH ${REACH},
  pairs(goal, item, kind, status, points, merged_at, done_at) AS MATERIALIZED (
    SELECT p.goal, ${ITEM.replace('w.parent, w.team_id, ', '')} FROM parents p CROSS JOIN work_items w INDEXED BY work_items_parent_idx
      WHERE w.workspace = ?1 AND w.parent = p.parent AND ${reached('p')}
    UNION SELECT goal, item, kind, status, points, merged_at, done_at FROM others),
  buckets(goal, bucket, item) AS (
    SELECT goal, CASE status WHEN 'done' THEN 'done' WHEN 'in_progress' THEN 'inProgress' ELSE 'left' END, item
      FROM pairs WHERE kind <> 'pull_request'
    UNION ALL SELECT goal, 'merged', item FROM pairs WHERE kind = 'pull_request' AND merged_at >= ?4 AND merged_at < ?5
    UNION ALL SELECT goal, 'doneInWindow', item FROM pairs
      WHERE kind <> 'pull_request' AND status = 'done' AND done_at >= ?4 AND done_at < ?5
    UNION ALL SELECT NULL, 'merged', u.rowid FROM ${unlinked(team)}
      WHERE u.workspace = ?1 AND u.kind = 'pull_request' AND u.merged_at >= ?4 AND u.merged_at < ?5${team ? ' AND u.team_id = ?3' : ''}
        AND u.rowid NOT IN (SELECT item FROM pairs)
    UNION ALL SELECT NULL, 'doneInWindow', u.rowid FROM ${unlinked(team)}
      WHERE u.workspace = ?1 AND u.status_category = 'done' AND COALESCE(u.resolved_at, u.closed_at) >= ?4
        AND COALESCE(u.resolved_at, u.closed_at) < ?5 AND u.kind NOT IN ('pull_request', 'epic')${team ? ' AND u.team_id = ?3' : ''}
        AND u.rowid NOT IN (SELECT item FROM pairs))
  SELECT b.goal, b.bucket, w.id, w.key, w.title FROM buckets b JOIN work_items w ON w.rowid = b.item ORDER BY w.id`;

/**
 * The numbers of a scope's goals over the window [from, to): per goal (and for `null`, the window's items linked to
 * any goal) the count and points of each bucket, counted in SQL ({@link NUMBERS}).
 */
export async function readNumbers(deps: GoalsReadDeps, links: string, team: string | null, from: number, to: number): Promise<NumberOf> {
  const { rows } = await deps.store.readAside(NUMBERS, [deps.workspace, links, team, from, to]);
  const numbers = new Map<string | null, number[]>();
  const add = (goal: string | null, values: readonly number[]) =>
    numbers.set(
      goal,
      values.map((value, i) => value + (numbers.get(goal)?.[i] ?? 0)),
    );
  for (const row of numberRow.all(rows)) {
    const values = JSON.parse(row.tally) as number[];
    add(row.goal, values);
    // An epic only this goal links: its items are linked to a goal once, here.
    if (row.alone === 1) add(null, values);
  }
  return (goal: string | null, bucket: Bucket) => {
    const values = numbers.get(goal);
    const at = TALLY.indexOf(bucket) * 2;
    return { n: values?.[at] ?? 0, points: Math.round((values?.[at + 1] ?? 0) * 1e6) / 1e6 };
  };
}

/** The window's merged pull requests and done items (not epics) of the scope, and their story points. */
export async function readTotals(deps: GoalsReadDeps, team: string | null, from: number, to: number): Promise<WindowTotals> {
  const teamOnly = team === null ? '' : ' AND team_id = ?4';
  const done = (when: string) =>
    `SELECT count(*) AS n, total(story_points) AS points FROM work_items INDEXED BY work_items_done_idx
     WHERE workspace = ?1 AND status_category = 'done' AND ${when} AND kind NOT IN ('pull_request', 'epic')${teamOnly}`;
  // Done in the window: resolved in it, or (without a resolution) closed in it.
  // A team's merged pull requests from its own items (its range of work_items_team_resolved_idx), not the window's of
  // the whole organisation.
  const prs = team === null ? 'work_items' : 'work_items INDEXED BY work_items_team_resolved_idx';
  const { rows } = await deps.store.readAside(
    `SELECT (SELECT count(*) FROM ${prs} WHERE workspace = ?1 AND kind = 'pull_request' AND merged_at >= ?2 AND merged_at < ?3${teamOnly}) AS merged,
       r.n + c.n AS done, r.points + c.points AS points
     FROM (${done('resolved_at >= ?2 AND resolved_at < ?3')}) r, (${done('resolved_at IS NULL AND closed_at >= ?2 AND closed_at < ?3')}) c`,
    team === null ? [deps.workspace, from, to] : [deps.workspace, from, to, team],
  );
  return totalsRow.one(rows[0]!);
}

/** The rows behind every number of {@link readNumbers}, and the window's items linked to no goal (`goal` NULL). */
export async function readRows(deps: GoalsReadDeps, links: string, team: string | null, from: number, to: number): Promise<RowsOf> {
  const { rows: found } = await deps.store.readAside(rows(team !== null), [deps.workspace, links, team, from, to]);
  const byNumber = new Map<string, GoalRowRef[]>();
  for (const row of explainedRow.all(found)) {
    const at = `${row.goal ?? ''}\u0000${row.bucket}`;
    const list = byNumber.get(at) ?? [];
    if (list.length === 0) byNumber.set(at, list);
    list.push({ id: row.id, key: row.key, title: row.title });
  }
  return (goal: string | null, bucket: Bucket) => byNumber.get(`${goal ?? ''}\u0000${bucket}`) ?? [];
}
