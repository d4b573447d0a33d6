import { describe, expect, it } from 'vitest';
import { at, issue, MARCH, metric, open, sprint, transition } from './fixtures.js';

const sprints = [
  sprint('s1', { startAt: at(2), endAt: at(16), completedAt: at(16, 10), committedItems: ['PAY-1', 'PAY-2', 'PAY-3'] }),
  sprint('s2', { startAt: at(16), endAt: at(30), completedAt: '2026-03-30T12:00:00+02:00', committedItems: ['PAY-6'] }),
  sprint('active', { startAt: at(30), endAt: '2026-04-13T00:00:00Z', state: 'active', committedItems: ['PAY-9'] }),
  sprint('before', {
    startAt: '2026-02-01T00:00:00Z',
    endAt: '2026-02-15T00:00:00Z',
    completedAt: '2026-02-15T00:00:00Z',
    committedItems: ['PAY-9'],
  }),
  sprint('growth', { team: 'growth', startAt: at(2), endAt: at(16), completedAt: at(16), committedItems: ['GRO-1'] }),
];

const workItems = [
  issue(1, { createdAt: at(1), storyPoints: 3, sprint: 's1', resolvedAt: at(10), assignees: ['ben'] }), // done
  issue(2, { createdAt: at(1), storyPoints: 5, sprint: 's2', resolvedAt: at(20) }), // committed to s1, carried over to s2 and done there
  issue(3, { createdAt: at(1), storyPoints: 2, sprint: 's1' }), // never done
  issue(4, { createdAt: at(5), storyPoints: 1, sprint: 's1', resolvedAt: at(16, 10) }), // added mid-sprint, done exactly at completedAt
  issue(5, { createdAt: at(5), sprint: 's1', resolvedAt: at(12) }), // added mid-sprint without points
  issue(6, {
    createdAt: at(1),
    storyPoints: 8,
    sprint: 's2',
    // no resolvedAt: done by its status as of completedAt
    transitions: [transition(at(20), 'To Do', 'Done', 'todo', 'done')],
  }),
  issue(7, { createdAt: at(20), storyPoints: 13, sprint: 's2', resolvedAt: at(30, 11) }), // added, done after completedAt (10:00Z)
  issue(9, { createdAt: at(1), storyPoints: 40, resolvedAt: at(3) }),
  { ...issue(1, { createdAt: at(1), storyPoints: 21, resolvedAt: at(3) }), id: 'GRO-1', key: 'GRO-1', team: 'growth' },
];

describe('sprint_completion and velocity', () => {
  it('are null without closed sprints completed in the window', async () => {
    const ts = await open({ workItems, sprints });
    // s1 completes on the 16th, s2 on the 30th: none in [17th, 30th)
    const between = { from: at(17), to: at(30) };
    expect(await metric(ts, 'sprint_completion', between)).toEqual({
      value: null,
      unit: 'ratio',
      completedPoints: 0,
      committedPoints: 0,
      sprints: 0,
    });
    expect(await metric(ts, 'velocity', between)).toEqual({ value: null, unit: 'points', completedPoints: 0, sprints: 0 });
  });

  it('divide points done by completedAt (with items added mid-sprint) by committed points', async () => {
    const ts = await open({ workItems, sprints });
    // s1: committed 3 + 5 + 2 = 10; done 3 (PAY-1) + 1 (PAY-4) + 0 (PAY-5) = 4
    // s2: committed 8; done 8 (PAY-6) + 5 (PAY-2, carried over from s1) = 13; PAY-7 finished after completion
    expect(await metric(ts, 'sprint_completion', { team: 'payments' })).toEqual({
      value: 17 / 18,
      unit: 'ratio',
      completedPoints: 17,
      committedPoints: 18,
      sprints: 2,
    });
    expect(await metric(ts, 'velocity', { team: 'payments' })).toEqual({ value: 8.5, unit: 'points', completedPoints: 17, sprints: 2 });
    expect(await metric(ts, 'velocity')).toMatchObject({ value: 38 / 3, sprints: 3 });
    expect(await metric(ts, 'sprint_completion', { team: 'payments', person: 'ben' })).toMatchObject({
      completedPoints: 3,
      committedPoints: 3,
    });

    const explanation = await ts.metrics.explain('sprint_completion', { ...MARCH, team: 'payments' });
    expect(explanation.rows).toEqual([
      { sprint: 's1', name: 's1', completedAt: at(16, 10), committedPoints: 10, completedPoints: 4, addedItemsDone: 2 },
      { sprint: 's2', name: 's2', completedAt: at(30, 10), committedPoints: 8, completedPoints: 13, addedItemsDone: 1 },
    ]);
    expect(explanation.warnings).toEqual([expect.stringMatching(/^1 sprint item\(s\) have no story points and count as 0: PAY-5$/)]);
  });
});
