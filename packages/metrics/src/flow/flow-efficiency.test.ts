import { describe, expect, it } from 'vitest';
import { at, issue, MARCH, metric, open, transition } from '../../test/fixtures.js';

const to = (time: string, from: string | null, status: string, fromCategory: string | null, category: string) =>
  transition(time, from, status, fromCategory, category);

describe('flow_efficiency', () => {
  it('is null when no resolved issue ever was in progress', async () => {
    const ts = await open({
      workItems: [issue(1, { createdAt: at(1), resolvedAt: at(2), transitions: [to(at(2), 'To Do', 'Done', 'todo', 'done')] })],
    });
    expect(await metric(ts, 'flow_efficiency')).toMatchObject({ value: null, count: 0, unit: 'ratio' });
    expect((await ts.metrics.explain('flow_efficiency', MARCH)).warnings).toEqual([
      expect.stringMatching(/never entered an in-progress status.*: PAY-1$/),
    ]);
  });

  it('divides time in working in-progress statuses by the time from the first in-progress transition to resolution', async () => {
    const ts = await open({
      workItems: [
        // in progress 00–05 h, to do 05–10 h, BLOCKED (waiting, case-insensitive) 10–20 h, in review 20–30 h: 15 / 30
        issue(1, {
          createdAt: at(1),
          resolvedAt: at(2, 30),
          transitions: [
            to(at(2, 0), 'To Do', 'In Progress', 'todo', 'in_progress'),
            to(at(2, 10), 'In Progress', 'BLOCKED', 'in_progress', 'in_progress'),
            to(at(2, 5), null, 'To Do', null, 'todo'), // out of order in the list: sorted by time
            to(at(2, 20), 'BLOCKED', 'In Review', 'in_progress', 'in_progress'),
            to(at(2, 30), 'In Review', 'Done', 'in_progress', 'done'),
            to(at(4), 'Done', 'In Progress', 'done', 'in_progress'), // after resolution: clipped
          ],
        }),
        // active 5 h, waiting 5 h, back to to-do 10 h, active 10 h: 15 / 30
        issue(2, {
          createdAt: at(1),
          resolvedAt: at(4, 30),
          transitions: [
            to(at(4, 0), 'To Do', 'In Progress', 'todo', 'in_progress'),
            to(at(4, 5), 'In Progress', 'Waiting', 'in_progress', 'in_progress'),
            to(at(4, 10), 'Waiting', 'To Do', 'in_progress', 'todo'),
            to(at(4, 20), 'To Do', 'In Progress', 'todo', 'in_progress'),
          ],
        }),
        issue(3, {
          createdAt: at(1),
          resolvedAt: '2026-04-01T00:00:00Z',
          transitions: [to(at(20), 'To Do', 'In Progress', 'todo', 'in_progress')],
        }),
        issue(4, {
          createdAt: at(1),
          resolvedAt: at(10),
          team: 'growth',
          transitions: [to(at(9), 'To Do', 'In Progress', 'todo', 'in_progress')],
        }),
      ],
    });
    const result = await metric(ts, 'flow_efficiency', { team: 'payments' });
    expect(result).toMatchObject({ count: 2, activeHours: 30, elapsedHours: 60, value: 0.5 });
    expect(await metric(ts, 'flow_efficiency')).toMatchObject({ count: 3, activeHours: 54, elapsedHours: 84, value: 54 / 84 });

    const explanation = await ts.metrics.explain('flow_efficiency', MARCH);
    expect(explanation.rows.map((row) => [row.issue, row.activeHours, row.elapsedHours, row.efficiency])).toEqual([
      ['PAY-1', 15, 30, 0.5],
      ['PAY-2', 15, 30, 0.5],
      ['PAY-4', 24, 24, 1],
    ]);
  });

  it('uses the configured waiting statuses', async () => {
    const ts = await open(
      {
        workItems: [
          issue(1, {
            createdAt: at(1),
            resolvedAt: at(2, 8),
            transitions: [
              to(at(2, 0), 'To Do', 'In Progress', 'todo', 'in_progress'),
              to(at(2, 2), 'In Progress', 'Blocked', 'in_progress', 'in_progress'),
              to(at(2, 4), 'Blocked', 'Awaiting QA', 'in_progress', 'in_progress'),
            ],
          }),
        ],
      },
      { waitingStatuses: ['awaiting qa'] },
    );
    expect(await metric(ts, 'flow_efficiency')).toMatchObject({ value: 0.5, activeHours: 4, elapsedHours: 8 });
  });
});
