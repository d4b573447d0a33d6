// `work_items.first_in_progress_at` (migration 0032) and `in_progress_until` (migration team_in_progress) are derived on
// write: every write path that changes an item's status history (bundle import and re-import, streamed import, connector
// sync batches, webhook deliveries, removals) keeps them equal to their definitions, `at` of the item's first move into
// an in-progress status (NULL without one) and the end of its last in-progress span (NULL while one is open or without
// any), and an erasure leaves them; item.aging and a team's wip read them instead of seeking each item's history. The
// migrations' backfills give the same values.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, type TeamState, type WebhookOutcome } from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinSignals } from '../src/index.js';
import { at, issue, transition } from './fixtures.js';
import { deliverEvent, webhookOutcomes } from './helpers/webhook-outcomes.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-first-in-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const org = {
  teams: [{ id: 'payments', name: 'Payments' }],
  people: [{ id: 'ana', name: 'Ana', teams: ['payments'] }],
};
// Listed out of order: the first move into progress is the earliest by `at` (2nd), not the first listed.
const history = [
  transition(at(3), 'Blocked', 'In Progress', 'in_progress', 'in_progress'),
  transition(at(2), 'To Do', 'In Progress', 'todo', 'in_progress'),
  transition(at(4), 'In Progress', 'Done', 'in_progress', 'done'),
];
const story = issue(1, { createdAt: at(1), resolvedAt: at(4), state: 'Done', transitions: history });
// Never in progress: NULL.
const todo = issue(2, { createdAt: at(1), state: 'To Do', transitions: [transition(at(2), null, 'To Do', null, 'todo')] });

/**
 * Each stored item's `first_in_progress_at` and `in_progress_until` next to what their definitions give from its
 * transitions: the first move into progress, and the end of the last in-progress span (NULL while one is open).
 */
async function starts(ts: TeamState) {
  const { rows } = await ts.store.execute(`SELECT w.id, w.first_in_progress_at AS stored, w.in_progress_until AS until,
      (SELECT min(t.at) FROM transitions t WHERE t.workspace = w.workspace AND t.work_item_id = w.id AND t.to_category = 'in_progress') AS expected,
      (SELECT CASE WHEN EXISTS (SELECT 1 FROM transitions o WHERE o.workspace = w.workspace AND o.work_item_id = w.id
            AND o.to_category = 'in_progress' AND NOT EXISTS (SELECT 1 FROM transitions n WHERE n.workspace = o.workspace
              AND n.work_item_id = o.work_item_id AND (n.at > o.at OR (n.at = o.at AND n.seq > o.seq)))) THEN NULL
          ELSE max(e.next_at) END
        FROM transitions e WHERE e.workspace = w.workspace AND e.work_item_id = w.id AND e.to_category = 'in_progress') AS expectedUntil
    FROM work_items w ORDER BY w.id`);
  return rows.map((row) => ({
    item: String(row.id),
    stored: row.stored as number | null,
    expected: row.expected as number | null,
    until: row.until as number | null,
    expectedUntil: row.expectedUntil as number | null,
  }));
}
async function consistent(ts: TeamState) {
  const rows = await starts(ts);
  for (const row of rows) {
    expect(row.stored, row.item).toBe(row.expected);
    expect(row.until, `${row.item} in_progress_until`).toBe(row.expectedUntil);
  }
  return Object.fromEntries(rows.map((row) => [row.item, row.stored === null ? null : new Date(row.stored).toISOString()]));
}

/** Each stored item's `in_progress_until`, as an ISO timestamp. */
async function ends(ts: TeamState) {
  const rows = await starts(ts);
  return Object.fromEntries(rows.map((row) => [row.item, row.until === null ? null : new Date(row.until).toISOString()]));
}

describe('work_items.first_in_progress_at, derived on every write', () => {
  it('is set by an import and follows a history rewritten by sync, a streamed import, re-import, webhooks and removals', async () => {
    const outcomes: Record<string, WebhookOutcome> = {
      // The history starts later now: in progress from the 3rd.
      later: {
        records: {
          workItems: [{ ...story, transitions: [transition(at(3), 'To Do', 'In Progress', 'todo', 'in_progress'), history[2]!] }],
        },
      },
      drop: { records: {}, remove: { workItems: ['PAY-1'] } },
    };
    // An earlier move into progress arrives (1st 12:00); PAY-2 comes back without a history (kept as stored).
    const sync = testConnector({
      id: 'jira-sync',
      batches: [
        {
          workItems: [
            { ...story, transitions: [...history, transition(at(1, 12), 'To Do', 'In Progress', 'todo', 'in_progress')] },
            { ...todo, transitions: undefined },
          ],
        },
      ],
    });
    const hook = webhookOutcomes(outcomes);
    const deliver = (event: string) => deliverEvent(ts, event);
    const ts = await createTeamState({ database: ':memory:', connectors: [sync, hook] });
    await ts.import({ format: 'teamstate.bundle/v1', ...org, workItems: [story, todo] });
    expect(await consistent(ts)).toEqual({ 'PAY-1': at(2), 'PAY-2': null });
    // PAY-1's last span ended when it was done; PAY-2 was never in progress.
    expect(await ends(ts)).toEqual({ 'PAY-1': at(4), 'PAY-2': null });

    await ts.sync({ only: ['jira-sync'] });
    expect(await consistent(ts)).toEqual({ 'PAY-1': at(1, 12), 'PAY-2': null });

    // A streamed import moves PAY-2 into progress.
    const file = join(dir, 'todo-started.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'teamstate.bundle/v1',
        workItems: [
          {
            ...todo,
            state: 'In Progress',
            transitions: [...todo.transitions!, transition(at(5), 'To Do', 'In Progress', 'todo', 'in_progress')],
          },
        ],
      }),
    );
    await ts.importFile(file);
    expect(await consistent(ts)).toEqual({ 'PAY-1': at(1, 12), 'PAY-2': at(5) });
    // PAY-2's span is open: NULL, as for an item never in progress (its start tells them apart).
    expect(await ends(ts)).toEqual({ 'PAY-1': at(4), 'PAY-2': null });

    // A re-import with the original history: the earlier move is gone.
    await ts.import({ format: 'teamstate.bundle/v1', workItems: [story] });
    expect(await consistent(ts)).toEqual({ 'PAY-1': at(2), 'PAY-2': at(5) });

    expect((await deliver('later')).status).toBe(202);
    expect(await consistent(ts)).toEqual({ 'PAY-1': at(3), 'PAY-2': at(5) });

    // An empty history: never in progress.
    await ts.import({ format: 'teamstate.bundle/v1', workItems: [{ ...todo, transitions: [] }] });
    expect(await consistent(ts)).toEqual({ 'PAY-1': at(3), 'PAY-2': null });

    expect((await deliver('drop')).status).toBe(202);
    expect(await consistent(ts)).toEqual({ 'PAY-2': null });

    // Erasing the assignee renames references only: the history and what is derived from it stay.
    await ts.import({ format: 'teamstate.bundle/v1', workItems: [{ ...story, assignees: ['ana'] }] });
    await ts.people.erase('ana');
    expect(await consistent(ts)).toEqual({ 'PAY-1': at(2), 'PAY-2': null });
    await ts.close();
  });

  it('leaves a re-import of unchanged data without changes', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    const bundle = { format: 'teamstate.bundle/v1' as const, ...org, workItems: [story, todo] };
    await ts.import(bundle);
    expect((await ts.import(bundle)).changes).toBe(0);
    expect(await consistent(ts)).toEqual({ 'PAY-1': at(2), 'PAY-2': null });
    await ts.close();
  });

  it('in_progress_until is backfilled by its migration for items stored before it', async () => {
    const ts = await createTeamState({ database: ':memory:' });
    // In progress again after being done: the open span decides (NULL); a closed one ends at the next transition.
    const reopened = issue(3, {
      createdAt: at(1),
      state: 'In Progress',
      transitions: [...history, transition(at(6), 'Done', 'In Progress', 'done', 'in_progress')],
    });
    await ts.import({ format: 'teamstate.bundle/v1', ...org, workItems: [story, todo, reopened] });
    const folder = new URL('../../core/src/records/migrations/', import.meta.url);
    const file = readdirSync(folder).find((name) => name.endsWith('_team_in_progress.sql'))!;
    const statements = readFileSync(new URL(file, folder), 'utf8').split('--> statement-breakpoint');
    const backfill = statements.filter((statement) => statement.trimStart().startsWith('UPDATE'));
    expect(backfill).toHaveLength(1);
    // The migration runs on a column just added: NULL everywhere.
    await ts.store.execute('UPDATE work_items SET in_progress_until = NULL');
    for (const statement of backfill) await ts.store.execute(statement);
    expect(await consistent(ts)).toEqual({ 'PAY-1': at(2), 'PAY-2': null, 'PAY-3': at(2) });
    expect(await ends(ts)).toEqual({ 'PAY-1': at(4), 'PAY-2': null, 'PAY-3': null });
    await ts.close();
  });

  it('is backfilled by the migration for items stored before it', async () => {
    const ts = await createTeamState({ database: ':memory:', signals: builtinSignals });
    await ts.import({ format: 'teamstate.bundle/v1', ...org, workItems: [story, todo] });
    // As before migration 0032: no value stored. Its statements (without the schema changes) derive them again.
    await ts.store.execute('UPDATE work_items SET first_in_progress_at = NULL');
    const folder = new URL('../../core/src/records/migrations/', import.meta.url);
    const file = readdirSync(folder).find((name) => name.startsWith('0032_'))!;
    const statements = readFileSync(new URL(file, folder), 'utf8').split('--> statement-breakpoint');
    const backfill = statements.filter((statement) => statement.trimStart().startsWith('UPDATE'));
    expect(backfill).toHaveLength(1);
    for (const statement of backfill) await ts.store.execute(statement);
    expect(await consistent(ts)).toEqual({ 'PAY-1': at(2), 'PAY-2': null });
    await ts.close();
  });
});
