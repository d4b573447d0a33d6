import { describe, expect, it } from 'vitest';
import { at, MARCH, metric, open, pullRequest } from './fixtures.js';

describe('time_to_first_review', () => {
  it('is null when merged pull requests were reviewed only by their authors', async () => {
    const ts = await open({
      workItems: [
        pullRequest(1, { createdAt: at(2), mergedAt: at(3), reviews: [{ reviewer: 'ana', state: 'approved', submittedAt: at(2, 5) }] }),
      ],
    });
    expect(await metric(ts, 'time_to_first_review')).toMatchObject({ value: null, count: 0 });
    const explanation = await ts.metrics.explain('time_to_first_review', MARCH);
    expect(explanation.rows).toEqual([]);
    expect(explanation.warnings).toEqual([
      expect.stringMatching(/^1 pull request\(s\) .* no review by anyone but their author .*: acme\/api#1$/),
    ]);
  });

  it('measures the first review by someone else from readyAt, else createdAt', async () => {
    const ts = await open({
      workItems: [
        pullRequest(1, {
          createdAt: at(2),
          readyAt: at(2, 4),
          mergedAt: at(3),
          reviews: [
            { reviewer: 'cy', state: 'commented', submittedAt: at(2, 9) },
            { reviewer: 'ben', state: 'changes_requested', submittedAt: at(2, 7) },
          ],
        }),
        pullRequest(2, {
          createdAt: '2026-03-04T09:00:00+09:00',
          mergedAt: at(5),
          reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: at(4, 6) }],
        }),
        pullRequest(3, { createdAt: at(4), mergedAt: at(5), reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: at(4, 10) }] }),
        pullRequest(4, { createdAt: at(4), reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: at(4, 1) }] }), // not merged
      ],
    });
    // [3, 6, 10] → p50 6
    expect(await metric(ts, 'time_to_first_review')).toMatchObject({ value: 6, count: 3 });
    const explanation = await ts.metrics.explain('time_to_first_review', MARCH);
    expect(explanation.rows.map((row) => [row.pullRequest, row.readyAt, row.firstReviewAt, row.waitHours])).toEqual([
      ['acme/api#1', at(2, 4), at(2, 7), 3],
      ['acme/api#2', at(4), at(4, 6), 6],
      ['acme/api#3', at(4), at(4, 10), 10],
    ]);
  });
});
