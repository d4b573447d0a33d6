// The capacity model (docs/allocation.md#capacity), pure: the history's items per present person on each weekday, drawn at
// random for each weekday of the window and multiplied by the people available that day, summed per simulated run.

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

/** The value at `p` (0–100) of sorted values: the closest rank at or above. */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The 15th, 50th and 85th percentiles of items the team finishes in the window (whole items). */
export interface Throughput {
  p15: number;
  p50: number;
  p85: number;
}

/**
 * Items finished in the window, once per run: for each of the window's weekdays (`available[d]` people there), a
 * weekday of the history drawn at random, its items per present person (`rates`) times the people available.
 */
export function simulateThroughput(rates: readonly number[], available: readonly number[], simulations: number, seed: number): Throughput {
  if (rates.length === 0) return { p15: 0, p50: 0, p85: 0 };
  const random = seededRandom(seed);
  const runs = new Array<number>(simulations);
  for (let s = 0; s < simulations; s++) {
    let done = 0;
    for (const people of available) done += rates[Math.floor(random() * rates.length)]! * people;
    runs[s] = done;
  }
  runs.sort((a, b) => a - b);
  return { p15: Math.floor(percentileOf(runs, 15)), p50: Math.round(percentileOf(runs, 50)), p85: Math.ceil(percentileOf(runs, 85)) };
}

/** Fits: at most the 15th percentile (done in 85 % of runs); over: above the 85th; at risk: between. */
export type Verdict = 'fits' | 'at_risk' | 'over';

/** The verdict for `committed` items against the throughput. */
export function verdictOf(committed: number, throughput: Throughput): Verdict {
  if (committed <= throughput.p15) return 'fits';
  return committed > throughput.p85 ? 'over' : 'at_risk';
}

/** Items per present person on each weekday of the history on which someone was present. */
export function ratesOf(done: readonly number[], present: readonly number[]): number[] {
  const out: number[] = [];
  done.forEach((n, i) => {
    const people = present[i] ?? 0;
    if (people > 0) out.push(n / people);
  });
  return out;
}
