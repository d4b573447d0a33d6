// The PR flow metrics of one team or one repository read the scope's repositories' index ranges (metric-plans.test.ts);
// these are their exact values: the window's edges, a repository that moved to another team, PRs of members in other
// teams' repositories, unmerged PRs and PRs without a repository.
import type { TeamState } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, deployment, metric, open, pullRequest } from './fixtures.js';

const EDGE_FROM = '2026-03-01T00:00:00.000Z';
const EDGE_TO = '2026-04-01T00:00:00.000Z';

let ts: TeamState;
beforeAll(async () => {
  ts = await open({});
  // acme/ops belongs to growth when its PR is imported, then moves to payments: the current team decides.
  await ts.import({ format: 'teamstate.bundle/v1', repositories: [{ id: 'acme/ops', team: 'growth' }] });
  await ts.import({
    format: 'teamstate.bundle/v1',
    workItems: [
      // payments (acme/api): merged at the window's first instant, 2 h after it was opened; 10 lines.
      pullRequest(1, { createdAt: '2026-02-28T22:00:00Z', mergedAt: EDGE_FROM, additions: 10, deletions: 0 }),
      // acme/ops moves from growth to payments below: 4 h, first review after 1 h, 30 lines, deployed 6 h after merge.
      pullRequest(2, {
        repository: 'acme/ops',
        author: 'ben',
        createdAt: at(10),
        mergedAt: at(10, 4),
        additions: 20,
        deletions: 10,
        reviews: [{ reviewer: 'cy', state: 'approved', submittedAt: at(10, 1) }],
      }),
      // Outside the window: merged at its end (exclusive) and just before its start.
      pullRequest(3, { createdAt: at(20), mergedAt: EDGE_TO, additions: 1000 }),
      pullRequest(4, { createdAt: '2026-02-27T00:00:00Z', mergedAt: '2026-02-28T23:59:59.999Z', additions: 1000 }),
      // Not merged.
      pullRequest(5, { createdAt: at(3), additions: 1000 }),
      // growth (acme/web), one authored by a member of payments: a team's PRs are its repositories', not its people's.
      pullRequest(6, {
        repository: 'acme/web',
        author: 'ana',
        createdAt: at(5),
        mergedAt: at(5, 8),
        additions: 100,
        reviews: [{ reviewer: 'ben', state: 'approved', submittedAt: at(5, 2) }],
      }),
      pullRequest(7, { repository: 'acme/web', author: 'cy', createdAt: at(6), mergedAt: at(6, 12), additions: 200 }),
    ],
    deployments: [deployment('d-ops', at(10, 10), { repository: 'acme/ops' }), deployment('d-web', at(6, 14), { repository: 'acme/web' })],
  });
  await ts.import({ format: 'teamstate.bundle/v1', repositories: [{ id: 'acme/ops', team: 'payments' }] });
  // A PR without a repository belongs to no team (and is merged in the window).
  await ts.import({
    format: 'teamstate.bundle/v1',
    workItems: [{ ...pullRequest(8, { createdAt: at(7), mergedAt: at(7, 1), additions: 5 }), repository: undefined }],
  });
});
afterAll(() => ts.close());

describe('PR flow metrics of a team or a repository', () => {
  it('count exactly the PRs of the repositories the team owns now, merged in [from, to)', async () => {
    expect(await metric(ts, 'throughput', { team: 'payments' })).toMatchObject({ value: 2, pullRequests: 2 });
    expect(await metric(ts, 'pr_cycle_time', { team: 'payments' })).toMatchObject({
      count: 2,
      value: 3,
      p50: 3,
      breakdown: {
        coding: { p50: null, count: 0 },
        pickup: { p50: 1, count: 1 },
        review: { p50: 3, count: 1 },
        deploy: { p50: 6, count: 1 },
      },
    });
    expect(await metric(ts, 'time_to_first_review', { team: 'payments' })).toMatchObject({ count: 1, value: 1 });
    expect(await metric(ts, 'pr_size', { team: 'payments' })).toMatchObject({ count: 2, value: 20, p50: 20 });
    expect(await metric(ts, 'ai_assisted_share', { team: 'payments' })).toMatchObject({ total: 2 });
  });

  it('leave a moved repository to its new team, and count a member’s PRs in another team’s repository there', async () => {
    expect(await metric(ts, 'throughput', { team: 'growth' })).toMatchObject({ value: 2 });
    // d-web deploys both growth PRs (no list: every PR of acme/web merged before it): 30 h and 2 h.
    expect(await metric(ts, 'pr_cycle_time', { team: 'growth' })).toMatchObject({
      count: 2,
      value: 10,
      breakdown: { deploy: { p50: 16, count: 2 } },
    });
    expect(await metric(ts, 'time_to_first_review', { team: 'growth' })).toMatchObject({ count: 1, value: 2 });
    expect(await metric(ts, 'pr_size', { team: 'growth' })).toMatchObject({ count: 2, value: 150 });
  });

  it('scope one repository, a team and a person together, and a team with no repository', async () => {
    expect(await metric(ts, 'pr_cycle_time', { repository: 'acme/ops' })).toMatchObject({
      count: 1,
      value: 4,
      breakdown: { deploy: { p50: 6 } },
    });
    expect(await metric(ts, 'pr_size', { team: 'payments', repository: 'acme/web' })).toMatchObject({ count: 0, value: null });
    expect(await metric(ts, 'pr_size', { team: 'payments', person: 'ben' })).toMatchObject({ count: 1, value: 30 });
    expect(await metric(ts, 'throughput', { team: 'payments', person: 'ana' })).toMatchObject({ value: 1 });
    await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'empty', name: 'Empty' }] });
    expect(await metric(ts, 'throughput', { team: 'empty' })).toMatchObject({ value: null, pullRequests: 0 });
    expect(await metric(ts, 'pr_cycle_time', { team: 'empty' })).toMatchObject({ count: 0, value: null });
  });

  it('agree with the whole organisation: every merged PR in the window counted once, in its repository’s team or none', async () => {
    const organisation = await metric(ts, 'throughput');
    const teams = await Promise.all(['payments', 'growth'].map((team) => metric(ts, 'throughput', { team })));
    // PR 8 has no repository: only the organisation counts it.
    expect(organisation.value).toBe(5);
    expect(teams.map((result) => result.value)).toEqual([2, 2]);
  });
});
