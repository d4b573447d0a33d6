import { describe, expect, it } from 'vitest';
import { percentile } from '../src/services/approvals/approval-stats.js';
import { resampledMedian } from '../src/services/statistics/index.js';

describe('resampledMedian (the bootstrap without a sort per resample)', () => {
  it('equals the interpolated median of the same resample drawn and sorted explicitly', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let trial = 0; trial < 2_000; trial++) {
      const n = 1 + (trial % 41);
      const sorted = Array.from({ length: n }, () => Math.round(next() * 100)).sort((a, b) => a - b);
      const draws = Array.from({ length: n }, next);
      let k = 0;
      const got = resampledMedian(sorted, new Uint32Array(n), () => draws[k++]!);
      const resample = draws.map((r) => sorted[Math.floor(r * n)]!).sort((a, b) => a - b);
      expect(got).toBeCloseTo(percentile(resample, 0.5)!, 9);
    }
  });
});
