// Monte Carlo over daily throughput ("Actionable Agile Metrics"): each simulated day draws one day of the history at
// random, scaled by the share of the team that is there that day. Pure functions: the store is read elsewhere.

/** A seeded generator of numbers in [0, 1) (mulberry32): one seed, one sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The daily history a simulation draws from: items done per day at full strength, and the days it may draw. */
export interface ThroughputSample {
  /** Items done each day, divided by the share of the team present that day (days nobody was there are left out). */
  perDay: readonly number[];
}

/** Builds the sample: each day's count over the share present (0 present: the day is left out). */
export function throughputSample(counts: readonly number[], present: readonly number[]): ThroughputSample {
  const perDay: number[] = [];
  counts.forEach((count, i) => {
    const share = present[i] ?? 1;
    if (share > 0) perDay.push(count / share);
  });
  return { perDay };
}

/** The longest a simulated completion runs before it counts as never (ten years of days). */
export const MAX_DAYS = 3_650;

/**
 * Days to finish `items`, once per simulation, sorted ascending (`Infinity` when a run does not finish in
 * {@link MAX_DAYS}). `capacity[d]` is the share of the team present on day `d` from now (1 past its end).
 */
export function simulateDays(
  sample: ThroughputSample,
  items: number,
  capacity: readonly number[],
  simulations: number,
  random: () => number,
): number[] {
  const { perDay } = sample;
  const out = new Array<number>(simulations);
  const n = perDay.length;
  for (let s = 0; s < simulations; s++) {
    let done = 0;
    let day = 0;
    while (done < items && day < MAX_DAYS) {
      done += perDay[Math.floor(random() * n)]! * (capacity[day] ?? 1);
      day++;
    }
    out[s] = done >= items ? day : Number.POSITIVE_INFINITY;
  }
  return out.sort((a, b) => a - b);
}

/** Items done in `days` days, once per simulation, sorted ascending. */
export function simulateItems(
  sample: ThroughputSample,
  days: number,
  capacity: readonly number[],
  simulations: number,
  random: () => number,
): number[] {
  const { perDay } = sample;
  const n = perDay.length;
  const out = new Array<number>(simulations);
  for (let s = 0; s < simulations; s++) {
    let done = 0;
    for (let day = 0; day < days; day++) done += perDay[Math.floor(random() * n)]! * (capacity[day] ?? 1);
    out[s] = done;
  }
  return out.sort((a, b) => a - b);
}

/** The value at `p` (0–100) of sorted values: the closest rank at or above (a whole day, a whole item). */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
