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

/** A count of work items, their story points, and the items themselves. */
export interface CountedWork {
  count: number;
  points: number;
  rows: GoalRowRef[];
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

/** One share of an allocation: a goal's (or `unlinked`) merged pull requests or done points, with the rows. */
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
  rows: GoalRowRef[];
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
   * merged pull requests and done points per goal plus `unlinked`, each number with the rows behind it.
   * @example const progress = await ts.goals.progress({ team: 'payments', period: '2026-Q4' })
   */
  progress(query: string | { team?: string; period?: string }): Promise<GoalsProgress>;
}

const itemRow = columns({
  id: text,
  key: text,
  title: text,
  kind: text,
  status_category: nullable(text),
  story_points: nullable(real),
  parent: nullable(text),
  labels: nullable(text),
  repository_id: nullable(text),
  sprint_name: nullable(text),
  merged_at: nullable(integer),
  done_at: nullable(integer),
});
type ItemRow = ReturnType<typeof itemRow.one>;
const epicRow = columns({ id: text, key: text });

/** The current quarter of an instant (`2026-Q4`). */
export const quarterOf = (at: Date) => `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;

const json = (values: Iterable<string>) => JSON.stringify([...new Set(values)]);
const ref = (row: ItemRow): GoalRowRef => ({ id: row.id, key: row.key, title: row.title });
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

  /** The linked and period's work items of a scope, with what links them. */
  async function readItems(goals: readonly Goal[], team: string | undefined, from: number, to: number) {
    const links = goals.flatMap((goal) => goal.links);
    const refsOf = (kind: string) => json(links.filter((link) => link.kind === kind).map((link) => link.ref));
    const epicKeys = links.filter((link) => link.kind === 'epic').map((link) => link.ref);
    // An epic is named by its key; children may name it by key or id.
    const epics = epicRow.all(
      (
        await execute(
          `SELECT id, key FROM work_items WHERE workspace = ?1 AND kind = 'epic' AND key IN (SELECT value FROM json_each(?2))`,
          [w, json(epicKeys)],
        )
      ).rows,
    );
    const epicOfParent = new Map<string, string>();
    for (const key of epicKeys) epicOfParent.set(key, key);
    for (const epic of epics) epicOfParent.set(epic.id, epic.key);
    const { rows } = await execute(
      `SELECT w.id, w.key, w.title, w.kind, w.status_category, w.story_points, w.parent, w.labels, w.repository_id,
              s.name AS sprint_name, w.merged_at, COALESCE(w.resolved_at, w.closed_at) AS done_at
       FROM work_items w LEFT JOIN sprints s ON s.workspace = w.workspace AND s.id = w.sprint_id
       WHERE w.workspace = ?1 AND w.kind <> 'epic' AND (?2 IS NULL OR w.team_id = ?2) AND (
         w.parent IN (SELECT value FROM json_each(?3))
         OR (w.labels IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(w.labels) l WHERE l.value IN (SELECT value FROM json_each(?4))))
         OR (instr(w.key, '-') > 0 AND substr(w.key, 1, instr(w.key, '-') - 1) IN (SELECT value FROM json_each(?5)))
         OR w.repository_id IN (SELECT value FROM json_each(?5))
         OR s.name IN (SELECT value FROM json_each(?6))
         OR (w.kind = 'pull_request' AND w.merged_at >= ?7 AND w.merged_at < ?8)
         OR (w.kind <> 'pull_request' AND w.status_category = 'done' AND COALESCE(w.resolved_at, w.closed_at) >= ?7
             AND COALESCE(w.resolved_at, w.closed_at) < ?8))
       ORDER BY w.id`,
      [w, team ?? null, json(epicOfParent.keys()), refsOf('label'), refsOf('project'), refsOf('milestone'), from, to],
    );
    const items = itemRow.all(rows);
    const goalsOf = (item: ItemRow): Goal[] => {
      const labels = item.labels ? (JSON.parse(item.labels) as string[]) : [];
      const project = item.key.includes('-') ? item.key.slice(0, item.key.indexOf('-')) : undefined;
      return goals.filter((goal) =>
        goal.links.some((link) => {
          switch (link.kind) {
            case 'epic':
              return item.parent !== null && epicOfParent.get(item.parent) === link.ref;
            case 'label':
              return labels.includes(link.ref);
            case 'project':
              return project === link.ref || item.repository_id === link.ref;
            case 'milestone':
              return item.sprint_name === link.ref;
          }
          return false;
        }),
      );
    };
    return items.map((item) => ({ item, goals: goalsOf(item) }));
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

    async progress(query) {
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
      const items = await readItems(scope, team, start, to);

      const counted = (): CountedWork => ({ count: 0, points: 0, rows: [] });
      const add = (into: CountedWork, item: ItemRow) => {
        into.count++;
        into.points += item.story_points ?? 0;
        into.rows.push(ref(item));
      };
      const goals: GoalProgress[] = [];
      for (const goal of selected) {
        const work = { done: counted(), inProgress: counted(), left: counted() };
        for (const { item, goals: linked } of items) {
          if (item.kind === 'pull_request' || !linked.some((g) => g.id === goal.id)) continue;
          add(item.status_category === 'done' ? work.done : item.status_category === 'in_progress' ? work.inProgress : work.left, item);
        }
        goals.push({ goal, work, keyResults: await keyResults(goal, start, to) });
      }

      const merged = items.filter(
        ({ item }) => item.kind === 'pull_request' && item.merged_at !== null && item.merged_at >= start && item.merged_at < to,
      );
      const done = items.filter(
        ({ item }) =>
          item.kind !== 'pull_request' &&
          item.status_category === 'done' &&
          item.done_at !== null &&
          item.done_at >= start &&
          item.done_at < to,
      );
      const totalPoints = done.reduce((sum, { item }) => sum + (item.story_points ?? 0), 0);
      const shares = (of: typeof merged, byPoints: boolean): AllocationShare[] => {
        const total = byPoints ? totalPoints : of.length;
        const share = (members: typeof merged, goal: string, title: string): AllocationShare => {
          const points = members.reduce((sum, { item }) => sum + (item.story_points ?? 0), 0);
          const amount = byPoints ? points : members.length;
          return {
            goal,
            title,
            count: members.length,
            ...(byPoints ? { points } : {}),
            share: total === 0 ? null : round(amount / total),
            rows: members.map(({ item }) => ref(item)),
          };
        };
        return [
          ...scope.map((goal) =>
            share(
              of.filter(({ goals: linked }) => linked.some((g) => g.id === goal.id)),
              goal.id,
              goal.title,
            ),
          ),
          share(
            of.filter(({ goals: linked }) => linked.length === 0),
            'unlinked',
            'Not linked to a goal',
          ),
        ];
      };
      return {
        ...(team ? { team } : {}),
        period,
        window: { from: formatTimestamp(start), to: formatTimestamp(to) },
        goals,
        allocation: {
          mergedPullRequests: { total: merged.length, shares: shares(merged, false) },
          donePoints: { total: totalPoints, items: done.length, shares: shares(done, true) },
        },
      };
    },
  };
}
