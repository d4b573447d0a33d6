import { createTeamState, type SignalDetector, type SignalSettings } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import {
  deployFailed,
  incidentOpen,
  itemAging,
  itemBlocked,
  itemOverdue,
  prAwaitingReview,
  prChangesRequestedIdle,
  prLarge,
  prStale,
  reviewLoadImbalance,
  sprintAtRisk,
  wipOverLimit,
} from '../src/signals/index.js';

const base = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments' }],
  people: ['ana', 'ben', 'cy', 'dee'].map((id) => ({ id, name: id.toUpperCase(), teams: ['pay'] })),
  repositories: [{ id: 'acme/api', team: 'pay' }],
} as const;

const pr = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  source: 'github',
  kind: 'pull_request',
  key: `acme/api#${id}`,
  title: `PR ${id}`,
  state: 'open',
  repository: 'acme/api',
  author: 'ana',
  createdAt: '2026-11-16T09:00:00Z', // a Monday
  ...fields,
});
const issue = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  source: 'jira',
  kind: 'story',
  key: id,
  title: `Issue ${id}`,
  state: 'In Progress',
  statusCategory: 'in_progress',
  team: 'pay',
  assignees: ['ben'],
  createdAt: '2026-11-10T09:00:00Z',
  ...fields,
});

/** Open signals of one detector over a bundle at an instant (a fresh database each call). */
async function detect(detector: SignalDetector, data: Record<string, unknown>, now: string, settings?: SignalSettings) {
  const ts = await createTeamState({ database: ':memory:', signals: [detector], signalSettings: settings, clock: () => new Date(now) });
  await ts.import({ ...base, ...data });
  await ts.signals.refresh();
  const found = await ts.signals.list();
  await ts.close();
  return found;
}

describe('pr.awaiting_review', () => {
  it('fires after more than 24 working hours without a non-author review', async () => {
    const data = { workItems: [pr('1', { reviews: [{ reviewer: 'ana', state: 'commented', submittedAt: '2026-11-16T10:00:00Z' }] })] };
    expect(await detect(prAwaitingReview, data, '2026-11-19T09:00:00Z')).toHaveLength(0); // exactly 24 working hours
    const [signal] = await detect(prAwaitingReview, data, '2026-11-19T09:01:00Z');
    expect(signal).toMatchObject({
      severity: 'warning',
      team: 'pay',
      subject: { type: 'work_item', id: '1' },
      title: 'acme/api#1 has waited 3 working days for a first review',
    });
    expect(signal!.evidence).toMatchObject({ workingHoursWaiting: 24, thresholdWorkingHours: 24 });
  });

  it('does not count weekends, counts from ready, skips drafts and reviewed PRs', async () => {
    const friday = { workItems: [pr('2', { createdAt: '2026-11-13T09:00:00Z' })] };
    expect(await detect(prAwaitingReview, friday, '2026-11-17T17:00:00Z')).toHaveLength(0); // Fri 8 + Mon 8 + Tue 8 = 24
    expect(await detect(prAwaitingReview, friday, '2026-11-18T09:30:00Z')).toHaveLength(1);
    const ready = { workItems: [pr('3', { createdAt: '2026-11-09T09:00:00Z', readyAt: '2026-11-16T09:00:00Z' })] };
    expect(await detect(prAwaitingReview, ready, '2026-11-18T17:00:00Z')).toHaveLength(0);
    expect(
      await detect(prAwaitingReview, { workItems: [pr('4', { draft: true, createdAt: '2026-11-02T09:00:00Z' })] }, '2026-11-19T12:00:00Z'),
    ).toHaveLength(0);
    const reviewed = { workItems: [pr('5', { reviews: [{ reviewer: 'ben', state: 'commented', submittedAt: '2026-11-16T10:00:00Z' }] })] };
    expect(await detect(prAwaitingReview, reviewed, '2026-11-20T12:00:00Z')).toHaveLength(0);
  });

  it('uses a team threshold and turns critical at twice the threshold', async () => {
    const data = { workItems: [pr('1')] };
    expect(
      await detect(prAwaitingReview, data, '2026-11-17T12:00:00Z', { teams: { pay: { 'pr.awaiting_review': { hours: 8 } } } }),
    ).toMatchObject([{ severity: 'warning' }]);
    expect(await detect(prAwaitingReview, data, '2026-11-26T12:00:00Z')).toMatchObject([{ severity: 'critical' }]);
  });
});

describe('pr.stale', () => {
  it('fires after more than 7 days without an update or review', async () => {
    const data = {
      workItems: [
        pr('1', {
          updatedAt: '2026-11-16T09:00:00Z',
          reviews: [{ reviewer: 'ben', state: 'commented', submittedAt: '2026-11-17T09:00:00Z' }],
        }),
      ],
    };
    expect(await detect(prStale, data, '2026-11-24T09:00:00Z')).toHaveLength(0);
    expect(await detect(prStale, data, '2026-11-24T09:01:00Z')).toMatchObject([{ title: 'acme/api#1 has had no activity for 7 days' }]);
    expect(
      await detect(prStale, { workItems: [pr('2', { state: 'merged', mergedAt: '2026-11-16T12:00:00Z' })] }, '2026-12-24T09:01:00Z'),
    ).toHaveLength(0);
  });
});

describe('pr.large', () => {
  it('fires above 400 changed lines, warning above 1,000', async () => {
    expect(await detect(prLarge, { workItems: [pr('1', { additions: 300, deletions: 100 })] }, '2026-11-17T00:00:00Z')).toHaveLength(0);
    expect(await detect(prLarge, { workItems: [pr('1', { additions: 301, deletions: 100 })] }, '2026-11-17T00:00:00Z')).toMatchObject([
      { severity: 'info' },
    ]);
    expect(await detect(prLarge, { workItems: [pr('1', { additions: 1001, deletions: 0 })] }, '2026-11-17T00:00:00Z')).toMatchObject([
      { severity: 'warning' },
    ]);
  });
});

describe('pr.changes_requested_idle', () => {
  const requested = [{ reviewer: 'ben', state: 'changes_requested', submittedAt: '2026-11-16T09:00:00Z' }];
  it('fires 24 working hours after changes were requested with no update since', async () => {
    const data = { workItems: [pr('1', { updatedAt: '2026-11-16T09:00:00Z', reviews: requested })] };
    expect(await detect(prChangesRequestedIdle, data, '2026-11-19T09:00:00Z')).toHaveLength(0);
    expect(await detect(prChangesRequestedIdle, data, '2026-11-19T09:01:00Z')).toMatchObject([
      { severity: 'warning', evidence: { reviewer: 'ben' } },
    ]);
  });
  it('does not fire once the author pushed or a later review approved', async () => {
    expect(
      await detect(
        prChangesRequestedIdle,
        { workItems: [pr('1', { updatedAt: '2026-11-17T09:00:00Z', reviews: requested })] },
        '2026-11-25T09:00:00Z',
      ),
    ).toHaveLength(0);
    const approved = [...requested, { reviewer: 'cy', state: 'approved', submittedAt: '2026-11-16T10:00:00Z' }];
    expect(
      await detect(
        prChangesRequestedIdle,
        { workItems: [pr('1', { updatedAt: '2026-11-16T10:00:00Z', reviews: approved })] },
        '2026-11-25T09:00:00Z',
      ),
    ).toHaveLength(0);
  });
  it('reads the latest review by someone else: the author’s own later comment answers nothing, a merged PR is done', async () => {
    const reviews = [
      { reviewer: 'cy', state: 'approved', submittedAt: '2026-11-13T09:00:00Z' },
      ...requested,
      { reviewer: 'ana', state: 'commented', submittedAt: '2026-11-16T09:00:30Z' },
    ];
    expect(
      await detect(
        prChangesRequestedIdle,
        {
          workItems: [
            pr('1', { updatedAt: '2026-11-16T09:00:30Z', reviews }),
            pr('2', { state: 'merged', updatedAt: '2026-11-16T09:00:00Z', reviews: requested }),
          ],
        },
        '2026-11-25T09:00:00Z',
      ),
    ).toMatchObject([{ subject: { id: '1' }, evidence: { reviewer: 'ben' } }]);
  });
});

describe('item.blocked', () => {
  const blocked = issue('PAY-1', {
    state: 'Blocked',
    transitions: [
      { at: '2026-11-12T09:00:00Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' },
      { at: '2026-11-16T09:00:00Z', from: 'In Progress', to: 'Blocked', fromCategory: 'in_progress', toCategory: 'in_progress' },
    ],
  });
  it('fires after more than 2 days in Blocked, critical after 4', async () => {
    expect(await detect(itemBlocked, { workItems: [blocked] }, '2026-11-18T09:00:00Z')).toHaveLength(0);
    expect(await detect(itemBlocked, { workItems: [blocked] }, '2026-11-18T09:01:00Z')).toMatchObject([
      { severity: 'warning', title: 'PAY-1 has been Blocked for 2 days', evidence: { assignees: ['ben'] } },
    ]);
    expect(await detect(itemBlocked, { workItems: [blocked] }, '2026-11-20T09:01:00Z')).toMatchObject([{ severity: 'critical' }]);
  });
  it('counts flagged items from their last update and resolves when work resumes', async () => {
    const flagged = issue('PAY-2', { flagged: true, updatedAt: '2026-11-16T09:00:00Z' });
    expect(await detect(itemBlocked, { workItems: [flagged] }, '2026-11-19T09:00:00Z')).toMatchObject([
      { title: 'PAY-2 has been flagged for 3 days' },
    ]);
    const now = new Date('2026-11-19T09:00:00Z');
    const ts = await createTeamState({ database: ':memory:', signals: [itemBlocked], clock: () => now });
    await ts.import({ ...base, workItems: [blocked] });
    await ts.signals.refresh();
    await ts.import({ ...base, workItems: [{ ...blocked, state: 'In Progress' }] });
    expect(await ts.signals.refresh()).toMatchObject({ open: 0, resolved: 1 });
    await ts.close();
  });
});

describe('item.overdue', () => {
  it('fires once the due date has passed on an item not done', async () => {
    const due = issue('PAY-3', { dueAt: '2026-11-16T00:00:00Z', state: 'To Do', statusCategory: 'todo' });
    expect(await detect(itemOverdue, { workItems: [due] }, '2026-11-16T00:00:00Z')).toHaveLength(0);
    expect(await detect(itemOverdue, { workItems: [due] }, '2026-11-16T00:00:01Z')).toMatchObject([{ severity: 'warning' }]);
    expect(await detect(itemOverdue, { workItems: [due] }, '2026-11-24T00:00:00Z')).toMatchObject([{ severity: 'critical' }]);
    expect(
      await detect(
        itemOverdue,
        { workItems: [{ ...due, state: 'Done', statusCategory: 'done', resolvedAt: '2026-11-17T00:00:00Z' }] },
        '2026-11-24T00:00:00Z',
      ),
    ).toHaveLength(0);
  });
});

describe('wip.over_limit', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => issue(`PAY-${10 + i}`));
  it('fires above 5 items in progress, counting open PRs authored', async () => {
    expect(await detect(wipOverLimit, { workItems: items(5) }, '2026-11-20T00:00:00Z')).toHaveLength(0);
    expect(await detect(wipOverLimit, { workItems: items(6) }, '2026-11-20T00:00:00Z')).toMatchObject([
      { subject: { type: 'person', id: 'ben' }, title: 'BEN has 6 items in progress (limit 5)' },
    ]);
    const withPr = [...items(5), pr('9', { author: 'ben' })];
    expect(await detect(wipOverLimit, { workItems: withPr }, '2026-11-20T00:00:00Z')).toHaveLength(1);
    expect(
      await detect(wipOverLimit, { workItems: items(6) }, '2026-11-20T00:00:00Z', { teams: { pay: { 'wip.over_limit': { limit: 6 } } } }),
    ).toHaveLength(0);
  });
  it("compares each person with their team's limit, a lower one than the default included", async () => {
    expect(
      await detect(wipOverLimit, { workItems: items(4) }, '2026-11-20T00:00:00Z', { teams: { pay: { 'wip.over_limit': { limit: 3 } } } }),
    ).toMatchObject([{ subject: { type: 'person', id: 'ben' }, title: 'BEN has 4 items in progress (limit 3)' }]);
  });
  it('counts a key once, compares someone in several teams with their first team, and lists every key whole', async () => {
    // Two issues in progress under one key are one item: 5 keys are not above 5.
    expect(await detect(wipOverLimit, { workItems: [...items(5), issue('PAY-10b', { key: 'PAY-10' })] }, '2026-11-20T00:00:00Z')).toEqual(
      [],
    );
    // Ben is in ops and pay: ops (the first by id) has a limit of 2, the lowest of any team.
    const data = {
      teams: [...base.teams, { id: 'ops', name: 'Ops' }],
      people: base.people.map((p) => (p.id === 'ben' ? { ...p, teams: ['pay', 'ops'] } : p)),
      workItems: [...items(3), issue('PAY-20', { key: 'PAY, 20', assignees: ['ben', 'cy'] }), issue('PAY-21', { assignees: ['cy'] })],
    };
    const found = await detect(wipOverLimit, data, '2026-11-20T00:00:00Z', { teams: { ops: { 'wip.over_limit': { limit: 2 } } } });
    expect(found).toMatchObject([
      {
        subject: { id: 'ben' },
        team: 'ops',
        title: 'BEN has 4 items in progress (limit 2)',
        evidence: { count: 4, limit: 2, items: ['PAY, 20', 'PAY-10', 'PAY-11', 'PAY-12'] },
      },
    ]);
  });
});

describe('review.load_imbalance', () => {
  const reviewsBy = (counts: Record<string, number>) => {
    const reviews = Object.entries(counts).flatMap(([reviewer, n]) =>
      Array.from({ length: n }, () => ({ reviewer, state: 'approved', submittedAt: '2026-11-18T10:00:00Z' })),
    );
    return { workItems: reviews.map((review, i) => pr(`r${i}`, { author: 'dee', reviews: [review] })) };
  };
  it('fires when one reviewer did more than 40% of 10 or more recent reviews', async () => {
    expect(await detect(reviewLoadImbalance, reviewsBy({ ana: 4, ben: 3, cy: 3 }), '2026-11-20T00:00:00Z')).toHaveLength(0);
    expect(await detect(reviewLoadImbalance, reviewsBy({ ana: 5, ben: 3, cy: 2 }), '2026-11-20T00:00:00Z')).toMatchObject([
      { subject: { id: 'ana' }, title: "ANA did 50% of pay's reviews in the last 14 days (5 of 10)" },
    ]);
    expect(await detect(reviewLoadImbalance, reviewsBy({ ana: 5, ben: 2, cy: 1 }), '2026-11-20T00:00:00Z')).toHaveLength(0);
    expect(await detect(reviewLoadImbalance, reviewsBy({ ana: 5, ben: 3, cy: 2 }), '2026-12-03T00:00:00Z')).toHaveLength(0);
  });
  it("counts each team's reviews over its own window when its settings give another one than the default", async () => {
    // The reviews were submitted 2026-11-18: 15 days before 12-03 (outside 14 days, inside 30), 9 before 11-27.
    const reviews = reviewsBy({ ana: 5, ben: 3, cy: 2 });
    const month = { teams: { pay: { 'review.load_imbalance': { days: 30 } } } };
    expect(await detect(reviewLoadImbalance, reviews, '2026-12-03T00:00:00Z', month)).toMatchObject([
      { subject: { id: 'ana' }, team: 'pay', title: "ANA did 50% of pay's reviews in the last 30 days (5 of 10)" },
    ]);
    const week = { thresholds: { 'review.load_imbalance': { days: 30 } }, teams: { pay: { 'review.load_imbalance': { days: 7 } } } };
    expect(await detect(reviewLoadImbalance, reviews, '2026-11-27T00:00:00Z', week)).toHaveLength(0);
    expect(await detect(reviewLoadImbalance, reviews, '2026-11-24T00:00:00Z', week)).toMatchObject([
      { title: "ANA did 50% of pay's reviews in the last 7 days (5 of 10)" },
    ]);
  });
  it("counts a review under its item's own team, else its repository's, as they are when it runs", async () => {
    const ts = await createTeamState({
      database: ':memory:',
      signals: [reviewLoadImbalance],
      clock: () => new Date('2026-11-20T00:00:00Z'),
    });
    const teams = [...base.teams, { id: 'core', name: 'Core' }];
    const repositories = (api: string) => [
      { id: 'acme/api', team: api },
      { id: 'acme/web', team: 'core' },
    ];
    const { workItems } = reviewsBy({ ana: 10, ben: 5, cy: 5 });
    const teamsOf = async () => {
      await ts.signals.refresh();
      const found = await ts.signals.list();
      return found.map((signal) => [signal.team, signal.subject.id, signal.evidence.teamReviews]).sort();
    };
    await ts.import({ ...base, teams, repositories: repositories('pay'), workItems });
    expect(await teamsOf()).toEqual([['pay', 'ana', 20]]);
    // Ten items get a team of their own, core: their reviews (ana 6, ben 4) are core's; the rest (ana 4, ben 1, cy 5) pay's.
    const hasOwnTeam = (i: number) => i < 6 || (i >= 10 && i < 14);
    const own = workItems.map((item, i) => (hasOwnTeam(i) ? { ...item, team: 'core' } : item));
    await ts.import({ ...base, teams, repositories: repositories('pay'), workItems: own });
    expect(await teamsOf()).toEqual([
      ['core', 'ana', 10],
      ['pay', 'cy', 10],
    ]);
    // The repository moves to core: the items without a team of their own go with it.
    await ts.import({ ...base, teams, repositories: repositories('core') });
    expect(await teamsOf()).toEqual([['core', 'ana', 20]]);
    // Back to pay, and the items without a team of their own moved to a repository of core's: core's still.
    const moved = own.map((item, i) => (hasOwnTeam(i) ? item : { ...item, repository: 'acme/web' }));
    await ts.import({ ...base, teams, repositories: repositories('pay'), workItems: moved });
    expect(await teamsOf()).toEqual([['core', 'ana', 20]]);
    await ts.close();
  });
});

describe('sprint.at_risk', () => {
  const sprint = (done: number) => ({
    sprints: [
      {
        id: 's1',
        name: 'Sprint 1',
        team: 'pay',
        state: 'active',
        startAt: '2026-11-10T00:00:00Z',
        endAt: '2026-11-20T00:00:00Z',
        committedItems: ['PAY-1', 'PAY-2'],
      },
    ],
    workItems: [
      issue('PAY-1', { storyPoints: done, sprint: 's1', state: 'Done', statusCategory: 'done', resolvedAt: '2026-11-12T00:00:00Z' }),
      issue('PAY-2', { storyPoints: 20 - done, sprint: 's1' }),
    ],
  });
  it('compares the burn so far, extended to the end, with the committed points', async () => {
    expect(await detect(sprintAtRisk, sprint(9), '2026-11-15T00:00:00Z')).toHaveLength(0); // projected 18 = 90%
    expect(await detect(sprintAtRisk, sprint(8), '2026-11-15T00:00:00Z')).toMatchObject([
      { severity: 'warning', evidence: { projectedPoints: 16 } },
    ]);
    expect(await detect(sprintAtRisk, sprint(4), '2026-11-15T00:00:00Z')).toMatchObject([{ severity: 'critical' }]);
    expect(await detect(sprintAtRisk, sprint(0.1), '2026-11-11T00:00:00Z')).toHaveLength(0); // too early to tell
  });
});

describe('deploy.failed', () => {
  const deploy = (id: string, status: string, finishedAt: string, environment = 'production') => ({
    id,
    repository: 'acme/api',
    environment,
    status,
    finishedAt,
  });
  it('fires while the latest production deployment of a repository is a failure', async () => {
    const failed = {
      deployments: [
        deploy('d1', 'success', '2026-11-16T10:00:00Z'),
        deploy('d2', 'failure', '2026-11-17T10:00:00Z'),
        deploy('d3', 'failure', '2026-11-18T10:00:00Z', 'staging'),
      ],
    };
    expect(await detect(deployFailed, failed, '2026-11-18T12:00:00Z')).toMatchObject([
      { severity: 'critical', subject: { type: 'deployment', id: 'd2' }, team: 'pay' },
    ]);
    const fixed = { deployments: [...failed.deployments, deploy('d4', 'success', '2026-11-18T11:00:00Z')] };
    expect(await detect(deployFailed, fixed, '2026-11-18T12:00:00Z')).toHaveLength(0);
  });
});

describe('incident.open', () => {
  it('fires for unresolved incidents, critical for sev1', async () => {
    const data = {
      incidents: [
        { id: 'i1', title: 'Checkout down', severity: 'sev1', createdAt: '2026-11-18T10:00:00Z', repository: 'acme/api' },
        { id: 'i2', title: 'Slow search', severity: 'sev3', createdAt: '2026-11-18T10:00:00Z' },
        { id: 'i3', title: 'Over', createdAt: '2026-11-17T10:00:00Z', resolvedAt: '2026-11-17T12:00:00Z' },
      ],
    };
    expect(await detect(incidentOpen, data, '2026-11-18T12:00:00Z')).toMatchObject([
      { severity: 'critical', subject: { id: 'i1' }, team: 'pay', title: 'Incident i1 (sev1) "Checkout down" has been open for 2 hours' },
      { severity: 'warning', subject: { id: 'i2' } },
    ]);
  });
});

describe('item.aging', () => {
  // Five issues that each took 10 hours from In Progress to Done (p85 = 10 h), and one still in progress.
  const done = (i: number) =>
    issue(`PAY-${20 + i}`, {
      state: 'Done',
      statusCategory: 'done',
      resolvedAt: `2026-11-0${i + 2}T19:00:00Z`,
      transitions: [
        { at: `2026-11-0${i + 2}T09:00:00Z`, from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' },
      ],
    });
  const open = issue('PAY-30', {
    transitions: [{ at: '2026-11-16T09:00:00Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' }],
  });
  const data = { workItems: [...[0, 1, 2, 3, 4].map(done), open] };

  it("fires beyond twice the team's p85 cycle time", async () => {
    expect(await detect(itemAging, data, '2026-11-17T05:00:00Z')).toHaveLength(0); // exactly 20 h = 2 × p85
    expect(await detect(itemAging, data, '2026-11-17T05:01:00Z')).toMatchObject([
      { subject: { id: 'PAY-30' }, team: 'pay', evidence: { teamP85Hours: 10, samples: 5 } },
    ]);
  });

  it('stays quiet with too few samples to know what is usual', async () => {
    expect(await detect(itemAging, { workItems: [done(0), done(1), open] }, '2026-11-30T00:00:00Z')).toHaveLength(0);
  });

  it("reads each team's p85 over its own window when its settings give another one than the default", async () => {
    // The five samples were resolved 2026-11-02 to 11-06: inside a 90-day window at 11-17, outside a 5-day one.
    const now = '2026-11-17T05:01:00Z';
    const firing = [{ subject: { id: 'PAY-30' }, team: 'pay', evidence: { teamP85Hours: 10, samples: 5 } }];
    expect(await detect(itemAging, data, now, { teams: { pay: { 'item.aging': { days: 5 } } } })).toHaveLength(0);
    expect(await detect(itemAging, data, now, { thresholds: { 'item.aging': { days: 5 } } })).toHaveLength(0);
    expect(
      await detect(itemAging, data, now, { thresholds: { 'item.aging': { days: 5 } }, teams: { pay: { 'item.aging': { days: 90 } } } }),
    ).toMatchObject(firing);
  });

  it('interpolates the p85 between ranks (numpy default), from cycle times in any order', async () => {
    // Cycle hours 21, 1, 13, 3, 8, 2, 5: sorted, rank (7 - 1) × 0.85 = 5.1 lies between 13 and 21: p85 = 13.8 hours.
    const items = [21, 1, 13, 3, 8, 2, 5].map((hours, i) => {
      const start = Date.parse(`2026-11-0${i + 2}T00:00:00Z`);
      return issue(`PAY-${40 + i}`, {
        state: 'Done',
        statusCategory: 'done',
        resolvedAt: new Date(start + hours * 3_600_000).toISOString(),
        transitions: [
          { at: new Date(start).toISOString(), from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress' },
        ],
      });
    });
    // PAY-30 started 2026-11-16T09:00Z: 2 × 13.8 = 27.6 hours later is 2026-11-17T12:36Z (a minute either side).
    expect(await detect(itemAging, { workItems: [...items, open] }, '2026-11-17T12:35:00Z')).toHaveLength(0);
    expect(await detect(itemAging, { workItems: [...items, open] }, '2026-11-17T12:37:00Z')).toMatchObject([
      { subject: { id: 'PAY-30' }, evidence: { teamP85Hours: 13.8, samples: 7 } },
    ]);
  });
});
