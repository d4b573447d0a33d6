import { formatTimestamp } from '../../kernel/model/timestamp.js';
import { checkKnown, invalid, unknownId } from '../../records/arguments.js';
import { type Goal, periodRange, periodSchema } from './goal-model.js';
import {
  type Bucket,
  type GoalRowRef,
  type NumberOf,
  type RowsOf,
  readNumbers,
  readRows,
  readTotals,
  type WindowTotals,
} from './goal-numbers.js';
import { type PullRequestAllocation, readPullRequestAllocation } from './goal-pull-requests.js';
import { executeOn, type GoalRecordsDeps, getGoal, listGoals } from './goal-records.js';

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

/** What `ts.goals` is built from: the store, and the metrics key results are measured with. */
export interface GoalsDeps extends GoalRecordsDeps {
  computeMetric: ComputeMetric;
}

/** The current quarter of an instant (`2026-Q4`). */
export const quarterOf = (at: Date) => `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** The goals a progress query shows, and the team and period they are read over. */
interface ProgressSelection {
  team: string | undefined;
  period: string;
  selected: Goal[];
}

/** Each key result of a goal over [from, to): its metric's value against the target, or its reported progress. */
async function measureKeyResults(deps: GoalsDeps, goal: Goal, from: number, to: number): Promise<KeyResultProgress[]> {
  const out: KeyResultProgress[] = [];
  for (const kr of goal.keyResults) {
    if (!kr.metric) {
      out.push({ id: kr.id, title: kr.title, progress: kr.progress ?? null });
      continue;
    }
    const result = await deps.computeMetric(kr.metric.id, {
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

/** One goal by id (its team and period), or the goals of a team (or the workspace) and period (default: this quarter). */
async function selectGoals(deps: GoalsDeps, query: string | GoalsProgressQuery): Promise<ProgressSelection> {
  if (typeof query === 'string') {
    const goal = await getGoal(deps, query);
    if (!goal)
      throw unknownId(
        'id',
        query,
        (await listGoals(deps)).map((g) => g.id),
        { what: 'goal' },
      );
    return { team: goal.team, period: goal.period, selected: [goal] };
  }
  if (typeof query !== 'object' || query === null) throw invalid('query: expected a goal id or { team?, period? }');
  await checkKnown(executeOn(deps), deps.workspace, 'team', query.team);
  const team = query.team;
  if (query.period !== undefined && !periodSchema.safeParse(query.period).success)
    throw invalid(`period: expected a period such as 2026-Q4, 2026-H1, 2026-03 or 2026, got ${JSON.stringify(query.period)}`);
  const period = query.period ?? quarterOf(deps.clock());
  return { team, period, selected: await listGoals(deps, { ...(team ? { team } : {}), period }) };
}

/**
 * Progress of one goal (by id), or of every goal of a team and period: linked work by status, key results against
 * their targets, and the allocation of merged pull requests and done points per goal plus `unlinked`.
 */
export async function goalsProgress(
  deps: GoalsDeps,
  query: string | GoalsProgressQuery,
  options: { explain?: boolean } = {},
): Promise<GoalsProgress> {
  const explain = options.explain === true || (typeof query === 'object' && query !== null && query.explain === true);
  const { team, period, selected } = await selectGoals(deps, query);
  // Allocation is over every goal of the scope, whichever goals are shown.
  const scope = team === undefined && typeof query === 'string' ? selected : await listGoals(deps, { ...(team ? { team } : {}), period });
  const [start, end] = periodRange(period);
  const now = deps.clock().getTime();
  const to = Math.max(start, Math.min(end, now));
  const links = JSON.stringify(scope.flatMap((goal) => goal.links.map((link) => [goal.id, link.kind, link.ref, goal.team ?? null])));
  const scopeTeam = team ?? null;
  // The counts run aside (on a large file, on the store's reader threads) while the key results are measured here.
  const measured = (async () => {
    const out: KeyResultProgress[][] = [];
    for (const goal of selected) out.push(await measureKeyResults(deps, goal, start, to));
    return out;
  })();
  const [numberOf, totals, rowsOf, pullRequests, measures] = await Promise.all([
    readNumbers(deps, links, scopeTeam, start, to),
    readTotals(deps, scopeTeam, start, to),
    explain ? readRows(deps, links, scopeTeam, start, to) : undefined,
    readPullRequestAllocation(deps, links, scopeTeam, start, to),
    measured,
  ]);
  const counted = (goal: string, bucket: Bucket): CountedWork => {
    const { n, points } = numberOf(goal, bucket);
    return { count: n, points, ...withRows(rowsOf, goal, bucket) };
  };
  const goals: GoalProgress[] = selected.map((goal, i) => ({
    goal,
    work: { done: counted(goal.id, 'done'), inProgress: counted(goal.id, 'inProgress'), left: counted(goal.id, 'left') },
    keyResults: measures[i]!,
  }));
  const numbers = { scope, numberOf, totals, rowsOf };
  return {
    ...(team ? { team } : {}),
    period,
    window: { from: formatTimestamp(start), to: formatTimestamp(to) },
    goals,
    allocation: {
      mergedPullRequests: { total: totals.merged, shares: pullRequestShares(scope, totals, pullRequests, explain) },
      donePoints: { total: totals.points, items: totals.done, shares: donePointShares(numbers) },
    },
  };
}

/** The rows behind a number, when they were read (`explain`). */
const withRows = (rowsOf: RowsOf | undefined, goal: string | null, bucket: Bucket) => (rowsOf ? { rows: rowsOf(goal, bucket) } : {});

/**
 * The window's merged pull requests per goal of the scope (reached directly or through the issues they name), then
 * `unlinked`: those no goal reaches.
 */
function pullRequestShares(
  scope: readonly Goal[],
  totals: WindowTotals,
  pullRequests: PullRequestAllocation,
  explain: boolean,
): AllocationShare[] {
  const share = (count: number) => (totals.merged === 0 ? null : round(count / totals.merged));
  const shares: AllocationShare[] = scope.map((goal) => {
    const rows = pullRequests.of(goal.id);
    return { goal: goal.id, title: goal.title, count: rows.length, share: share(rows.length), ...(explain ? { rows } : {}) };
  });
  const unlinked = totals.merged - pullRequests.linked.size;
  return [
    ...shares,
    {
      goal: 'unlinked',
      title: 'Not linked to a goal',
      count: unlinked,
      share: share(unlinked),
      ...(explain ? { rows: pullRequests.unlinked } : {}),
    },
  ];
}

/** The window's done items and their points per goal of the scope, then `unlinked`. */
function donePointShares(numbers: {
  scope: readonly Goal[];
  numberOf: NumberOf;
  totals: WindowTotals;
  rowsOf: RowsOf | undefined;
}): AllocationShare[] {
  const { scope, numberOf, totals, rowsOf } = numbers;
  const share = (goal: string, title: string, count: number, points: number, rowsOfGoal: string | null): AllocationShare => ({
    goal,
    title,
    count,
    points,
    share: totals.points === 0 ? null : round(points / totals.points),
    ...withRows(rowsOf, rowsOfGoal, 'doneInWindow'),
  });
  const linked = numberOf(null, 'doneInWindow');
  return [
    ...scope.map((goal) => {
      const { n, points } = numberOf(goal.id, 'doneInWindow');
      return share(goal.id, goal.title, n, points, goal.id);
    }),
    share('unlinked', 'Not linked to a goal', totals.done - linked.n, Math.round((totals.points - linked.points) * 1e6) / 1e6, null),
  ];
}
