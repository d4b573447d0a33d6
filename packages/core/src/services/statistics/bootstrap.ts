// The bootstrap of `ts.aiImpact()`: resampled medians and means drawn from a seeded generator, so the same data and
// seed give the same intervals.

/**
 * The median of a resample (with replacement) of ascending `sorted`, without sorting it: how often each index was drawn,
 * then the order statistics the interpolated median needs, walking those counts. O(n) per resample.
 */
export function resampledMedian(sorted: readonly number[], counts: Uint32Array, random: () => number): number {
  const n = sorted.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]! += 1;
  const position = 0.5 * (n - 1);
  const lowerRank = Math.floor(position);
  let seen = 0;
  let lower: number | undefined;
  for (let index = 0; index < n; index++) {
    seen += counts[index]!;
    if (lower === undefined && seen > lowerRank) lower = sorted[index]!;
    if (seen > lowerRank + 1 || (seen > lowerRank && lowerRank + 1 >= n))
      return lower! + (sorted[index]! - lower!) * (position - lowerRank);
  }
  return lower!;
}

/** The mean of a resample (with replacement) of `list`. */
export function resampledMean(list: readonly number[], _counts: Uint32Array, random: () => number): number {
  let sum = 0;
  for (let i = 0; i < list.length; i++) sum += list[Math.floor(random() * list.length)]!;
  return sum / list.length;
}

/** A small seeded PRNG (mulberry32): reproducible bootstrap intervals. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
