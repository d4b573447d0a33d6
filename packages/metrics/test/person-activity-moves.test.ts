// person.after_hours counts each move of an issue assigned to a person from transitions and work_item_assignees,
// exactly as when the moves were stored, and no person_activity table is kept (nor read: rows of one an upgraded
// database still holds until its batches have dropped it are not counted).
import { createTeamState, type TeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { personAfterHours } from '../src/signals/index.js';

// 2026-11-16 is a Monday; the working week is 09:00-17:00 UTC, Monday to Friday.
const NOW = '2026-11-20T18:00:00Z';
const org = {
  format: 'teamstate.bundle/v1' as const,
  teams: [{ id: 'pay', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'] },
    { id: 'ben', name: 'Ben', teams: ['pay'] },
  ],
  repositories: [{ id: 'acme/api', team: 'pay' }],
};
const move = (at: string, i: number) => ({
  at,
  from: i === 0 ? 'To Do' : `Step ${i}`,
  to: `Step ${i + 1}`,
  fromCategory: i === 0 ? 'todo' : 'in_progress',
  toCategory: 'in_progress',
});
/** Moves at the given hours (UTC) of the working days 16-19 November, one per day in turn. */
const moves = (hours: readonly string[]) => hours.map((hour, i) => move(`2026-11-${16 + (i % 4)}T${hour}:00:00Z`, i));
const issue = (id: string, assignees: string[], hours: readonly string[], kind = 'story') => ({
  id,
  source: kind === 'pull_request' ? 'github' : 'jira',
  kind,
  key: id,
  title: `Item ${id}`,
  state: 'In Progress',
  statusCategory: 'in_progress',
  team: 'pay',
  ...(kind === 'pull_request' ? { repository: 'acme/api', author: 'ben' } : {}),
  assignees,
  createdAt: '2026-11-02T09:00:00Z',
  transitions: moves(hours),
});
// Ana: 8 moves at night and 4 in the day over two issues (ben shares one of them: its 4 daytime moves are his too),
// and a pull request assigned to her whose 6 night moves are nobody's activity. Ben opened that pull request.
const items = [
  issue('PAY-1', ['ana'], ['22', '23', '21', '22', '23', '21', '22', '23']),
  issue('PAY-2', ['ana', 'ben'], ['10', '11', '12', '13']),
  issue('pr-1', ['ana'], ['22', '22', '22', '22', '22', '22'], 'pull_request'),
];

let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

const count = async (sql: string) => Number((await ts!.store.execute(sql)).rows[0]?.[0]);
const anaEvidence = async () => {
  await ts!.signals.refresh();
  return (await ts!.signals.list()).filter((s) => s.subject.id === 'ana').map((s) => s.evidence);
};

describe('moves of issues, read from transitions and assignees instead of person_activity', () => {
  it('stores no activity table, and person.after_hours counts every move of the issues assigned to a person', async () => {
    ts = await createTeamState({
      database: ':memory:',
      signals: [personAfterHours],
      signalSettings: { thresholds: { 'person.after_hours': { minActivities: 5 } } },
      clock: () => new Date(NOW),
    });
    await ts.import({ ...org, workItems: items });
    expect(await count("SELECT count(*) FROM sqlite_master WHERE name LIKE 'person_activity%'")).toBe(0);
    expect(await anaEvidence()).toEqual([expect.objectContaining({ activities: 12, outside: 8, weekend: 0 })]);

    // A database upgraded from a release that stored the moves holds them until its batches delete them: planted
    // here, they are not counted a second time.
    await ts.store.execute(`CREATE TABLE person_activity (workspace text NOT NULL, work_item_id text NOT NULL, source text NOT NULL,
      seq integer NOT NULL, person_id text NOT NULL, at integer NOT NULL, PRIMARY KEY (workspace, work_item_id, source, seq, person_id))`);
    await ts.store.execute(`INSERT INTO person_activity (workspace, work_item_id, source, seq, person_id, at)
      SELECT t.workspace, t.work_item_id, 'move', t.seq, a.person_id, t.at FROM transitions t
        JOIN work_items i ON i.workspace = t.workspace AND i.id = t.work_item_id
        JOIN work_item_assignees a ON a.workspace = t.workspace AND a.work_item_id = t.work_item_id
      WHERE i.kind <> 'pull_request'`);
    expect(await count("SELECT count(*) FROM person_activity WHERE source = 'move'")).toBe(16);
    expect(await anaEvidence()).toEqual([expect.objectContaining({ activities: 12, outside: 8, weekend: 0 })]);

    // Moves follow the assignees and the transitions as they change: PAY-1 goes to ben, PAY-2 gets two more night moves.
    await ts.import({
      ...org,
      workItems: [
        { ...items[0]!, assignees: ['ben'] },
        { ...items[1]!, transitions: moves(['10', '11', '12', '13', '23', '23']) },
      ],
    });
    expect(await anaEvidence()).toEqual([expect.objectContaining({ activities: 6, outside: 2 })]);
    await ts.import({ ...org, workItems: [items[0]!] });
    expect(await anaEvidence()).toEqual([expect.objectContaining({ activities: 14, outside: 10 })]);
  });
});
