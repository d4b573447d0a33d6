import { describe, expect, it } from 'vitest';
import { percentileUnsorted } from '../src/common/percentile-unsorted.js';

/** numpy's default linear interpolation over the sorted values: what item.aging computed before. */
function bySorting(values: readonly number[], p: number): number | null {
  const sorted = [...values].sort((x, y) => x - y);
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * p;
  const lo = Math.floor(position);
  const fraction = position - lo;
  const low = sorted[lo]!;
  return fraction === 0 ? low : low + (sorted[lo + 1]! - low) * fraction;
}

/** A small deterministic generator (no Math.random: a failure must be reproducible). */
function numbers(seed: number, count: number, distinct: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return ((state % distinct) - distinct / 3) / 7;
  });
}

describe('percentileUnsorted', () => {
  it('equals the percentile of the sorted values, bit for bit, with ties, negatives and any length', () => {
    for (const count of [1, 2, 3, 5, 7, 20, 101, 1000])
      for (const distinct of [1, 2, 3, 50, 1_000_000])
        for (const p of [0, 0.5, 0.85, 0.9, 1])
          for (const seed of [1, 2, 3]) {
            const values = numbers(seed * count + distinct, count, distinct);
            expect(percentileUnsorted(Float64Array.from(values), p), `${count} ${distinct} ${p} ${seed}`).toBe(bySorting(values, p));
          }
  });

  it('takes sorted, reversed and constant input (the worst cases of a naive selection)', () => {
    const sorted = Array.from({ length: 500 }, (_, i) => i * 1.5);
    for (const values of [sorted, [...sorted].reverse(), Array.from({ length: 500 }, () => 4)])
      expect(percentileUnsorted(Float64Array.from(values), 0.85)).toBe(bySorting(values, 0.85));
  });

  it('has no percentile without values', () => {
    expect(percentileUnsorted(new Float64Array(0), 0.85)).toBeNull();
  });
});
