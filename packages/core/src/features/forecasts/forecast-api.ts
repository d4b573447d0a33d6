import { isDay } from '../../kernel/model/local-day.js';
import { parseTimestamp } from '../../kernel/model/timestamp.js';
import { invalid } from '../../records/arguments.js';
import { type BacktestQuery, backtestForecasts, type ForecastBacktest, MIN_BACKTEST_WINDOWS, runBacktest } from './forecast-backtest.js';
import {
  checkedTeam,
  countedItems,
  DAY_MS,
  dailyCounts,
  dayOf,
  type ForecastDeps,
  insufficient,
  presence,
  round,
  wholeNumber,
} from './forecast-history.js';
import {
  MAX_DAYS,
  percentileOf,
  seededRandom,
  simulateDays,
  simulateItems,
  type ThroughputSample,
  throughputSample,
} from './monte-carlo.js';

export type { BacktestQuery, ForecastBacktest } from './forecast-backtest.js';

/** The percentiles every forecast gives. */
export const FORECAST_PERCENTILES = [50, 70, 85, 95] as const;

/** `ts.forecast()`'s query: what to forecast (exactly one of `items`, `epic`, `until`) and from how much history. */
export interface ForecastQuery {
  team: string;
  /** How many items: when will they be done? */
  items?: number;
  /** An epic's key: when will its items that are not done be done? */
  epic?: string;
  /** A day (`YYYY-MM-DD`) or timestamp after now: how many items will be done by then? */
  until?: string;
  /** Weeks of history the throughput is drawn from (default 12). */
  weeks?: number;
  /** Simulated runs (default 10,000). */
  simulations?: number;
  /** The random seed: one seed, one answer (default 1). */
  seed?: number;
}

/**
 * One percentile: for `items`/`epic` the completion day and the days from today to it (`date` = today + `days`), for
 * `until` the items done by then at least.
 */
export interface ForecastPercentile {
  p: number;
  date?: string;
  days?: number;
  items?: number;
}

/** `ts.forecast()`'s answer. */
export interface Forecast {
  team: string;
  /** `ok`, or `insufficient_history` with the `reason` (and no percentiles): a forecast it cannot stand behind is not given. */
  status: 'ok' | 'insufficient_history';
  reason?: string;
  target: { items: number; epic?: string } | { until: string };
  /** What the throughput is drawn from. */
  basis: { weeks: number; from: string; to: string; counted: 'issues' | 'pull_requests'; items: number; perDay: number };
  simulations: number;
  seed: number;
  /** People-days away in the forecast's span, from `absences`. */
  absentDays: number;
  percentiles: ForecastPercentile[];
  /** The backtest shown next to the forecast (horizon: the forecast's median, in weeks). */
  backtest?: ForecastBacktest;
}

/** `ts.forecast`: call it to forecast, `backtest` to see how often forecasts held. */
export interface ForecastApi {
  /**
   * Monte Carlo over the team's daily throughput in the last `weeks` (docs/plans.md#forecasts), minus absences: the
   * 50/70/85/95th percentile completion dates for `items` or an `epic`, or items done by `until`, with the backtest.
   * @example const forecast = await ts.forecast({ team: 'payments', items: 30, seed: 7 })
   */
  (query: ForecastQuery): Promise<Forecast>;
  /**
   * Over past windows (a week apart, each ending before now), forecasts of items done in each horizon, and the share
   * whose actual count lay in the 85 % range.
   */
  backtest(query: BacktestQuery): Promise<ForecastBacktest[]>;
}

/** A forecast's target as asked, with the items to finish (`items`, `epic`) or the days to count (`until`). */
interface ForecastTarget {
  target: Forecast['target'];
  items: number;
  untilDays: number;
}

/** The checked settings of a forecast query; refused when it names no single target. */
async function checkForecastQuery(
  deps: ForecastDeps,
  query: ForecastQuery,
): Promise<{ team: string; weeks: number; simulations: number; seed: number }> {
  if (typeof query !== 'object' || query === null) throw invalid('query: expected { team, items? | epic? | until? }');
  const team = await checkedTeam(deps, query.team);
  const weeks = wholeNumber('weeks', query.weeks, 1, 104, 'weeks', 12);
  const simulations = wholeNumber('simulations', query.simulations, 100, 100_000, 'simulations', 10_000);
  const seed = wholeNumber('seed', query.seed, 0, 2 ** 32 - 1, 'seed values', 1);
  const given = (['items', 'epic', 'until'] as const).filter((k) => query[k] !== undefined);
  if (given.length !== 1)
    throw invalid(
      given.length === 0
        ? 'items: give one of items (how many), epic (its key) or until (a date)'
        : `${given[1]}: give only one of items, epic or until, not ${given.join(' and ')}`,
    );
  return { team, weeks, simulations, seed };
}

/** What the query forecasts: a number of items, an epic's items not done, or the items done by a day. */
async function forecastTarget(deps: ForecastDeps, query: ForecastQuery, now: number, today: number): Promise<ForecastTarget> {
  if (query.items !== undefined) {
    const items = wholeNumber('items', query.items, 1, 100_000, 'items', 1);
    return { target: { items }, items, untilDays: 0 };
  }
  if (query.epic !== undefined) return epicTarget(deps, query.epic);
  return untilTarget(query.until, now, today);
}

/** An epic's items that are not done; refused for an unknown epic, one without items, or one whose items are all done. */
async function epicTarget(deps: ForecastDeps, key: string): Promise<ForecastTarget> {
  if (typeof key !== 'string' || key === '') throw invalid('epic: expected an epic key such as PAY-1');
  const w = deps.workspace;
  const epic = (
    await deps.store.execute(`SELECT id, key FROM work_items WHERE workspace = ? AND kind = 'epic' AND (key = ? OR id = ?) LIMIT 1`, [
      w,
      key,
      key,
    ])
  ).rows[0] as { id?: unknown; key?: unknown } | undefined;
  if (!epic) throw invalid(`epic: no epic "${key}" in this workspace; give an epic's key (teamstate goals list shows linked epics)`);
  const { rows } = await deps.store.execute(
    `SELECT count(*) AS n, sum(status_category IS NOT 'done') AS open FROM work_items
     WHERE workspace = ? AND parent IN (?, ?) AND kind NOT IN ('epic', 'pull_request')`,
    [w, String(epic.key), String(epic.id)],
  );
  const row = rows[0] as { n?: unknown; open?: unknown };
  if (Number(row.n) === 0) throw invalid(`epic: ${key} has no items; link issues to it (their parent) before forecasting it`);
  const items = Number(row.open ?? 0);
  if (items === 0) throw invalid(`epic: every item of ${key} is done; there is nothing left to forecast`);
  return { target: { items, epic: key }, items, untilDays: 0 };
}

/** The days from today to `until` (a day or a timestamp after now). */
function untilTarget(until: string | undefined, now: number, today: number): ForecastTarget {
  const at = typeof until !== 'string' ? undefined : isDay(until) ? Date.parse(`${until}T00:00:00Z`) : parseTimestamp(until);
  if (typeof until !== 'string' || at === undefined)
    throw invalid(`until: expected a day (YYYY-MM-DD) or an ISO timestamp, e.g. 2026-12-31, got ${JSON.stringify(until)}`);
  if (at <= now) throw invalid(`until: ${until} is in the past; give a date after ${dayOf(now)}`);
  return { target: { until }, items: 0, untilDays: Math.max(1, Math.ceil((at - today) / DAY_MS)) };
}

/** The forecast's percentiles from the simulated runs, and its horizon in weeks (the backtest's). */
function simulatePercentiles(
  sample: ThroughputSample,
  target: ForecastTarget,
  future: readonly number[],
  simulations: number,
  seed: number,
  today: number,
): { percentiles: ForecastPercentile[]; horizon: number } {
  const random = seededRandom(seed);
  if ('until' in target.target) {
    const outcome = simulateItems(sample, target.untilDays, future, simulations, random);
    // "85 %: at least N items": the value 85 % of runs reach.
    const percentiles = FORECAST_PERCENTILES.map((p) => ({ p, items: Math.floor(percentileOf(outcome, 100 - p)) }));
    return { percentiles, horizon: Math.max(1, Math.round(target.untilDays / 7)) };
  }
  const outcome = simulateDays(sample, target.items, future, simulations, random);
  const percentiles = FORECAST_PERCENTILES.map((p) => {
    // The simulation counts today as day 1: work that takes `n` days is done on the day `n - 1` days from today.
    const days = percentileOf(outcome, p) - 1;
    return Number.isFinite(days) ? { p, days, date: dayOf(today + days * DAY_MS) } : { p };
  });
  const median = percentileOf(outcome, 50);
  return { percentiles, horizon: Number.isFinite(median) ? Math.min(52, Math.max(1, Math.round(median / 7))) : 52 };
}

/**
 * Monte Carlo over the team's daily throughput in the last `weeks` (docs/plans.md#forecasts), minus absences: the
 * 50/70/85/95th percentile completion dates for `items` or an `epic`, or items done by `until`, with the backtest.
 */
export async function forecast(deps: ForecastDeps, query: ForecastQuery): Promise<Forecast> {
  const { team, weeks, simulations, seed } = await checkForecastQuery(deps, query);
  const now = deps.clock().getTime();
  const today = Date.parse(`${dayOf(now)}T00:00:00Z`);
  const target = await forecastTarget(deps, query, now, today);
  const historyDays = weeks * 7;
  const historyStart = today - historyDays * DAY_MS;
  const source = await countedItems(deps, team);
  // Only data before now: today's items count from tomorrow.
  const counts = await dailyCounts(deps, team, source, historyStart, historyDays);
  const total = counts.reduce((a, b) => a + b, 0);
  const basis = {
    weeks,
    from: dayOf(historyStart),
    to: dayOf(today),
    counted: source,
    items: total,
    perDay: round(total / historyDays, 3),
  };
  const reason = insufficient(counts, weeks);
  const futureDays = query.until !== undefined ? target.untilDays : Math.min(MAX_DAYS, 366);
  const history = await presence(deps, team, basis.from, historyDays);
  const future = await presence(deps, team, dayOf(today), futureDays);
  const base = { team, target: target.target, basis, simulations, seed, absentDays: future.absentDays };
  if (reason) return { ...base, status: 'insufficient_history', reason, percentiles: [] };

  const sample = throughputSample(counts, history.present);
  const { percentiles, horizon } = simulatePercentiles(sample, target, future.present, simulations, seed, today);
  const span = (weeks + horizon + MIN_BACKTEST_WINDOWS) * 7;
  const pastCounts = await dailyCounts(deps, team, source, today - span * DAY_MS, span);
  const pastPresence = await presence(deps, team, dayOf(today - span * DAY_MS), span);
  const check = runBacktest(pastCounts, pastPresence.present, horizon, MIN_BACKTEST_WINDOWS, weeks, 1_000, seed);
  return { ...base, status: 'ok', percentiles, backtest: check };
}

/** Builds `ts.forecast`: a function to call, with `backtest` on it. */
export function createForecastApi(deps: ForecastDeps): ForecastApi {
  return Object.assign((query: ForecastQuery) => forecast(deps, query), {
    backtest: (query: BacktestQuery) => backtestForecasts(deps, query),
  });
}
