import { describe, expect, it } from 'vitest';
import { createTeamState } from '../src/index.js';
import { acmeBundle } from './fixtures/acme-bundle.js';

const at = (iso: string) => () => new Date(iso);

describe('ts.overview()', () => {
  it("counts a team's open, awaiting and recently merged pull requests at the clock's now", async () => {
    let now = at('2026-03-06T00:00:00Z');
    const ts = await createTeamState({ database: ':memory:', clock: () => now() });
    await ts.import(acmeBundle());
    // Open and ready, reviewed only by its author: it still awaits review. Another open one has a review.
    await ts.import({
      format: 'teamstate.bundle/v1',
      workItems: [
        {
          id: 'pr-3',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/payments-api#3',
          title: 'Retry webhooks',
          state: 'open',
          repository: 'acme/payments-api',
          author: 'ana',
          createdAt: '2026-03-05T09:00:00Z',
          reviews: [{ reviewer: 'ana', state: 'commented', submittedAt: '2026-03-05T10:00:00Z' }],
        },
        {
          id: 'pr-4',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/payments-api#4',
          title: 'Faster refunds',
          state: 'open',
          repository: 'acme/payments-api',
          author: 'ben',
          createdAt: '2026-03-05T11:00:00Z',
          reviews: [{ reviewer: 'ana', state: 'commented', submittedAt: '2026-03-05T12:00:00Z' }],
        },
      ],
    });
    const payments = async () => (await ts.overview({ team: 'payments' })).teams;

    // pr-2 (draft), pr-3 and pr-4 are open; only pr-3 awaits a review; pr-1 merged on 2026-03-03.
    expect(await payments()).toMatchObject([
      { id: 'payments', openPullRequests: 3, pullRequestsAwaitingReview: 1, pullRequestsMergedLast7Days: 1 },
    ]);
    // A week after the merge it has left the 7-day window.
    now = at('2026-03-10T09:15:30.250Z');
    expect(await payments()).toMatchObject([{ openPullRequests: 3, pullRequestsAwaitingReview: 1, pullRequestsMergedLast7Days: 1 }]);
    now = at('2026-03-10T09:15:30.251Z');
    expect(await payments()).toMatchObject([{ pullRequestsMergedLast7Days: 0 }]);
    // Before pr-3 and pr-4 were opened, only pr-2 (a draft) was open.
    now = at('2026-03-05T08:00:00Z');
    expect(await payments()).toMatchObject([{ openPullRequests: 1, pullRequestsAwaitingReview: 0, pullRequestsMergedLast7Days: 1 }]);
    // Other teams own none of them.
    expect((await ts.overview({ team: 'leads' })).teams).toMatchObject([
      { id: 'leads', openPullRequests: 0, pullRequestsMergedLast7Days: 0 },
    ]);
    await ts.close();
  });
});
