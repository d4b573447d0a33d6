import { describe, expect, it } from 'vitest';
import { at, issue, MARCH, metric, open, pullRequest, transition } from './fixtures.js';

const inProgress = (time: string, from = 'To Do') => transition(time, from, 'In Progress', 'todo', 'in_progress');
const done = (time: string) => transition(time, 'In Progress', 'Done', 'in_progress', 'done');

/** Work items around the instant `to` = 2026-04-01T00:00Z. */
const workItems = [
  pullRequest(1, { createdAt: at(20) }), // open: counts, age 12 days
  pullRequest(2, { createdAt: at(25), draft: true }), // draft: not counted
  pullRequest(3, { createdAt: at(10), mergedAt: at(30) }), // merged before to
  pullRequest(4, { createdAt: at(30), mergedAt: MARCH.to }), // merged at to: still open before it, counts (age 2 days)
  pullRequest(5, { createdAt: at(15), closedAt: at(16) }), // closed unmerged before to
  pullRequest(6, { createdAt: MARCH.to }), // created at to: not yet
  pullRequest(7, { createdAt: at(31), repository: 'acme/web', author: 'cy' }), // other team, age 1 day
  issue(1, {
    createdAt: at(1),
    transitions: [inProgress(at(5)), transition(at(8), 'In Progress', 'Blocked', 'in_progress', 'in_progress')],
  }), // age from day 5
  issue(2, { createdAt: at(1), transitions: [inProgress(at(5)), done(at(9))] }), // done before to
  issue(3, { createdAt: at(1), transitions: [inProgress(MARCH.to)] }), // moved at to: "at or before to" counts, age 0
  issue(4, { createdAt: at(1), state: 'In Progress', statusCategory: 'in_progress' }), // no transitions: not counted, warned
  issue(5, { createdAt: at(1), transitions: [inProgress(at(2)), done(at(3)), inProgress(at(10), 'Done')], assignees: ['ben'] }), // reopened: age from the first
  issue(6, { createdAt: at(1), transitions: [inProgress('2026-04-02T00:00:00Z')] }), // after to
];

describe('wip', () => {
  it('is null when nothing is in progress at to', async () => {
    const ts = await open({ workItems: [pullRequest(1, { createdAt: at(1), mergedAt: at(2) })] });
    expect(await metric(ts, 'wip')).toEqual({ value: null, unit: 'count', pullRequests: 0, issues: 0 });
  });

  it('counts open non-draft pull requests and issues in progress as of the instant to', async () => {
    const ts = await open({ workItems });
    expect(await metric(ts, 'wip')).toEqual({ value: 6, unit: 'count', pullRequests: 3, issues: 3 });
    expect(await metric(ts, 'wip', { team: 'payments' })).toMatchObject({ value: 5, pullRequests: 2, issues: 3 });
    expect(await metric(ts, 'wip', { person: 'ben' })).toMatchObject({ value: 1, issues: 1 });
    // at an earlier instant: PR 3 was still open, issue 2 done, issue 5 reopened
    expect(await metric(ts, 'wip', { from: at(1), to: at(12) })).toMatchObject({ pullRequests: 1, issues: 2 });
    // issue 2 is done at 2026-03-09T00:00Z, the transition is at or before that instant
    expect(await metric(ts, 'wip', { from: at(1), to: at(9) })).toMatchObject({ pullRequests: 0, issues: 1 });
    // A team's alike, from its issues whose spans may cover the instant: issue 5 between its two spans on day 3, issue
    // 2's span ended after day 8, issue 6 moved after day 12 and issue 4 never did.
    for (const [to, issues] of [
      [at(2, 12), 1],
      [at(3), 0],
      [at(8), 2],
      [at(9), 1],
      [at(12), 2],
      ['2026-04-03T00:00:00Z', 4],
    ] as const) {
      expect(await metric(ts, 'wip', { team: 'payments', from: at(1), to }), to).toMatchObject({ issues });
      expect(await metric(ts, 'wip', { from: at(1), to }), to).toMatchObject({ issues });
    }

    const explanation = await ts.metrics.explain('wip', MARCH);
    expect(explanation.rows.map((row) => row.key)).toEqual(['PAY-5', 'PAY-1', 'acme/api#1', 'acme/api#4', 'acme/web#7', 'PAY-3']);
    expect(explanation.warnings).toEqual([
      expect.stringMatching(/^1 open pull request\(s\) are drafts .*: acme\/api#2$/),
      expect.stringMatching(/^1 in-progress issue\(s\) have no status transitions.*: PAY-4$/),
    ]);
  });
});

describe('wip with transitions at the same instant', () => {
  it('takes the last transition by sequence at a tie, for the organisation and for a team alike', async () => {
    const ts = await open({
      workItems: [
        issue(1, { createdAt: at(1), transitions: [inProgress(at(5)), done(at(5))] }), // in and out at once: done
        issue(2, { createdAt: at(1), transitions: [inProgress(at(2)), done(at(5)), inProgress(at(5), 'Done')] }), // out and in: in progress
        issue(3, { createdAt: at(1), transitions: [inProgress(at(5)), done(MARCH.to)] }), // done at to: not in progress at to
      ],
    });
    for (const scope of [{}, { team: 'payments' }]) {
      expect(await metric(ts, 'wip', scope), JSON.stringify(scope)).toMatchObject({ value: 1, issues: 1 });
      // Just before the done transition of issue 3 it was still in progress.
      expect(await metric(ts, 'wip', { ...scope, from: at(1), to: '2026-03-31T23:59:59.999Z' })).toMatchObject({ issues: 2 });
      expect(await metric(ts, 'aging_wip', scope)).toMatchObject({ count: 1, max: 30 * 24 }); // issue 2, from its first move into progress
    }
  });
});

describe('aging_wip', () => {
  it('is null when nothing is in progress', async () => {
    expect(await metric(await open({}), 'aging_wip')).toMatchObject({ value: null, max: null, count: 0, oldest: [] });
  });

  it('ages pull requests from createdAt and issues from their first in-progress transition, at to', async () => {
    const ts = await open({ workItems });
    const result = await metric(ts, 'aging_wip');
    // ages in days: PAY-5 30, PAY-1 27, #1 12, #4 2, web#7 1, PAY-3 0 → p50 = (12 + 2) / 2 days
    expect(result).toMatchObject({ value: 7 * 24, max: 30 * 24, count: 6, unit: 'hours' });
    expect(result.oldest).toEqual([
      { key: 'PAY-5', kind: 'story', ageHours: 720 },
      { key: 'PAY-1', kind: 'story', ageHours: 648 },
      { key: 'acme/api#1', kind: 'pull_request', ageHours: 288 },
      { key: 'acme/api#4', kind: 'pull_request', ageHours: 48 },
      { key: 'acme/web#7', kind: 'pull_request', ageHours: 24 },
    ]);
    const explanation = await ts.metrics.explain('aging_wip', MARCH);
    expect(explanation.rows[0]).toEqual({ key: 'PAY-5', kind: 'story', sinceAt: at(2), ageHours: 720 });
  });
});
