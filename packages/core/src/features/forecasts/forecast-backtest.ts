import { invalid } from '../../records/arguments.js';
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
import { percentileOf, seededRandom, simulateItems, throughputSample } from './monte-carlo.js';

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
  /** Whether there were enough windows ({@link MIN_BACKTEST_WINDOWS}) to say how well the ranges hold. */
  calibrated: boolean;
  /** "85 % ranges held 17 of 20 times here", or "calibration unknown (5 windows …)" with fewer windows. */
  text: string;
}

/** Fewer past windows than this say too little of how often the 85 % ranges hold: calibration is unknown. */
export const MIN_BACKTEST_WINDOWS = 20;

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

/** One past window forecast: whether the actual count lay in the 85 % range, and the median and actual counts. */
interface WindowOutcome {
  held: boolean;
  median: number;
  actual: number;
}

/**
 * Forecasts the `days` after `origin` from the `weeks` before it, as a forecast made then would have; `undefined`
 * when that history could not carry a forecast.
 */
function forecastWindow(
  counts: readonly number[],
  present: readonly number[],
  origin: number,
  days: number,
  weeks: number,
  simulations: number,
  random: () => number,
): WindowOutcome | undefined {
  const start = origin - weeks * 7;
  const history = counts.slice(start, origin);
  if (insufficient(history, weeks)) return undefined;
  const sample = throughputSample(history, present.slice(start, origin));
  const outcome = simulateItems(sample, days, present.slice(origin, origin + days), simulations, random);
  const low = Math.floor(percentileOf(outcome, 7.5));
  const high = Math.ceil(percentileOf(outcome, 92.5));
  const actual = counts.slice(origin, origin + days).reduce((a, b) => a + b, 0);
  return { held: actual >= low && actual <= high, median: percentileOf(outcome, 50), actual };
}

/** Backtests over the daily counts `counts` (oldest first, ending today) and presence. */
export function runBacktest(
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
    if (origin - weeks * 7 < 0) break;
    const window = forecastWindow(counts, present, origin, days, weeks, simulations, random);
    if (!window) continue;
    const { median, actual } = window;
    run++;
    if (window.held) held++;
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
    calibrated: run >= MIN_BACKTEST_WINDOWS,
    text:
      run >= MIN_BACKTEST_WINDOWS
        ? `85 % ranges held ${held} of ${run} times here (${horizon}-week horizon)`
        : `calibration unknown (${run} windows): a backtest needs ${MIN_BACKTEST_WINDOWS} past ${horizon}-week windows with enough history${run === 0 ? '' : `; ${held} of ${run} held`}`,
  };
}

/**
 * Over past windows (a week apart, each ending before now), forecasts of items done in each horizon, and the share
 * whose actual count lay in the 85 % range.
 */
export async function backtestForecasts(deps: ForecastDeps, query: BacktestQuery): Promise<ForecastBacktest[]> {
  const team = await checkedTeam(deps, query.team);
  const horizons = query.horizons ?? [2];
  if (!Array.isArray(horizons) || horizons.length === 0) throw invalid('horizons: expected a list of horizons in weeks, e.g. [1, 2, 4]');
  horizons.forEach((h, i) => wholeNumber(`horizons[${i}]`, h, 1, 52, 'weeks', 1));
  const windows = wholeNumber('windows', query.windows, 1, 520, 'windows', MIN_BACKTEST_WINDOWS);
  const weeks = wholeNumber('weeks', query.weeks, 1, 104, 'weeks', 12);
  const simulations = wholeNumber('simulations', query.simulations, 100, 100_000, 'simulations', 2_000);
  const seed = wholeNumber('seed', query.seed, 0, 2 ** 32 - 1, 'seed values', 1);
  const today = Date.parse(`${dayOf(deps.clock().getTime())}T00:00:00Z`);
  const longest = Math.max(...horizons);
  const span = (weeks + longest + windows) * 7;
  const source = await countedItems(deps, team);
  const counts = await dailyCounts(deps, team, source, today - span * DAY_MS, span);
  const { present } = await presence(deps, team, dayOf(today - span * DAY_MS), span);
  return horizons.map((h) => runBacktest(counts, present, h, windows, weeks, simulations, seed));
}
