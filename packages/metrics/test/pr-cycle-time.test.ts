import { describe, expect, it } from 'vitest';
import { at, deployment, MARCH, metric, open, pullRequest } from './fixtures.js';

describe('pr_cycle_time', () => {
  it('is null when no pull request was merged in the window', async () => {
    const ts = await open({ workItems: [pullRequest(1, { createdAt: at(1) })] });
    const result = await metric(ts, 'pr_cycle_time');
    expect(result).toMatchObject({ value: null, p50: null, p75: null, p90: null, count: 0, unit: 'hours' });
    expect(result.breakdown).toEqual({
      coding: { p50: null, count: 0 },
      pickup: { p50: null, count: 0 },
      review: { p50: null, count: 0 },
      deploy: { p50: null, count: 0 },
    });
  });

  it('measures mergedAt − (firstCommitAt ?? createdAt) and breaks it into coding, pickup, review and deploy', async () => {
    const ts = await open({
      workItems: [
        // coding 2 h, pickup 2 h (from readyAt), review 3 h (the author's own review does not count), deploy 2 h: 8 h
        pullRequest(1, {
          firstCommitAt: at(2, 0),
          createdAt: at(2, 2),
          readyAt: at(2, 3),
          mergedAt: at(2, 8),
          reviews: [
            { reviewer: 'ana', state: 'commented', submittedAt: at(2, 4) },
            { reviewer: 'ben', state: 'approved', submittedAt: at(2, 5) },
            { reviewer: 'cy', state: 'approved', submittedAt: at(2, 6) },
          ],
        }),
        // no first commit (cycle from createdAt, no coding phase), only the author reviewed, never deployed: 20 h
        pullRequest(2, {
          createdAt: at(3, 0),
          mergedAt: at(3, 20),
          reviews: [{ reviewer: 'ana', state: 'commented', submittedAt: at(3, 1) }],
        }),
        // merged before the window, outside
        pullRequest(3, { createdAt: '2026-02-20T00:00:00Z', mergedAt: '2026-02-28T23:59:59Z' }),
        // created at 2026-03-31T20:00Z with an offset, merged at the window end: outside (half-open)
        pullRequest(4, { createdAt: '2026-03-31T22:00:00+02:00', mergedAt: MARCH.to }),
      ],
      deployments: [deployment('d', at(2, 10), { pullRequests: ['pr-acme/api-1'] })],
    });
    const result = await metric(ts, 'pr_cycle_time');
    expect(result).toMatchObject({ value: 14, p50: 14, p75: 17, p90: 18.8, count: 2 });
    expect(result.breakdown).toEqual({
      coding: { p50: 2, count: 1 },
      pickup: { p50: 2, count: 1 },
      review: { p50: 3, count: 1 },
      deploy: { p50: 2, count: 1 },
    });

    const explanation = await ts.metrics.explain('pr_cycle_time', MARCH);
    expect(explanation.rows).toEqual([
      {
        pullRequest: 'acme/api#1',
        firstCommitAt: at(2, 0),
        openedAt: at(2, 2),
        readyAt: at(2, 3),
        firstReviewAt: at(2, 5),
        mergedAt: at(2, 8),
        deployedAt: at(2, 10),
        cycleHours: 8,
        codingHours: 2,
        pickupHours: 2,
        reviewHours: 3,
        deployHours: 2,
      },
      {
        pullRequest: 'acme/api#2',
        firstCommitAt: null,
        openedAt: at(3),
        readyAt: at(3),
        firstReviewAt: null,
        mergedAt: at(3, 20),
        deployedAt: null,
        cycleHours: 20,
        codingHours: null,
        pickupHours: null,
        reviewHours: null,
        deployHours: null,
      },
    ]);
    expect(explanation.warnings).toEqual([
      expect.stringMatching(/^1 pull request\(s\) have no firstCommitAt.*: acme\/api#2$/),
      expect.stringMatching(/^1 pull request\(s\) merged in the window were never deployed to production: acme\/api#2$/),
    ]);
  });

  it('scopes pull requests by the team of their repository and by person', async () => {
    const ts = await open({
      workItems: [
        pullRequest(1, { createdAt: at(2), mergedAt: at(2, 1), author: 'ben' }),
        pullRequest(2, { createdAt: at(2), mergedAt: at(2, 2), repository: 'acme/web', author: 'cy' }),
        pullRequest(3, { createdAt: at(2), mergedAt: at(2, 3), repository: 'acme/web', author: 'cy', assignees: ['ben'] }),
      ],
    });
    expect(await metric(ts, 'pr_cycle_time', { team: 'payments' })).toMatchObject({ count: 1, value: 1 });
    expect(await metric(ts, 'pr_cycle_time', { team: 'growth' })).toMatchObject({ count: 2, value: 2.5 });
    expect(await metric(ts, 'pr_cycle_time', { person: 'ben' })).toMatchObject({ count: 2, value: 2 });
  });
});
