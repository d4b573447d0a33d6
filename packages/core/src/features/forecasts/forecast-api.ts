import { addDays, isDay } from '../../kernel/model/local-day.js';
import { parseTimestamp } from '../../kernel/model/timestamp.js';
import type { InValue } from '../../kernel/store/driver.js';
import type { Store } from '../../kernel/store/open-store.js';
import { columns, integer, text } from '../../kernel/store/row-decoder.js';
import { checkKnown, invalid } from '../../records/arguments.js';
import {
  MAX_DAYS,
  percentileOf,
  seededRandom,
  simulateDays,
  simulateItems,
  type ThroughputSample,
  throughputSample,
} from './monte-carlo.js';

const DAY_MS = 86_400_000;
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

/** One percentile: for `items`/`epic` the completion day (and days from now), for `until` the items done by then at least. */
export interface ForecastPercentile {
  p: number;
  date?: string;
  days?: number;
  items?: number;
}

/** How often past forecasts' 85 % ranges held the actual outcome, per horizon. */
export interface ForecastBacktest {
  /** Horizon in weeks. */
  horizon: number;
  /** Past windows forecast (each ending before now). */
  windows: number;
  /** Windows whose actual count of items done lay in the forecast's 85 % range. */
  held: number;
  share: number | null;
  /** The median's error: mean absolute difference between the forecast median and the actual count, and relative to the actual. */
  medianError: { items: number | null; relative: number | null };
  /** "85 % ranges held 17 of 20 times here". */
  text: string;
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

/** `ts.forecast.backtest()`'s query. */
export interface BacktestQuery {
  team: string;
  /** Horizons in weeks (default [2]). */
  horizons?: readonly number[];
  /** Past windows per horizon (default 20), a week apart. */
  windows?: number;
  weeks?: number;
  simulations?: number;
  seed?: number;
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

const dayCount = columns({ day: integer, n: integer });
const countRow = columns({ n: integer });
const memberRow = columns({ person: text });
const absenceRow = columns({ person: text, from_day: text, to_day: text });

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const round = (value: number, places = 4) => Math.round(value * 10 ** places) / 10 ** places;

function wholeNumber(field: string, value: unknown, min: number, max: number, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalid(
      `${field}: expected a whole number of ${what} from ${min} to ${max.toLocaleString('en-US')}, got ${JSON.stringify(value)}`,
    );
  return value;
}

export function createForecastApi(deps: { store: Store; workspace: string; clock: () => Date }): ForecastApi {
  const { store, workspace: w, clock } = deps;
  const execute = (sql: string, args: InValue[]) => store.execute(sql, args);

  /** Issues when the team has any, else merged pull requests: never both for one piece of work. */
  async function counted(team: string): Promise<'issues' | 'pull_requests'> {
    const { rows } = await execute(
      `SELECT count(*) AS n FROM (SELECT 1 FROM work_items WHERE workspace = ? AND team_id = ? AND kind NOT IN ('pull_request', 'epic') LIMIT 1)`,
      [w, team],
    );
    return countRow.one(rows[0]!).n > 0 ? 'issues' : 'pull_requests';
  }

  /** Items done per UTC day in `[fromDay, toDay)`, as an array from `fromDay`. */
  async function dailyCounts(team: string, source: 'issues' | 'pull_requests', from: number, days: number): Promise<number[]> {
    const to = from + days * DAY_MS;
    const { rows } =
      source === 'issues'
        ? // Done on its resolution, else (without one) on its closing: the team's range of resolutions, then its few
          // unresolved issues, both in work_items_team_resolved_idx (not a pass over every done item of the workspace).
          await execute(
            `SELECT (done_at - ?3) / 86400000 AS day, count(*) AS n FROM (
               SELECT resolved_at AS done_at FROM work_items INDEXED BY work_items_team_resolved_idx
               WHERE workspace = ?1 AND team_id = ?2 AND resolved_at >= ?3 AND resolved_at < ?4
                 AND kind NOT IN ('pull_request', 'epic') AND status_category = 'done'
               UNION ALL
               SELECT closed_at FROM work_items INDEXED BY work_items_team_resolved_idx
               WHERE workspace = ?1 AND team_id = ?2 AND resolved_at IS NULL AND kind NOT IN ('pull_request', 'epic')
                 AND status_category = 'done' AND closed_at >= ?3 AND closed_at < ?4)
             GROUP BY 1`,
            [w, team, from, to],
          )
        : await execute(
            `SELECT (merged_at - ?3) / 86400000 AS day, count(*) AS n FROM work_items
             WHERE workspace = ?1 AND team_id = ?2 AND kind = 'pull_request' AND merged_at >= ?3 AND merged_at < ?4
             GROUP BY 1`,
            [w, team, from, to],
          );
    const out = new Array<number>(days).fill(0);
    for (const row of dayCount.all(rows)) {
      // The bound arrives as a REAL: the division is not an integer one.
      const day = Math.floor(row.day);
      if (day >= 0 && day < days) out[day]! += row.n;
    }
    return out;
  }

  /** The share of the team present each day from `fromDay` for `days` days, and the people-days away. */
  async function presence(team: string, fromDay: string, days: number): Promise<{ present: number[]; absentDays: number }> {
    const members = memberRow.all(
      (await execute('SELECT person_id AS person FROM memberships WHERE workspace = ? AND team_id = ?', [w, team])).rows,
    );
    const present = new Array<number>(days).fill(1);
    if (members.length === 0) return { present, absentDays: 0 };
    const lastDay = addDays(fromDay, days - 1);
    const away = absenceRow.all(
      (
        await execute(
          `SELECT a.person_id AS person, a.from_day, a.to_day FROM absences a
           JOIN memberships m ON m.workspace = a.workspace AND m.person_id = a.person_id AND m.team_id = ?2
           WHERE a.workspace = ?1 AND a.to_day >= ?3 AND a.from_day <= ?4`,
          [w, team, fromDay, lastDay],
        )
      ).rows,
    );
    const absent = new Array<Set<string>>(days);
    const start = Date.parse(`${fromDay}T00:00:00Z`);
    let absentDays = 0;
    for (const a of away) {
      const first = Math.max(0, Math.round((Date.parse(`${a.from_day}T00:00:00Z`) - start) / DAY_MS));
      const last = Math.min(days - 1, Math.round((Date.parse(`${a.to_day}T00:00:00Z`) - start) / DAY_MS));
      for (let d = first; d <= last; d++) {
        absent[d] ??= new Set();
        if (!absent[d]!.has(a.person)) {
          absent[d]!.add(a.person);
          absentDays++;
        }
      }
    }
    for (let d = 0; d < days; d++) present[d] = 1 - (absent[d]?.size ?? 0) / members.length;
    return { present, absentDays };
  }

  /** Why a history cannot carry a forecast, or undefined when it can. */
  function insufficient(counts: readonly number[], weeks: number): string | undefined {
    const total = counts.reduce((a, b) => a + b, 0);
    if (total < 10)
      return `too little history: ${total} items done in the last ${weeks} weeks; a forecast needs at least 10 (try more weeks)`;
    const first = counts.findIndex((n) => n > 0);
    if (first > counts.length / 2)
      return `too short a history: the first item done came ${Math.floor((counts.length - first) / 7)} weeks ago, under half of the ${weeks} weeks read`;
    const weekly: number[] = [];
    for (let i = 0; i + 7 <= counts.length; i += 7) weekly.push(counts.slice(i, i + 7).reduce((a, b) => a + b, 0));
    const empty = weekly.filter((n) => n === 0).length;
    if (weekly.length >= 2 && empty > weekly.length / 2)
      return `too irregular a history: no item was done in ${empty} of the last ${weekly.length} weeks`;
    return undefined;
  }

  async function checkedTeam(team: unknown): Promise<string> {
    if (team === undefined) throw invalid('team: expected a team id (teamstate teams list)');
    await checkKnown(execute, w, 'team', team);
    return team as string;
  }

  /** Backtests over the daily counts `counts` (oldest first, ending today) and presence. */
  function runBacktest(
    counts: readonly number[],
    present: readonly number[],
    horizon: number,
    windows: number,
    weeks: number,
    simulations: number,
    seed: number,
  ): ForecastBacktest {
    const random = seededRandom(seed);
    const days = horizon * 7;
    let held = 0;
    let run = 0;
    let absError = 0;
    let relError = 0;
    let relCount = 0;
    for (let k = 0; k < windows; k++) {
      const origin = counts.length - days - k * 7;
      const start = origin - weeks * 7;
      if (start < 0) break;
      const history = counts.slice(start, origin);
      if (insufficient(history, weeks)) continue;
      const sample = throughputSample(history, present.slice(start, origin));
      const outcome = simulateItems(sample, days, present.slice(origin, origin + days), simulations, random);
      const low = Math.floor(percentileOf(outcome, 7.5));
      const high = Math.ceil(percentileOf(outcome, 92.5));
      const actual = counts.slice(origin, origin + days).reduce((a, b) => a + b, 0);
      const median = percentileOf(outcome, 50);
      run++;
      if (actual >= low && actual <= high) held++;
      absError += Math.abs(median - actual);
      if (actual > 0) {
        relError += Math.abs(median - actual) / actual;
        relCount++;
      }
    }
    return {
      horizon,
      windows: run,
      held,
      share: run === 0 ? null : round(held / run),
      medianError: { items: run === 0 ? null : round(absError / run, 2), relative: relCount === 0 ? null : round(relError / relCount) },
      text:
        run === 0
          ? `no past ${horizon}-week window had enough history to backtest`
          : `85 % ranges held ${held} of ${run} times here (${horizon}-week horizon)`,
    };
  }

  async function backtest(query: BacktestQuery): Promise<ForecastBacktest[]> {
    const team = await checkedTeam(query.team);
    const horizons = query.horizons ?? [2];
    if (!Array.isArray(horizons) || horizons.length === 0) throw invalid('horizons: expected a list of horizons in weeks, e.g. [1, 2, 4]');
    horizons.forEach((h, i) => wholeNumber(`horizons[${i}]`, h, 1, 52, 'weeks', 1));
    const windows = wholeNumber('windows', query.windows, 1, 520, 'windows', 20);
    const weeks = wholeNumber('weeks', query.weeks, 1, 104, 'weeks', 12);
    const simulations = wholeNumber('simulations', query.simulations, 100, 100_000, 'simulations', 2_000);
    const seed = wholeNumber('seed', query.seed, 0, 2 ** 32 - 1, 'seed values', 1);
    const today = Date.parse(`${dayOf(clock().getTime())}T00:00:00Z`);
    const longest = Math.max(...horizons);
    const span = (weeks + longest + windows) * 7;
    const source = await counted(team);
    const counts = await dailyCounts(team, source, today - span * DAY_MS, span);
    const { present } = await presence(team, dayOf(today - span * DAY_MS), span);
    return horizons.map((h) => runBacktest(counts, present, h, windows, weeks, simulations, seed));
  }

  async function forecast(query: ForecastQuery): Promise<Forecast> {
    if (typeof query !== 'object' || query === null) throw invalid('query: expected { team, items? | epic? | until? }');
    const team = await checkedTeam(query.team);
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
    const now = clock().getTime();
    const today = Date.parse(`${dayOf(now)}T00:00:00Z`);
    let target: Forecast['target'];
    let items = 0;
    let untilDays = 0;
    if (query.items !== undefined) {
      items = wholeNumber('items', query.items, 1, 100_000, 'items', 1);
      target = { items };
    } else if (query.epic !== undefined) {
      if (typeof query.epic !== 'string' || query.epic === '') throw invalid('epic: expected an epic key such as PAY-1');
      const epic = (
        await execute(`SELECT id, key FROM work_items WHERE workspace = ? AND kind = 'epic' AND (key = ? OR id = ?) LIMIT 1`, [
          w,
          query.epic,
          query.epic,
        ])
      ).rows[0] as { id?: unknown; key?: unknown } | undefined;
      if (!epic)
        throw invalid(`epic: no epic "${query.epic}" in this workspace; give an epic's key (teamstate goals list shows linked epics)`);
      const { rows } = await execute(
        `SELECT count(*) AS n, sum(status_category IS NOT 'done') AS open FROM work_items
         WHERE workspace = ? AND parent IN (?, ?) AND kind NOT IN ('epic', 'pull_request')`,
        [w, String(epic.key), String(epic.id)],
      );
      const row = rows[0] as { n?: unknown; open?: unknown };
      if (Number(row.n) === 0) throw invalid(`epic: ${query.epic} has no items; link issues to it (their parent) before forecasting it`);
      items = Number(row.open ?? 0);
      if (items === 0) throw invalid(`epic: every item of ${query.epic} is done; there is nothing left to forecast`);
      target = { items, epic: query.epic };
    } else {
      const until = query.until!;
      const at = typeof until === 'string' ? (isDay(until) ? Date.parse(`${until}T00:00:00Z`) : parseTimestamp(until)) : undefined;
      if (at === undefined)
        throw invalid(`until: expected a day (YYYY-MM-DD) or an ISO timestamp, e.g. 2026-12-31, got ${JSON.stringify(until)}`);
      if (at <= now) throw invalid(`until: ${until} is in the past; give a date after ${dayOf(now)}`);
      untilDays = Math.max(1, Math.ceil((at - today) / DAY_MS));
      target = { until };
    }

    const historyDays = weeks * 7;
    const historyStart = today - historyDays * DAY_MS;
    const source = await counted(team);
    // Only data before now: today's items count from tomorrow.
    const counts = await dailyCounts(team, source, historyStart, historyDays);
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
    const futureDays = query.until !== undefined ? untilDays : Math.min(MAX_DAYS, 366);
    const history = await presence(team, basis.from, historyDays);
    const future = await presence(team, dayOf(today), futureDays);
    const base = { team, target, basis, simulations, seed, absentDays: future.absentDays };
    if (reason) return { ...base, status: 'insufficient_history', reason, percentiles: [] };

    const sample: ThroughputSample = throughputSample(counts, history.present);
    const random = seededRandom(seed);
    let percentiles: ForecastPercentile[];
    let horizon: number;
    if (query.until !== undefined) {
      const outcome = simulateItems(sample, untilDays, future.present, simulations, random);
      // "85 %: at least N items": the value 85 % of runs reach.
      percentiles = FORECAST_PERCENTILES.map((p) => ({ p, items: Math.floor(percentileOf(outcome, 100 - p)) }));
      horizon = Math.max(1, Math.round(untilDays / 7));
    } else {
      const outcome = simulateDays(sample, items, future.present, simulations, random);
      percentiles = FORECAST_PERCENTILES.map((p) => {
        const days = percentileOf(outcome, p);
        return Number.isFinite(days) ? { p, days, date: dayOf(today + (days - 1) * DAY_MS) } : { p };
      });
      const median = percentileOf(outcome, 50);
      horizon = Number.isFinite(median) ? Math.min(52, Math.max(1, Math.round(median / 7))) : 52;
    }
    const span = (weeks + horizon + 20) * 7;
    const pastCounts = await dailyCounts(team, source, today - span * DAY_MS, span);
    const pastPresence = await presence(team, dayOf(today - span * DAY_MS), span);
    const check = runBacktest(pastCounts, pastPresence.present, horizon, 20, weeks, 1_000, seed);
    return { ...base, status: 'ok', percentiles, backtest: check };
  }

  return Object.assign(forecast, { backtest });
}
