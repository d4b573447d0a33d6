import { describe, expect, it } from 'vitest';
import { at, MARCH, metric, open, pullRequest } from './fixtures.js';

describe('pr_size', () => {
  it('is null without merged pull requests of known size', async () => {
    const ts = await open({ workItems: [pullRequest(1, { createdAt: at(1), mergedAt: at(2) })] });
    expect(await metric(ts, 'pr_size')).toMatchObject({ value: null, p90: null, count: 0, unit: 'lines' });
    expect((await ts.metrics.explain('pr_size', MARCH)).warnings).toEqual([
      expect.stringMatching(/neither additions nor deletions .*: acme\/api#1$/),
    ]);
  });

  it('is the p50 and p90 of additions + deletions of pull requests merged in the window', async () => {
    const sizes = [
      [10, 0],
      [30, 20],
      [100, 0],
      [5, 5],
      [400, 100],
    ];
    const ts = await open({
      workItems: [
        ...sizes.map(([additions, deletions], n) => pullRequest(n + 1, { createdAt: at(1), mergedAt: at(2 + n), additions, deletions })),
        pullRequest(9, { createdAt: at(1), mergedAt: MARCH.to, additions: 9999, deletions: 0 }),
        pullRequest(10, { createdAt: at(1), additions: 9999, deletions: 0 }),
      ],
    });
    // sorted [10, 10, 50, 100, 500]: p50 50, p90 = 100 + 0.6 × 400 = 340
    expect(await metric(ts, 'pr_size')).toMatchObject({ value: 50, p50: 50, p90: 340, count: 5 });
  });
});
