// `transitions.next_at` is derived on write (migration 0025): every write path that changes an item's status history
// (bundle import and re-import, connector sync batches, webhook deliveries, removals) keeps each transition's
// `next_at` equal to `at` of the next transition in `(at, seq)` order, and `flow_efficiency` reads it.
import { createTeamState, type TeamState, type WebhookOutcome } from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';
import { describe, expect, it } from 'vitest';
import { builtinMetrics } from '../src/index.js';
import { at, issue, MARCH, transition } from './fixtures.js';
import { recordWrites } from './helpers/record-writes.js';
import { deliverEvent, webhookOutcomes } from './helpers/webhook-outcomes.js';

const org = {
  teams: [{ id: 'payments', name: 'Payments' }],
  people: [{ id: 'ana', name: 'Ana', teams: ['payments'] }],
};
// In Progress 2nd 00:00 → Blocked 2nd 12:00 → In Progress 3rd 00:00 → Done 4th 00:00 (listed out of order: the
// spans follow `at`, not the list). Active 12 h + 24 h of 48 h elapsed.
const history = [
  transition(at(3), 'Blocked', 'In Progress', 'in_progress', 'in_progress'),
  transition(at(2), 'To Do', 'In Progress', 'todo', 'in_progress'),
  transition(at(4), 'In Progress', 'Done', 'in_progress', 'done'),
  transition(at(2, 12), 'In Progress', 'Blocked', 'in_progress', 'in_progress'),
];
const story = issue(1, { createdAt: at(1), resolvedAt: at(4), state: 'Done', transitions: history });

/** Each stored transition's `next_at` next to what the definition gives (`lead(at)` in `(at, seq)` order). */
async function ends(ts: TeamState) {
  const { rows } = await ts.store.execute(`SELECT work_item_id, seq, next_at,
      lead(at) OVER (PARTITION BY workspace, work_item_id ORDER BY at, seq) AS expected FROM transitions ORDER BY work_item_id, seq`);
  return rows.map((row) => ({ item: row.work_item_id, seq: row.seq, stored: row.next_at, expected: row.expected }));
}
function expectConsistent(rows: Awaited<ReturnType<typeof ends>>) {
  for (const row of rows) expect(row.stored, `${String(row.item)}#${String(row.seq)}`).toBe(row.expected);
}
async function efficiency(ts: TeamState) {
  return (await ts.metrics.compute(['flow_efficiency'], MARCH)).flow_efficiency!;
}

describe('transitions.next_at, derived on every write', () => {
  it('is set by an import and follows a history rewritten by sync, re-import, webhooks and removals', async () => {
    const outcomes: Record<string, WebhookOutcome> = {
      // The Blocked span is gone: active 48 h of 48 h.
      unblock: {
        records: {
          workItems: [
            {
              ...story,
              transitions: [
                transition(at(2), 'To Do', 'In Progress', 'todo', 'in_progress'),
                transition(at(4), 'In Progress', 'Done', 'in_progress', 'done'),
              ],
            },
          ],
        },
      },
      drop: { records: {}, remove: { workItems: ['PAY-1'] } },
    };
    const sync = testConnector({
      id: 'jira-sync',
      // A later transition arrives between two stored ones (Blocked until 2nd 18:00): active 12 h + 6 h + 24 h.
      batches: [
        {
          workItems: [
            { ...story, transitions: [...history, transition(at(2, 18), 'Blocked', 'In Progress', 'in_progress', 'in_progress')] },
            // Its history is absent: kept as stored.
            issue(2, { createdAt: at(1), state: 'To Do' }),
          ],
        },
      ],
    });
    const hook = webhookOutcomes(outcomes);
    const deliver = (event: string) => deliverEvent(ts, event);
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics, connectors: [sync, hook] });
    await ts.import({
      format: 'teamstate.bundle/v1',
      ...org,
      workItems: [story, issue(2, { createdAt: at(1), transitions: [transition(at(2), 'To Do', 'In Progress', 'todo', 'in_progress')] })],
    });
    const imported = await ends(ts);
    expect(imported.filter((row) => row.item === 'PAY-1').map((row) => row.stored)).toEqual(
      [at(4), at(2, 12), null, at(3)].map((time) => (time === null ? null : Date.parse(time))),
    );
    expectConsistent(imported);
    expect((await efficiency(ts)).value).toBe(36 / 48);

    await ts.sync({ only: ['jira-sync'] });
    expectConsistent(await ends(ts));
    expect((await ends(ts)).filter((row) => row.item === 'PAY-2')).toHaveLength(1);
    expect((await efficiency(ts)).value).toBe(42 / 48);

    // A re-import with the original history: the inserted transition is gone, the ends are back.
    await ts.import({ format: 'teamstate.bundle/v1', workItems: [story] });
    expectConsistent(await ends(ts));
    expect((await efficiency(ts)).value).toBe(36 / 48);

    expect((await deliver('unblock')).status).toBe(202);
    expectConsistent(await ends(ts));
    expect((await efficiency(ts)).value).toBe(1);

    expect((await deliver('drop')).status).toBe(202);
    expect((await ends(ts)).filter((row) => row.item === 'PAY-1')).toEqual([]);
    expect((await efficiency(ts)).value).toBeNull();
    await ts.close();
  });

  it("takes a written history's ends from the history itself: a bundle or sync batch runs no UPDATE of transitions", async () => {
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics });
    const tie = transition(at(2), 'To Do', 'In Review', 'todo', 'in_progress');
    const statements = await recordWrites(ts, async () => {
      await ts.import({
        format: 'teamstate.bundle/v1',
        ...org,
        workItems: [story, issue(2, { createdAt: at(1), transitions: [...history, tie] })],
      });
      // Rewritten: one transition gone, one moved earlier, a tie on `at` (ordered by position).
      await ts.import({
        format: 'teamstate.bundle/v1',
        workItems: [{ ...story, transitions: [history[1]!, { ...history[2]!, at: at(2, 6) }, tie] }, issue(3, { createdAt: at(1) })],
      });
    });
    expect(statements.filter((text) => /UPDATE transitions/i.test(text))).toEqual([]);
    expectConsistent(await ends(ts));
    // By seq: the first move ends at the tie (same `at`, later position), the moved one is last, the tie ends at it.
    expect((await ends(ts)).filter((row) => row.item === 'PAY-1').map((row) => row.stored)).toEqual([
      Date.parse(at(2)),
      null,
      Date.parse(at(2, 6)),
    ]);
    await ts.close();
  });

  it('leaves a re-import of unchanged data without changes', async () => {
    const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics });
    const bundle = { format: 'teamstate.bundle/v1' as const, ...org, workItems: [story] };
    await ts.import(bundle);
    expect((await ts.import(bundle)).changes).toBe(0);
    expectConsistent(await ends(ts));
    await ts.close();
  });
});
