import { createTeamState, type TeamState, type WorkItem } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { afterEach, describe, expect, it } from 'vitest';

// ts.goals: goals from the bundle, config or add(); progress with the rows behind every number; allocation shares that
// equal the planted counts exactly.

let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

const NOW = new Date('2026-11-20T12:00:00Z');

const pr = (n: number, mergedAt: string | undefined, labels: string[] = [], parent?: string): WorkItem => ({
  id: `pr-${n}`,
  source: 'github',
  kind: 'pull_request',
  key: `acme/api#${n}`,
  title: `Change ${n}`,
  state: mergedAt ? 'merged' : 'open',
  team: 'payments',
  repository: 'acme/api',
  author: 'ana',
  createdAt: '2026-10-01T08:00:00Z',
  ...(mergedAt ? { mergedAt } : {}),
  labels,
  ...(parent ? { parent } : {}),
});

const issue = (key: string, status: 'todo' | 'in_progress' | 'done', points: number, extra: Partial<WorkItem> = {}): WorkItem => ({
  id: key,
  source: 'jira',
  kind: 'story',
  key,
  title: `Story ${key}`,
  state: status,
  statusCategory: status,
  team: 'payments',
  createdAt: '2026-09-01T08:00:00Z',
  storyPoints: points,
  ...(status === 'done' ? { resolvedAt: '2026-10-15T10:00:00Z' } : {}),
  ...extra,
});

/** Planted: 6 PRs for checkout (label), 3 for fraud (epic children), 5 unlinked, 2 merged before the quarter, 1 open. */
function bundle() {
  const prs: WorkItem[] = [];
  let n = 1;
  for (let i = 0; i < 6; i++) prs.push(pr(n++, `2026-10-${String(2 + i).padStart(2, '0')}T12:00:00Z`, ['checkout']));
  for (let i = 0; i < 3; i++) prs.push(pr(n++, `2026-11-0${2 + i}T12:00:00Z`, [], 'PAY-100'));
  for (let i = 0; i < 5; i++) prs.push(pr(n++, `2026-11-1${i}T12:00:00Z`, ['chore']));
  prs.push(pr(n++, '2026-09-20T12:00:00Z', ['checkout']), pr(n++, '2026-09-21T12:00:00Z'));
  prs.push(pr(n++, undefined, ['checkout']));
  return {
    format: 'teamstate.bundle/v1' as const,
    teams: [{ id: 'payments', name: 'Payments' }],
    people: [{ id: 'ana', name: 'Ana', teams: ['payments'] }],
    repositories: [{ id: 'acme/api', team: 'payments' }],
    workItems: [
      ...prs,
      { ...issue('PAY-100', 'in_progress', 0), kind: 'epic' as const },
      issue('PAY-101', 'done', 5, { parent: 'PAY-100' }),
      issue('PAY-102', 'in_progress', 3, { parent: 'PAY-100' }),
      issue('PAY-103', 'todo', 2, { parent: 'PAY-100' }),
      issue('PAY-110', 'done', 8, { labels: ['checkout'] }),
      issue('PAY-111', 'done', 3, { labels: ['checkout'] }),
      issue('PAY-120', 'done', 4),
      issue('PAY-121', 'done', 1, { resolvedAt: '2026-08-01T00:00:00Z' }),
    ],
    goals: [
      {
        id: 'checkout',
        title: 'Faster checkout',
        team: 'payments',
        period: '2026-Q4',
        owner: 'ana',
        links: [{ kind: 'label' as const, ref: 'checkout' }],
        keyResults: [
          { id: 'kr-merged', title: 'Ship changes', metric: { id: 'throughput', target: 10, direction: 'up' as const } },
          { id: 'kr-manual', title: 'Survey done', progress: 0.5 },
        ],
      },
      { id: 'fraud', title: 'Stop fraud', team: 'payments', period: '2026-Q4', links: [{ kind: 'epic' as const, ref: 'PAY-100' }] },
    ],
  };
}

async function open() {
  ts = await createTeamState({ database: ':memory:', clock: () => NOW, metrics: builtinMetrics });
  await ts.import(bundle());
  return ts;
}

describe('ts.goals.progress()', () => {
  it('allocates merged PRs and done points exactly as planted, with the rows behind each share when explained', async () => {
    const t = await open();
    const progress = await t.goals.progress({ team: 'payments', period: '2026-Q4', explain: true });
    const prs = progress.allocation.mergedPullRequests;
    expect(prs.total).toBe(14);
    const byGoal = Object.fromEntries(prs.shares.map((s) => [s.goal, s]));
    expect(byGoal.checkout!.count).toBe(6);
    expect(byGoal.checkout!.share).toBe(Math.round((6 / 14) * 10_000) / 10_000);
    expect(byGoal.fraud!.count).toBe(3);
    expect(byGoal.unlinked!.count).toBe(5);
    expect(byGoal.fraud!.rows!.map((r) => r.id)).toEqual(['pr-7', 'pr-8', 'pr-9']);
    expect(byGoal.unlinked!.rows!.map((r) => r.id).sort()).toEqual(['pr-10', 'pr-11', 'pr-12', 'pr-13', 'pr-14']);

    const points = progress.allocation.donePoints;
    expect(points.total).toBe(5 + 8 + 3 + 4);
    const pointsBy = Object.fromEntries(points.shares.map((s) => [s.goal, s]));
    expect(pointsBy.checkout!.points).toBe(11);
    expect(pointsBy.checkout!.share).toBe(0.55);
    expect(pointsBy.fraud!.points).toBe(5);
    expect(pointsBy.fraud!.share).toBe(0.25);
    expect(pointsBy.unlinked!.points).toBe(4);
    expect(pointsBy.unlinked!.rows!.map((r) => r.key)).toEqual(['PAY-120']);
  });

  it("allocates a merged PR to a goal through the issue it names and that issue's epic or parent", async () => {
    ts = await createTeamState({ database: ':memory:', clock: () => NOW, metrics: builtinMetrics });
    const base = bundle();
    const named = (n: number, fields: Partial<WorkItem>): WorkItem => ({ ...pr(n, '2026-11-16T12:00:00Z'), ...fields });
    await ts.import({
      ...base,
      workItems: [
        ...base.workItems,
        { ...issue('PAY-130', 'in_progress', 2), kind: 'task' as const, parent: 'PAY-102' },
        issue('PAY-140', 'done', 1),
        // The key in the title (a branch-named PR), in the body, a sub-task under a story of the epic, the epic itself.
        named(101, { title: 'PAY-101: Block card testing' }),
        named(102, { body: 'Rate limits per card.\n\nCloses PAY-102.' }),
        named(103, { title: 'Flag risky merchants', body: 'Part of PAY-130' }),
        named(104, { title: '[PAY-100] Fraud dashboard' }),
        // A label link reaches the issue; an issue under no goal; a key that names no issue.
        named(105, { title: 'PAY-110 Express checkout' }),
        named(106, { title: 'PAY-140 Fix typo' }),
        named(107, { title: 'Bump ISO-8601 parser' }),
      ],
    });
    const progress = await ts.goals.progress({ team: 'payments', period: '2026-Q4', explain: true });
    const prs = progress.allocation.mergedPullRequests;
    const byGoal = Object.fromEntries(prs.shares.map((s) => [s.goal, s]));
    expect(prs.total).toBe(14 + 7);
    expect(byGoal.fraud!.rows!.map((r) => r.id)).toEqual(['pr-101', 'pr-102', 'pr-103', 'pr-104', 'pr-7', 'pr-8', 'pr-9']);
    expect(byGoal.checkout!.rows!.map((r) => r.id)).toEqual(['pr-1', 'pr-105', 'pr-2', 'pr-3', 'pr-4', 'pr-5', 'pr-6']);
    expect(byGoal.unlinked!.count).toBe(5 + 2);
    expect(byGoal.unlinked!.rows!.map((r) => r.id)).toEqual(['pr-10', 'pr-106', 'pr-107', 'pr-11', 'pr-12', 'pr-13', 'pr-14']);
    // Without explain, the same numbers.
    const plain = await ts.goals.progress({ team: 'payments', period: '2026-Q4' });
    expect(plain.allocation.mergedPullRequests.shares.map((s) => [s.goal, s.count])).toEqual(prs.shares.map((s) => [s.goal, s.count]));
  });

  it('returns the numbers without rows unless explained, and the rows explained add up to every number', async () => {
    const t = await open();
    const query = { team: 'payments', period: '2026-Q4' };
    const plain = await t.goals.progress(query);
    const explained = await t.goals.progress({ ...query, explain: true });
    const numbers = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v) => (key === 'rows' ? undefined : v)));
    expect(plain).toEqual(numbers(explained));
    expect(JSON.stringify(plain)).not.toContain('"rows"');
    expect(plain.allocation.mergedPullRequests.shares.map((s) => [s.goal, s.count])).toEqual([
      ['checkout', 6],
      ['fraud', 3],
      ['unlinked', 5],
    ]);
    expect(plain.allocation.donePoints).toMatchObject({ total: 20, items: 4 });

    const counted = [
      ...explained.goals.flatMap((g) => [g.work.done, g.work.inProgress, g.work.left]),
      ...explained.allocation.mergedPullRequests.shares,
      ...explained.allocation.donePoints.shares,
    ];
    for (const number of counted) expect(number.rows).toHaveLength(number.count);
    const checkout = explained.goals.find((g) => g.goal.id === 'checkout')!;
    expect(checkout.work.done.rows!.map((r) => r.key)).toEqual(['PAY-110', 'PAY-111']);
    expect((await t.goals.progress('checkout', { explain: true })).goals[0]!.work).toEqual(checkout.work);
  });

  it("counts an item once per goal however many of the goal's links reach it", async () => {
    const t = await open();
    await t.goals.add({
      id: 'fraud',
      title: 'Stop fraud',
      team: 'payments',
      period: '2026-Q4',
      links: [
        { kind: 'epic', ref: 'PAY-100' },
        { kind: 'project', ref: 'PAY' },
        { kind: 'label', ref: 'checkout' },
      ],
    });
    // PAY-101 is also reached by the checkout goal's label: linked to two goals, counted once in the totals.
    await t.import({
      format: 'teamstate.bundle/v1',
      workItems: [issue('PAY-101', 'done', 5, { parent: 'PAY-100', labels: ['checkout'] })],
    });
    const progress = await t.goals.progress('fraud', { explain: true });
    // Every story (PAY-101..121 but the epic) and the 7 checkout PRs and 3 epic PRs merged in the quarter.
    expect(progress.goals[0]!.work).toMatchObject({ done: { count: 5, points: 21 }, inProgress: { count: 1 }, left: { count: 1 } });
    const shares = Object.fromEntries(progress.allocation.mergedPullRequests.shares.map((s) => [s.goal, s.count]));
    expect(shares).toEqual({ checkout: 6, fraud: 9, unlinked: 5 });
    const points = Object.fromEntries(progress.allocation.donePoints.shares.map((s) => [s.goal, [s.count, s.points]]));
    expect(points).toEqual({ checkout: [3, 16], fraud: [4, 20], unlinked: [0, 0] });
    expect(progress.allocation.donePoints.shares.find((s) => s.goal === 'fraud')!.share).toBe(1);
    expect(await t.goals.progress('fraud')).toEqual(JSON.parse(JSON.stringify(progress, (key, v) => (key === 'rows' ? undefined : v))));
  });

  it('reaches work through milestones and repositories, and counts work linked to two goals once in the totals', async () => {
    const t = await open();
    await t.import({
      format: 'teamstate.bundle/v1',
      sprints: [
        { id: 's7', name: 'Sprint 7', team: 'payments', state: 'closed', startAt: '2026-10-05T00:00:00Z', endAt: '2026-10-19T00:00:00Z' },
      ],
      workItems: [issue('PAY-111', 'done', 3, { labels: ['checkout'], sprint: 's7' })],
      goals: [
        {
          id: 'release',
          title: 'Release',
          team: 'payments',
          period: '2026-Q4',
          links: [
            { kind: 'milestone', ref: 'Sprint 7' },
            { kind: 'project', ref: 'acme/api' },
          ],
        },
        { id: 'org', title: 'Org-wide', period: '2026-Q4', links: [{ kind: 'epic', ref: 'PAY-100' }] },
      ],
    });
    const progress = await t.goals.progress({ period: '2026-Q4' });
    const work = Object.fromEntries(progress.goals.map((g) => [g.goal.id, g.work]));
    expect(work.release).toEqual({ done: { count: 1, points: 3 }, inProgress: { count: 0, points: 0 }, left: { count: 0, points: 0 } });
    expect(work.org).toEqual(work.fraud);
    const prs = Object.fromEntries(progress.allocation.mergedPullRequests.shares.map((s) => [s.goal, s.count]));
    expect(prs).toEqual({ checkout: 6, fraud: 3, org: 3, release: 14, unlinked: 0 });
    const points = Object.fromEntries(progress.allocation.donePoints.shares.map((s) => [s.goal, [s.count, s.points]]));
    expect(points).toEqual({ checkout: [2, 11], fraud: [1, 5], org: [1, 5], release: [1, 3], unlinked: [1, 4] });
    const explained = await t.goals.progress({ period: '2026-Q4', explain: true });
    expect(JSON.parse(JSON.stringify(explained, (key, v) => (key === 'rows' ? undefined : v)))).toEqual(progress);
    expect(explained.allocation.donePoints.shares.at(-1)!.rows!.map((r) => r.key)).toEqual(['PAY-120']);
  });

  it("counts a team's goal over its team's work only, however it is asked for", async () => {
    const t = await open();
    await t.import({
      format: 'teamstate.bundle/v1',
      teams: [{ id: 'growth', name: 'Growth' }],
      repositories: [{ id: 'acme/web', team: 'growth' }],
      workItems: [
        { ...issue('GRO-1', 'done', 13, { labels: ['checkout'] }), team: 'growth' },
        { ...pr(90, '2026-10-20T12:00:00Z', ['checkout']), key: 'acme/web#90', repository: 'acme/web', team: 'growth' },
      ],
    });
    const own = (await t.goals.progress('checkout')).goals[0]!;
    const everyone = await t.goals.progress({ period: '2026-Q4' });
    expect(everyone.goals.find((g) => g.goal.id === 'checkout')).toEqual(own);
    expect(own.work.done).toEqual({ count: 2, points: 11 });
    const shares = Object.fromEntries(everyone.allocation.mergedPullRequests.shares.map((s) => [s.goal, s.count]));
    expect(shares).toEqual({ checkout: 6, fraud: 3, unlinked: 6 });
    expect(everyone.allocation.donePoints.shares.find((s) => s.goal === 'unlinked')).toMatchObject({ count: 2, points: 17 });
  });

  it("counts a goal's linked work done, in progress and left, and measures key results", async () => {
    const t = await open();
    const progress = await t.goals.progress('fraud', { explain: true });
    expect(progress.goals).toHaveLength(1);
    const fraud = progress.goals[0]!;
    expect(fraud.work.done.rows!.map((r) => r.key)).toEqual(['PAY-101']);
    expect(fraud.work.inProgress.rows!.map((r) => r.key)).toEqual(['PAY-102']);
    expect(fraud.work.left).toEqual({ count: 1, points: 2, rows: [{ id: 'PAY-103', key: 'PAY-103', title: 'Story PAY-103' }] });

    const checkout = (await t.goals.progress({ team: 'payments', period: '2026-Q4' })).goals.find((g) => g.goal.id === 'checkout')!;
    const [metric, manual] = checkout.keyResults;
    const expected = await t.metrics.compute(['throughput'], { from: '2026-10-01T00:00:00Z', to: NOW.toISOString(), team: 'payments' });
    expect(metric!.metric!.value).toBe(expected.throughput!.value);
    expect(metric!.metric!.met).toBe((expected.throughput!.value ?? 0) >= 10);
    expect(manual!.progress).toBe(0.5);
  });

  it('adds a goal, round-trips it through export, and refuses bad input naming the field', async () => {
    const t = await open();
    await t.goals.add({ id: 'speed', title: 'Speed', team: 'payments', period: '2026-Q4', links: [{ kind: 'project', ref: 'PAY' }] });
    expect((await t.goals.list({ team: 'payments' })).map((g) => g.id)).toEqual(['checkout', 'fraud', 'speed']);
    const exported = await t.export();
    expect(exported.goals.map((g) => g.id)).toEqual(['checkout', 'fraud', 'speed']);
    await expect(t.goals.add({ id: 'x', title: 'X', team: 'paymnets', period: '2026-Q4' })).rejects.toThrow(
      /^team: unknown team "paymnets"/,
    );
    await expect(t.goals.add({ id: 'x', title: 'X', period: 'Q4' })).rejects.toThrow(/period: expected a period such as 2026-Q4/);
    await expect(t.goals.add({ id: 'x', title: 'X', period: '2026-Q4', parent: 'nope' })).rejects.toThrow(/^parent: unknown goal "nope"/);
    await expect(t.goals.progress('nope')).rejects.toThrow(/^id: unknown goal "nope"/);
    await expect(t.goals.progress({ team: 'nope' })).rejects.toThrow(/^team: unknown team "nope"/);
    await expect(t.goals.progress({ team: 'payments', period: 'Q4' })).rejects.toThrow(/^period: expected a period such as 2026-Q4/);
    expect((await t.goals.list()).map((g) => g.id)).toEqual(['checkout', 'fraud', 'speed']);
  });

  it('stores goals declared in configuration', async () => {
    ts = await createTeamState({
      database: ':memory:',
      clock: () => NOW,
      goals: [{ id: 'org', title: 'Org goal', period: '2026-Q4', links: [{ kind: 'label', ref: 'checkout' }] }],
    });
    expect((await ts.goals.get('org'))?.title).toBe('Org goal');
  });
});
