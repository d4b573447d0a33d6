// `sprint_totals` is derived on write (migration 0030): SQL triggers on work_items, transitions, sprints and
// sprint_committed_items keep each sprint's committed and completed points equal to a from-scratch sum over its items
// (the metrics' item path, read here through `explain`), whatever the writer: bundle import, streamed import, connector
// sync, webhook removals. A write to one sprint's item rewrites that sprint's row only (rows counted, never timed).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, type TeamState, type WebhookOutcome } from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinMetrics } from '../src/index.js';
import { at, issue, sprint, transition } from './fixtures.js';
import { deliverEvent, webhookOutcomes } from './helpers/webhook-outcomes.js';

const ALL_TIME = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };
const dir = mkdtempSync(join(tmpdir(), 'teamstate-sprint-totals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const org = {
  format: 'teamstate.bundle/v1' as const,
  teams: [{ id: 'payments', name: 'Payments' }],
  people: [{ id: 'ben', name: 'Ben' }],
};
const sprints = [
  sprint('s1', { startAt: at(2), endAt: at(16), completedAt: at(16, 10), committedItems: ['PAY-1', 'PAY-2', 'PAY-3'] }),
  sprint('s2', { startAt: at(16), endAt: at(30), completedAt: at(30, 10), committedItems: ['PAY-6'] }),
  sprint('s3', { startAt: at(2), endAt: at(16), completedAt: at(16), committedItems: ['PAY-10'] }),
  sprint('now', { startAt: at(30), endAt: '2026-04-13T00:00:00Z', state: 'active', committedItems: ['PAY-11'] }),
];
const items = {
  1: issue(1, { createdAt: at(1), storyPoints: 3, sprint: 's1', resolvedAt: at(10), assignees: ['ben'] }),
  2: issue(2, { createdAt: at(1), storyPoints: 5, sprint: 's2', resolvedAt: at(20) }), // committed to s1, done in s2
  3: issue(3, { createdAt: at(1), storyPoints: 2, sprint: 's1' }), // never done
  4: issue(4, { createdAt: at(5), storyPoints: 1, sprint: 's1', resolvedAt: at(16, 10) }), // added, done at completedAt
  5: issue(5, { createdAt: at(5), sprint: 's1', resolvedAt: at(12) }), // added, without points
  6: issue(6, { createdAt: at(1), storyPoints: 8, sprint: 's2', transitions: [transition(at(20), 'To Do', 'Done', 'todo', 'done')] }),
  7: issue(7, { createdAt: at(20), storyPoints: 13, sprint: 's2', resolvedAt: at(30, 11) }), // done after completedAt
  10: issue(10, { createdAt: at(1), storyPoints: 4, sprint: 's3', resolvedAt: at(9) }),
  11: issue(11, { createdAt: at(29), storyPoints: 6, sprint: 'now' }),
};

interface Totals {
  sprint: string;
  committedPoints: number;
  completedPoints: number;
}

/** The stored rows, one per sprint. */
async function stored(ts: TeamState): Promise<Totals[]> {
  const { rows } = await ts.store.execute(
    'SELECT sprint_id, committed_points, completed_points, fractional_items FROM sprint_totals ORDER BY sprint_id',
  );
  return rows.map((row) => ({
    sprint: String(row.sprint_id),
    committedPoints: Number(row.committed_points),
    completedPoints: Number(row.completed_points),
  }));
}

/**
 * The same totals from scratch, from the sprints' items (the metrics' item path, which a person filter takes): the
 * explain rows of the closed sprints; an open sprint (no completedAt) has nothing completed yet.
 */
async function fromItems(ts: TeamState): Promise<Totals[]> {
  const { rows } = await ts.metrics.explain('sprint_completion', ALL_TIME);
  const closed = rows.map((row) => ({
    sprint: String(row.sprint),
    committedPoints: Number(row.committedPoints),
    completedPoints: Number(row.completedPoints),
  }));
  const { rows: open } = await ts.store.execute(`SELECT s.id, coalesce(sum(coalesce(w.story_points, 0)), 0) AS committed
    FROM sprints s LEFT JOIN sprint_committed_items c ON c.workspace = s.workspace AND c.sprint_id = s.id
      LEFT JOIN work_items w ON w.workspace = c.workspace AND w.id = c.work_item_id
    WHERE s.state <> 'closed' GROUP BY s.id`);
  return [...closed, ...open.map((row) => ({ sprint: String(row.id), committedPoints: Number(row.committed), completedPoints: 0 }))].sort(
    (a, b) => a.sprint.localeCompare(b.sprint),
  );
}

/** Stored and from-scratch totals agree, and the metrics (read from the stored rows) equal the items' sums. */
async function expectExact(ts: TeamState): Promise<Totals[]> {
  const expected = await fromItems(ts);
  expect(await stored(ts)).toEqual(expected);
  const closed = (await ts.metrics.explain('sprint_completion', ALL_TIME)).rows;
  const committed = closed.reduce((sum, row) => sum + Number(row.committedPoints), 0);
  const completed = closed.reduce((sum, row) => sum + Number(row.completedPoints), 0);
  const metrics = await ts.metrics.compute(['sprint_completion', 'velocity'], ALL_TIME);
  expect(metrics.sprint_completion).toMatchObject({ committedPoints: committed, completedPoints: completed, sprints: closed.length });
  expect(metrics.velocity).toMatchObject({ completedPoints: completed, sprints: closed.length });
  return expected;
}

/** The sprints whose totals row the write `run` rewrote (a temporary trigger counts every row written). */
async function rewritten(ts: TeamState, run: () => Promise<unknown>): Promise<string[]> {
  await ts.store.execute('CREATE TEMP TABLE IF NOT EXISTS written (sprint_id TEXT)');
  await ts.store.execute('DELETE FROM temp.written');
  for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
    const row = event === 'DELETE' ? 'OLD' : 'NEW';
    await ts.store.execute(`CREATE TEMP TRIGGER IF NOT EXISTS written_${event.toLowerCase()} AFTER ${event} ON main.sprint_totals
      BEGIN INSERT INTO written VALUES (${row}.sprint_id); END`);
  }
  await run();
  const { rows } = await ts.store.execute('SELECT sprint_id FROM temp.written ORDER BY sprint_id');
  return rows.map((row) => String(row.sprint_id));
}

const removals: Record<string, WebhookOutcome> = {
  'drop-item': { records: {}, remove: { workItems: ['PAY-1'] } },
  'drop-sprint': { records: {}, remove: { sprints: ['s3'] } },
};
const tracker = webhookOutcomes(removals);
// A sync that takes PAY-6's done transition away and moves PAY-7 into s3, resolved within it.
const sync = testConnector({
  id: 'sync',
  batches: [
    {
      workItems: [
        { ...items[6], transitions: [] },
        { ...items[7], sprint: 's3', resolvedAt: at(15) },
      ],
    },
  ],
});

describe('sprint_totals, derived on every write', () => {
  it('equals a from-scratch sum after each kind of write, and a write rewrites only its sprints’ rows', async () => {
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics, connectors: [tracker, sync] });
    await ts.import({ ...org, workItems: Object.values(items), sprints });
    expect(await expectExact(ts)).toEqual([
      { sprint: 'now', committedPoints: 6, completedPoints: 0 },
      { sprint: 's1', committedPoints: 10, completedPoints: 4 },
      { sprint: 's2', committedPoints: 8, completedPoints: 13 },
      { sprint: 's3', committedPoints: 4, completedPoints: 4 },
    ]);

    // Re-import with a changed item: PAY-3 (committed to s1) gets more points.
    expect(await rewritten(ts, () => ts.import({ ...org, workItems: [{ ...items[3], storyPoints: 20 }] }))).toEqual(['s1', 's1']);
    expect((await expectExact(ts)).find((row) => row.sprint === 's1')).toMatchObject({ committedPoints: 28 });
    // Re-importing the same item again writes nothing.
    expect(await rewritten(ts, () => ts.import({ ...org, workItems: [{ ...items[3], storyPoints: 20 }] }))).toEqual([]);

    // An item moved between sprints: PAY-4 (added to s1, done at its completion) now belongs to s3, done after s3's.
    expect(await rewritten(ts, () => ts.import({ ...org, workItems: [{ ...items[4], sprint: 's3' }] }))).toEqual(['s1', 's3']);
    expect(await expectExact(ts)).toEqual(
      expect.arrayContaining([
        { sprint: 's1', committedPoints: 28, completedPoints: 3 },
        { sprint: 's3', committedPoints: 4, completedPoints: 4 },
      ]),
    );

    // A transition: PAY-3 (unresolved) moves to Done within s1.
    const done = [transition(at(12), 'To Do', 'Done', 'todo', 'done')];
    expect(await rewritten(ts, () => ts.import({ ...org, workItems: [{ ...items[3], storyPoints: 20, transitions: done }] }))).toEqual([
      's1',
    ]);
    expect(await expectExact(ts)).toContainEqual({ sprint: 's1', committedPoints: 28, completedPoints: 23 });

    // Connector sync: PAY-6 loses its done transition (s2), PAY-7 moves from s2 to s3.
    expect(await ts.sync({ only: ['sync'] })).toMatchObject({ ok: true });
    expect(await expectExact(ts)).toEqual(
      expect.arrayContaining([
        { sprint: 's2', committedPoints: 8, completedPoints: 5 },
        { sprint: 's3', committedPoints: 4, completedPoints: 17 },
      ]),
    );

    // Committed items and a sprint's completion change (re-import of the sprint).
    const s2 = { ...sprints[1]!, completedAt: at(30, 12), committedItems: ['PAY-6', 'PAY-2'] };
    expect(await rewritten(ts, () => ts.import({ ...org, sprints: [s2] }))).toContain('s2');
    expect(await expectExact(ts)).toContainEqual({ sprint: 's2', committedPoints: 13, completedPoints: 5 });

    // Webhook removals: a work item (committed to s1) and a whole sprint.
    const deliver = (event: string) => deliverEvent(ts, event);
    await deliver('drop-item');
    expect(await expectExact(ts)).toContainEqual({ sprint: 's1', committedPoints: 25, completedPoints: 20 });
    await deliver('drop-sprint');
    expect((await expectExact(ts)).map((row) => row.sprint)).toEqual(['now', 's1', 's2']);

    // Erasing a person leaves the points as they are.
    await ts.people.erase('ben');
    await expectExact(ts);
    await ts.close();
  });

  it('equals a from-scratch sum after streamed imports of bundle files', async () => {
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics });
    const write = (name: string, bundle: object) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(bundle));
      return file;
    };
    await ts.importFile(write('all.json', { ...org, workItems: Object.values(items), sprints }));
    await expectExact(ts);
    // PAY-2 (committed to s1, done in s2) resolved after s2 completed; PAY-3 moved to s2 and done within it.
    const late = { ...items[2], resolvedAt: at(31) };
    await ts.importFile(write('late.json', { ...org, workItems: [late, { ...items[3], sprint: 's2', resolvedAt: at(25) }] }));
    expect(await expectExact(ts)).toEqual(
      expect.arrayContaining([
        { sprint: 's1', committedPoints: 10, completedPoints: 4 },
        { sprint: 's2', committedPoints: 8, completedPoints: 10 },
      ]),
    );
    await ts.close();
  });

  it('reads fractional points from the items, so their sums are exactly those of the item path', async () => {
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics });
    const fractional = [
      { ...items[1], storyPoints: 0.1 },
      { ...items[3], storyPoints: 0.2, resolvedAt: at(11) },
      { ...items[4], storyPoints: 0.7 },
    ];
    await ts.import({ ...org, workItems: fractional, sprints: [{ ...sprints[0]!, committedItems: ['PAY-1', 'PAY-3'] }] });
    // Points changed back and forth: additions and subtractions of 0.1 would drift in the last digit.
    for (const points of [0.3, 0.1]) await ts.import({ ...org, workItems: [{ ...fractional[0]!, storyPoints: points }] });
    const { rows } = await ts.store.execute('SELECT fractional_items FROM sprint_totals');
    expect(rows[0]!.fractional_items).toBe(3);
    const [row] = (await ts.metrics.explain('sprint_completion', ALL_TIME)).rows;
    const value = (await ts.metrics.compute(['sprint_completion'], ALL_TIME)).sprint_completion!;
    expect(value).toMatchObject({ committedPoints: row!.committedPoints, completedPoints: row!.completedPoints, sprints: 1 });
    await ts.close();
  });
});
