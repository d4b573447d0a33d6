// `work_items.first_review_at` is derived on write (migration 0020): every write path that changes a pull request, its
// reviews or its author keeps it equal to its definition (the first review by someone other than the author), and
// `time_to_first_review` / `pr_cycle_time` read it. Import, then change it through sync, a re-import and an account merge.
import { createTeamState, type TeamState } from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';
import { describe, expect, it } from 'vitest';
import { builtinMetrics } from '../src/index.js';
import { at, hoursBetween, MARCH, pullRequest } from './fixtures.js';

const org = {
  teams: [{ id: 'payments', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['payments'], accounts: [{ provider: 'github' as const, id: '1', login: 'ana' }] },
    { id: 'ben', name: 'Ben', teams: ['payments'], accounts: [{ provider: 'github' as const, id: '2', login: 'ben' }] },
    { id: 'ana-gh', name: 'ana', accounts: [{ provider: 'github' as const, id: '3', login: 'ana-alt' }] },
  ],
  repositories: [{ id: 'acme/api', team: 'payments' }],
};
// Opened 1 March 00:00; Ana's own review at 02:00 never counts; Ben's at 05:00 is the first review.
const pr = pullRequest(1, {
  createdAt: at(1),
  mergedAt: at(1, 10),
  reviews: [
    { reviewer: 'ana', state: 'commented', submittedAt: at(1, 2) },
    { reviewer: 'ben', state: 'approved', submittedAt: at(1, 5) },
  ],
});

async function stored(ts: TeamState): Promise<number | null> {
  const { rows } = await ts.store.execute("SELECT first_review_at FROM work_items WHERE id = 'pr-acme/api-1'");
  return rows[0]!.first_review_at as number | null;
}
async function firstReviewHours(ts: TeamState): Promise<number | null> {
  return (await ts.metrics.compute(['time_to_first_review'], MARCH)).time_to_first_review!.value;
}

describe('first_review_at, derived on every write', () => {
  it('is set by an import and follows reviews, the author and merged_at through sync and re-import', async () => {
    // Two connectors so that each sync writes one batch.
    const [first, second] = [
      // Sync 1: Ana reviews again (still her own) and Cy's earlier review arrives (04:00): the first review moves.
      {
        workItems: [
          {
            ...pr,
            reviews: [...pr.reviews!, { reviewer: 'cy', state: 'commented' as const, submittedAt: at(1, 4) }],
          },
        ],
        people: [{ id: 'cy', name: 'Cy' }],
      },
      // Sync 2: the item comes back without a review list (reviews kept), merged later, and Cy is now its author:
      // Ana's review (02:00) is someone else's now, so it is the first.
      { workItems: [{ ...pr, author: 'cy', reviews: undefined, mergedAt: at(2) }] },
    ].map((batch, i) => testConnector({ id: `sync-${i + 1}`, batches: [batch] }));
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics, connectors: [first!, second!] });
    await ts.import({ format: 'teamstate.bundle/v1', ...org, workItems: [pr] });
    expect(await stored(ts)).toBe(Date.parse(at(1, 5)));
    expect(await firstReviewHours(ts)).toBe(5);

    await ts.sync({ only: ['sync-1'] });
    expect(await stored(ts)).toBe(Date.parse(at(1, 4)));
    expect(await firstReviewHours(ts)).toBe(4);

    await ts.sync({ only: ['sync-2'] });
    expect(await stored(ts)).toBe(Date.parse(at(1, 2)));
    const cycle = (await ts.metrics.compute(['pr_cycle_time'], MARCH)).pr_cycle_time!;
    expect(cycle.value).toBe(hoursBetween(at(1), at(2)));
    expect((cycle.breakdown as Record<string, { p50: number }>).review!.p50).toBe(hoursBetween(at(1, 2), at(2)));

    // A re-import with only Ana's own review left: no first review, so the PR leaves time_to_first_review.
    await ts.import({ format: 'teamstate.bundle/v1', workItems: [{ ...pr, reviews: [pr.reviews![0]!] }] });
    expect(await stored(ts)).toBeNull();
    expect(await firstReviewHours(ts)).toBeNull();
    await ts.close();
  });

  it('follows an account merge that makes a review the author’s own', async () => {
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics });
    // Ana's alternative account 'ana-gh' reviewed at 03:00 as if someone else.
    await ts.import({
      format: 'teamstate.bundle/v1',
      ...org,
      workItems: [{ ...pr, reviews: [...pr.reviews!, { reviewer: 'ana-gh', state: 'commented', submittedAt: at(1, 3) }] }],
    });
    expect(await stored(ts)).toBe(Date.parse(at(1, 3)));
    expect((await ts.linkAccount({ provider: 'github', id: '3' }, 'ana')).merged).toBe(true);
    expect(await stored(ts)).toBe(Date.parse(at(1, 5)));
    expect(await firstReviewHours(ts)).toBe(5);
    await ts.close();
  });

  it('leaves a re-import of unchanged data without changes', async () => {
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics });
    const bundle = { format: 'teamstate.bundle/v1' as const, ...org, workItems: [pr] };
    await ts.import(bundle);
    const again = await ts.import(bundle);
    expect(again.changes).toBe(0);
    expect(await stored(ts)).toBe(Date.parse(at(1, 5)));
    await ts.close();
  });
});
