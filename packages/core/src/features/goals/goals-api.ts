import { ValidationError } from '../../kernel/errors.js';
import { type Goal, type GoalInput, goalSchema, periodRange, periodSchema } from '../../kernel/model/plans.js';
import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { describeZodIssues } from '../../kernel/model/zod-issues.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, nullable, real, text } from '../../kernel/store/row-decoder.js';
import { toRow } from '../../kernel/store/table-spec.js';
import { upsertRows } from '../../kernel/store/upsert.js';
import { checkKnown, invalid, unknownId } from '../../records/arguments.js';
import { goalFromRow, goalToRow } from './goal-rows.js';
import { goalsSpec } from './table-specs.js';

/** A work item behind a number. */
export interface GoalRowRef {
  id: string;
  key: string;
  title: string;
}

/** A count of work items and their story points; with `explain`, the items themselves. */
export interface CountedWork {
  count: number;
  points: number;
  /** The items counted (`explain` only), by id. */
  rows?: GoalRowRef[];
}

/** A key result measured: the metric's value over the goal's period so far against its target, or the reported progress. */
export interface KeyResultProgress {
  id: string;
  title: string;
  metric?: { id: string; target: number; direction: 'up' | 'down'; value: number | null; unit?: string; met: boolean | null };
  /** 0–1: the reported progress, or for a metric how far its value is toward the target (null without a value). */
  progress: number | null;
}

/** One goal's progress: its linked work by status and its key results. */
export interface GoalProgress {
  goal: Goal;
  work: { done: CountedWork; inProgress: CountedWork; left: CountedWork };
  keyResults: KeyResultProgress[];
}

/** One share of an allocation: a goal's (or `unlinked`) merged pull requests or done points; with `explain`, the rows. */
export interface AllocationShare {
  /** The goal's id, or `unlinked`. */
  goal: string;
  title: string;
  /** Merged pull requests, or done items. */
  count: number;
  /** Done story points (`donePoints` only). */
  points?: number;
  /** Of the total count (`mergedPullRequests`) or points (`donePoints`); null when the total is 0. */
  share: number | null;
  /** The items counted (`explain` only), by id. */
  rows?: GoalRowRef[];
}

/** What `ts.goals.progress()` reads: one goal by id, or the goals of a team (or the workspace) and period. */
export interface GoalsProgressQuery {
  team?: string;
  period?: string;
  /** Adds the rows behind every number (`rows`); without it, only the numbers. */
  explain?: boolean;
}

/** `ts.goals.progress()`: the goals of a team and period, their progress, and where the work went. */
export interface GoalsProgress {
  team?: string;
  period: string;
  /** The window read: the period's start to its end or now, whichever is earlier (half-open). */
  window: { from: string; to: string };
  goals: GoalProgress[];
  /**
   * Where the period's work went: merged pull requests and done story points per goal plus `unlinked`. An item linked
   * to two goals counts for both, so shares can add up to more than 1.
   */
  allocation: {
    mergedPullRequests: { total: number; shares: AllocationShare[] };
    donePoints: { total: number; items: number; shares: AllocationShare[] };
  };
}

/** Computes one metric over a window and scope (the facade's `ts.metrics.compute`). */
export type ComputeMetric = (
  id: string,
  query: { from: string; to: string; team?: string },
) => Promise<{ value: number | null; unit?: string }>;

/** `ts.goals`. */
export interface GoalsApi {
  /** Goals, by id; only a team's or a period's when given. */
  list(query?: { team?: string; period?: string }): Promise<Goal[]>;
  /** One goal, or `undefined`. */
  get(id: string): Promise<Goal | undefined>;
  /**
   * Adds a goal, or replaces the stored goal with its id. Refused, naming the field, when it is not a goal or names an
   * unknown team, owner or parent goal; the store is left unchanged.
   * @example await ts.goals.add({ id: 'faster-checkout', title: 'Faster checkout', team: 'payments', period: '2026-Q4', links: [{ kind: 'epic', ref: 'PAY-1' }] })
   */
  add(goal: GoalInput): Promise<Goal>;
  /**
   * Progress of one goal (by id), or of every goal of a team and period (`{ team, period }`; without `team`, the whole
   * workspace's): linked work done, in progress and left, key results against their targets, and the allocation of
   * merged pull requests and done points per goal plus `unlinked`. `explain: true` adds the rows behind every number. A
   * goal of a team counts its team's work only.
   * @example const progress = await ts.goals.progress({ team: 'payments', period: '2026-Q4' })
   * @example const explained = await ts.goals.progress('faster-checkout', { explain: true })
   */
  progress(query: string | GoalsProgressQuery, options?: { explain?: boolean }): Promise<GoalsProgress>;
}

const numberRow = columns({ goal: nullable(text), alone: integer, tally: text });
const totalsRow = columns({ merged: integer, done: integer, points: real });
const explainedRow = columns({ goal: nullable(text), bucket: text, id: text, key: text, title: text });

/** A number's bucket: a goal's work by status, or the window's merged pull requests and done items. */
type Bucket = 'done' | 'inProgress' | 'left' | 'merged' | 'doneInWindow';

/** The columns of an item `w` reached by a link: `item, parent, team, kind, status, points, merged_at, done_at`. */
const ITEM = 'w.rowid, w.parent, w.team_id, w.kind, w.status_category, w.story_points, w.merged_at, COALESCE(w.resolved_at, w.closed_at)';
/** Item `w` reached by link `l`: not an epic, of the link's goal's team (if it has one) and of the scope's team (?3). */
const reached = (l: string) => `w.kind <> 'epic' AND (${l}.team IS NULL OR w.team_id = ${l}.team) AND (?3 IS NULL OR w.team_id = ?3)`;

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
const REACH = `links(goal, kind, ref, team) AS MATERIALIZED (
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

/** The current quarter of an instant (`2026-Q4`). */
export const quarterOf = (at: Date) => `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;

const round = (value: number) => Math.round(value * 10_000) / 10_000;

export function createGoalsApi(deps: { store: Store; workspace: string; clock: () => Date; computeMetric: ComputeMetric }): GoalsApi {
  const { store, workspace: w, clock, computeMetric } = deps;
  const execute = (sql: string, args: InValue[]) => store.execute(sql, args);

  async function list(query: { team?: string; period?: string } = {}): Promise<Goal[]> {
    const { rows } = await execute(
      `SELECT ${goalsSpec.select()} FROM goals WHERE workspace = ?1 AND (?2 IS NULL OR team_id = ?2) AND (?3 IS NULL OR period = ?3) ORDER BY id`,
      [w, query.team ?? null, query.period ?? null],
    );
    return goalsSpec.rows.all(rows).map(goalFromRow);
  }

  async function get(id: string) {
    const { rows } = await execute(`SELECT ${goalsSpec.select()} FROM goals WHERE workspace = ? AND id = ?`, [w, id]);
    const row = goalsSpec.rows.first(rows);
    return row ? goalFromRow(row) : undefined;
  }

  /**
   * The numbers of a scope's goals over the window [from, to): per goal (and for `null`, the window's items linked to
   * any goal) the count and points of each bucket, counted in SQL ({@link NUMBERS}).
   */
  async function readNumbers(links: string, team: string | null, from: number, to: number) {
    const { rows } = await store.readAside(NUMBERS, [w, links, team, from, to]);
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
  async function readTotals(team: string | null, from: number, to: number) {
    const teamOnly = team === null ? '' : ' AND team_id = ?4';
    const done = (when: string) =>
      `SELECT count(*) AS n, total(story_points) AS points FROM work_items INDEXED BY work_items_done_idx
       WHERE workspace = ?1 AND status_category = 'done' AND ${when} AND kind NOT IN ('pull_request', 'epic')${teamOnly}`;
    // Done in the window: resolved in it, or (without a resolution) closed in it.
    // A team's merged pull requests from its own items (its range of work_items_team_resolved_idx), not the window's of
    // the whole organisation.
    const prs = team === null ? 'work_items' : 'work_items INDEXED BY work_items_team_resolved_idx';
    const { rows } = await store.readAside(
      `SELECT (SELECT count(*) FROM ${prs} WHERE workspace = ?1 AND kind = 'pull_request' AND merged_at >= ?2 AND merged_at < ?3${teamOnly}) AS merged,
         r.n + c.n AS done, r.points + c.points AS points
       FROM (${done('resolved_at >= ?2 AND resolved_at < ?3')}) r, (${done('resolved_at IS NULL AND closed_at >= ?2 AND closed_at < ?3')}) c`,
      team === null ? [w, from, to] : [w, from, to, team],
    );
    return totalsRow.one(rows[0]!);
  }

  /** The rows behind every number of {@link readNumbers}, and the window's items linked to no goal (`goal` NULL). */
  async function readRows(links: string, team: string | null, from: number, to: number) {
    const { rows: found } = await store.readAside(rows(team !== null), [w, links, team, from, to]);
    const byNumber = new Map<string, GoalRowRef[]>();
    for (const row of explainedRow.all(found)) {
      const at = `${row.goal ?? ''}\u0000${row.bucket}`;
      const list = byNumber.get(at) ?? [];
      if (list.length === 0) byNumber.set(at, list);
      list.push({ id: row.id, key: row.key, title: row.title });
    }
    return (goal: string | null, bucket: Bucket) => byNumber.get(`${goal ?? ''}\u0000${bucket}`) ?? [];
  }

  async function keyResults(goal: Goal, from: number, to: number): Promise<KeyResultProgress[]> {
    const out: KeyResultProgress[] = [];
    for (const kr of goal.keyResults) {
      if (!kr.metric) {
        out.push({ id: kr.id, title: kr.title, progress: kr.progress ?? null });
        continue;
      }
      const result = await computeMetric(kr.metric.id, {
        from: formatTimestamp(from),
        to: formatTimestamp(to),
        ...(goal.team ? { team: goal.team } : {}),
      });
      const { value } = result;
      const { target, direction } = kr.metric;
      const met = value === null ? null : direction === 'up' ? value >= target : value <= target;
      const toward = value === null ? null : direction === 'up' ? (target === 0 ? 1 : value / target) : value === 0 ? 1 : target / value;
      out.push({
        id: kr.id,
        title: kr.title,
        metric: { ...kr.metric, value, ...(result.unit ? { unit: result.unit } : {}), met },
        progress: kr.progress ?? (toward === null ? null : round(Math.max(0, Math.min(1, toward)))),
      });
    }
    return out;
  }

  return {
    list,
    get,

    async add(input) {
      const parsed = goalSchema.safeParse(input);
      if (!parsed.success) throw new ValidationError('invalid_argument', 'goal', describeZodIssues(goalSchema, parsed.error.issues));
      const goal = parsed.data;
      await checkKnown(execute, w, 'team', goal.team);
      if (goal.owner !== undefined) {
        try {
          await checkKnown(execute, w, 'person', goal.owner);
        } catch {
          throw invalid(`owner: unknown person ${JSON.stringify(goal.owner)}; name a person id (teamstate people list)`);
        }
      }
      if (goal.parent !== undefined && goal.parent !== goal.id && !(await get(goal.parent)))
        throw unknownId(
          'parent',
          goal.parent,
          (await list()).map((g) => g.id),
          { what: 'goal' },
        );
      const ids = new Set<string>();
      for (const [i, kr] of goal.keyResults.entries()) {
        if (ids.has(kr.id)) throw invalid(`keyResults[${i}].id: "${kr.id}" is used twice; give each key result its own id`);
        ids.add(kr.id);
      }
      await store.write(async (tx) => {
        await upsertRows(tx, goalsSpec, [toRow(goalsSpec, goalToRow(w, goal, clock().getTime()))]);
      });
      return goal;
    },

    async progress(query, options = {}) {
      const explain = options.explain === true || (typeof query === 'object' && query !== null && query.explain === true);
      let team: string | undefined;
      let period: string;
      let selected: Goal[];
      if (typeof query === 'string') {
        const goal = await get(query);
        if (!goal)
          throw unknownId(
            'id',
            query,
            (await list()).map((g) => g.id),
            { what: 'goal' },
          );
        team = goal.team;
        period = goal.period;
        selected = [goal];
      } else {
        if (typeof query !== 'object' || query === null) throw invalid('query: expected a goal id or { team?, period? }');
        await checkKnown(execute, w, 'team', query.team);
        team = query.team;
        if (query.period !== undefined && !periodSchema.safeParse(query.period).success)
          throw invalid(`period: expected a period such as 2026-Q4, 2026-H1, 2026-03 or 2026, got ${JSON.stringify(query.period)}`);
        period = query.period ?? quarterOf(clock());
        selected = await list({ ...(team ? { team } : {}), period });
      }
      // Allocation is over every goal of the scope, whichever goals are shown.
      const scope = team === undefined && typeof query === 'string' ? selected : await list({ ...(team ? { team } : {}), period });
      const [start, end] = periodRange(period);
      const now = clock().getTime();
      const to = Math.max(start, Math.min(end, now));
      const links = JSON.stringify(scope.flatMap((goal) => goal.links.map((link) => [goal.id, link.kind, link.ref, goal.team ?? null])));
      const scopeTeam = team ?? null;
      // The counts run aside (on a large file, on the store's reader threads) while the key results are measured here.
      const measured = (async () => {
        const out: KeyResultProgress[][] = [];
        for (const goal of selected) out.push(await keyResults(goal, start, to));
        return out;
      })();
      const [numberOf, totals, rowsOf, measures] = await Promise.all([
        readNumbers(links, scopeTeam, start, to),
        readTotals(scopeTeam, start, to),
        explain ? readRows(links, scopeTeam, start, to) : undefined,
        measured,
      ]);
      const withRows = (goal: string | null, bucket: Bucket) => (rowsOf ? { rows: rowsOf(goal, bucket) } : {});
      const counted = (goal: string, bucket: Bucket): CountedWork => {
        const { n, points } = numberOf(goal, bucket);
        return { count: n, points, ...withRows(goal, bucket) };
      };

      const goals: GoalProgress[] = selected.map((goal, i) => ({
        goal,
        work: { done: counted(goal.id, 'done'), inProgress: counted(goal.id, 'inProgress'), left: counted(goal.id, 'left') },
        keyResults: measures[i]!,
      }));

      const shares = (bucket: 'merged' | 'doneInWindow'): AllocationShare[] => {
        const byPoints = bucket === 'doneInWindow';
        const total = byPoints ? totals.points : totals.merged;
        const share = (goal: string, title: string, count: number, points: number, rowsOfGoal: string | null): AllocationShare => ({
          goal,
          title,
          count,
          ...(byPoints ? { points } : {}),
          share: total === 0 ? null : round((byPoints ? points : count) / total),
          ...withRows(rowsOfGoal, bucket),
        });
        const linked = numberOf(null, bucket);
        return [
          ...scope.map((goal) => {
            const { n, points } = numberOf(goal.id, bucket);
            return share(goal.id, goal.title, n, points, goal.id);
          }),
          share(
            'unlinked',
            'Not linked to a goal',
            (byPoints ? totals.done : totals.merged) - linked.n,
            byPoints ? Math.round((totals.points - linked.points) * 1e6) / 1e6 : 0,
            null,
          ),
        ];
      };
      return {
        ...(team ? { team } : {}),
        period,
        window: { from: formatTimestamp(start), to: formatTimestamp(to) },
        goals,
        allocation: {
          mergedPullRequests: { total: totals.merged, shares: shares('merged') },
          donePoints: { total: totals.points, items: totals.done, shares: shares('doneInWindow') },
        },
      };
    },
  };
}
