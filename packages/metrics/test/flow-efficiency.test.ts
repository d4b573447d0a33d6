import { describe, expect, it } from 'vitest';
import { at, issue, MARCH, metric, open, pullRequest, transition } from './fixtures.js';

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
  it('matches waiting statuses case-insensitively whatever their case, for every issue kind and over both paths', async () => {
    const ts = await open(
      {
        workItems: [
          // in progress 0–2 h, "on hold" 2–4 h (waiting: configured "On HOLD"), "AWAITING qa" 4–6 h (waiting), Blocked
          // 6–8 h (not waiting with these settings): 4 / 8
          issue(9, {
            kind: 'bug',
            createdAt: at(1),
            resolvedAt: at(2, 8),
            transitions: [
              to(at(2, 0), 'To Do', 'In Progress', 'todo', 'in_progress'),
              to(at(2, 2), 'In Progress', 'on hold', 'in_progress', 'in_progress'),
              to(at(2, 4), 'on hold', 'AWAITING qa', 'in_progress', 'in_progress'),
              to(at(2, 6), 'AWAITING qa', 'Blocked', 'in_progress', 'in_progress'),
              to(at(2, 8), 'Blocked', 'Done', 'in_progress', 'done'),
            ],
          }),
          // resolved before PAY-9 but after it in id order; "On Hold (QA)" is not "On Hold": 6 / 6
          issue(10, {
            kind: 'task',
            createdAt: at(1),
            resolvedAt: at(1, 6),
            transitions: [
              to(at(1, 0), 'To Do', 'On Hold (QA)', 'todo', 'in_progress'),
              to(at(1, 6), 'On Hold (QA)', 'Done', 'in_progress', 'done'),
            ],
          }),
          // waiting "ON HOLD" 0–3 h of an epic still in progress at its resolution: 0 / 3
          issue(11, {
            kind: 'epic',
            createdAt: at(1),
            resolvedAt: at(3, 3),
            transitions: [to(at(3, 0), 'To Do', 'ON HOLD', 'todo', 'in_progress')],
          }),
          // a pull request with in-progress moves is in the same id index: never counted
          pullRequest(1, {
            createdAt: at(1),
            mergedAt: at(4),
            resolvedAt: at(4),
            transitions: [to(at(3, 0), 'Open', 'In Progress', 'todo', 'in_progress')],
          }),
        ],
      },
      { waitingStatuses: ['On HOLD', 'awaiting QA'] },
    );
    const expected = { count: 3, activeHours: 10, elapsedHours: 17, value: 10 / 17 };
    expect(await metric(ts, 'flow_efficiency')).toMatchObject(expected);
    expect(await metric(ts, 'flow_efficiency', { team: 'payments' })).toMatchObject(expected);
    const rows = [
      ['PAY-10', 6, 6],
      ['PAY-9', 4, 8],
      ['PAY-11', 0, 3],
    ];
    for (const query of [{}, { team: 'payments' }])
      expect(
        (await ts.metrics.explain('flow_efficiency', { ...MARCH, ...query })).rows.map((row) => [
          row.issue,
          row.activeHours,
          row.elapsedHours,
        ]),
      ).toEqual(rows);
    // What makes `COLLATE NOCASE` the same test as `lower()`: SQLite's lower() folds ASCII letters only, as NOCASE does.
    expect((await ts.store.execute("SELECT lower('ÄÉKQ') AS folded")).rows[0]!.folded).toBe('ÄÉkq');
  });

  it('is the same over the organisation (one pass) and for a team (one seek per issue): spans, window edges, reopened issues', async () => {
    const done = (time: string, from: string) => to(time, from, 'Done', 'in_progress', 'done');
    const ts = await open({
      workItems: [
        // never in progress: left out
        issue(1, { createdAt: at(1), resolvedAt: at(3), transitions: [to(at(3), 'To Do', 'Done', 'todo', 'done')] }),
        // in 0–2 h, out 2–4 h, in 4–6 h, Blocked 6–8 h, in 8–10 h: 6 / 10
        issue(2, {
          createdAt: at(1),
          resolvedAt: at(5, 10),
          transitions: [
            to(at(5, 0), 'To Do', 'In Progress', 'todo', 'in_progress'),
            to(at(5, 2), 'In Progress', 'To Do', 'in_progress', 'todo'),
            to(at(5, 4), 'To Do', 'In Progress', 'todo', 'in_progress'),
            to(at(5, 6), 'In Progress', 'Blocked', 'in_progress', 'in_progress'),
            to(at(5, 8), 'Blocked', 'In Progress', 'in_progress', 'in_progress'),
            done(at(5, 10), 'In Progress'),
          ],
        }),
        // resolved at the window's start (in it), still in progress: its open span ends at resolution: 12 / 12
        issue(3, { createdAt: at(0), resolvedAt: at(1), transitions: [to(at(0, 12), 'To Do', 'In Progress', 'todo', 'in_progress')] }),
        // resolved at the window's end: outside it
        issue(4, { createdAt: at(1), resolvedAt: at(32), transitions: [to(at(31, 20), 'To Do', 'In Progress', 'todo', 'in_progress')] }),
        // moved into progress at its resolution: 0 / 0
        issue(5, { createdAt: at(1), resolvedAt: at(7), transitions: [to(at(7), 'To Do', 'In Progress', 'todo', 'in_progress')] }),
        // resolved, reopened, resolved again (the last resolution counts): 4 h + 2 h active over 50 h
        issue(6, {
          createdAt: at(1),
          resolvedAt: at(12, 2),
          transitions: [
            to(at(10, 0), 'To Do', 'In Progress', 'todo', 'in_progress'),
            done(at(10, 4), 'In Progress'),
            to(at(12, 0), 'Done', 'In Progress', 'done', 'in_progress'),
            done(at(12, 2), 'In Progress'),
          ],
        }),
        // a span that ends after the resolution (resolved at 3 h, moved to done at 6 h): clipped, 3 / 3
        issue(7, {
          createdAt: at(1),
          resolvedAt: at(15, 3),
          transitions: [to(at(15, 0), 'To Do', 'In Progress', 'todo', 'in_progress'), done(at(15, 6), 'In Progress')],
        }),
      ],
    });
    const expected = { count: 5, activeHours: 27, elapsedHours: 75, value: 27 / 75 };
    expect(await metric(ts, 'flow_efficiency')).toMatchObject(expected);
    expect(await metric(ts, 'flow_efficiency', { team: 'payments' })).toMatchObject(expected);
    const explained = (query: object) =>
      ts.metrics
        .explain('flow_efficiency', { ...MARCH, ...query })
        .then(({ rows }) => rows.map((row) => [row.issue, row.activeHours, row.elapsedHours]));
    const rows = [
      ['PAY-3', 12, 12],
      ['PAY-2', 6, 10],
      ['PAY-5', 0, 0],
      ['PAY-6', 6, 50],
      ['PAY-7', 3, 3],
    ];
    expect(await explained({})).toEqual(rows);
    expect(await explained({ team: 'payments' })).toEqual(rows);
  });
});
