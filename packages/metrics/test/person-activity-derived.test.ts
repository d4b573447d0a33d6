// A person's activity (pull requests opened and merged by their author, reviews of someone else's item, the moves of
// the issues assigned to them) is not stored apart: person.after_hours reads it from work_items, reviews, transitions
// and work_item_assignees. Whatever the writer (bundle import, streamed import into an empty store, connector sync,
// webhook removals, a linked account, an erased person), each person's count of acts in the detector's evidence equals
// the definition over those rows, checked here row by row (a self-review not counted, an author change, a deleted
// review...). No person_activity table is left, and a stale one an upgrade has not dropped yet changes no answer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, type TeamState, type WebhookOutcome } from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinSignals } from '../src/index.js';
import { at, issue, pullRequest, transition } from './fixtures.js';
import { deliverEvent, webhookOutcomes } from './helpers/webhook-outcomes.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-person-activity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const org = {
  format: 'teamstate.bundle/v1' as const,
  teams: [{ id: 'payments', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['payments'] },
    { id: 'ben', name: 'Ben', teams: ['payments'] },
    { id: 'cy', name: 'Cy', teams: ['payments'] },
  ],
  repositories: [{ id: 'acme/api', team: 'payments' }],
};
const moves = [
  transition(at(3, 9), 'To Do', 'In Progress', 'todo', 'in_progress'),
  transition(at(4, 22), 'In Progress', 'Done', 'in_progress', 'done'),
];
const items = [
  // Merged, reviewed by ben twice and by its author once (not hers: her own item).
  pullRequest(1, {
    createdAt: at(2, 10),
    mergedAt: at(3, 23),
    reviews: [
      { reviewer: 'ben', state: 'commented', submittedAt: at(2, 20) },
      { reviewer: 'ana', state: 'commented', submittedAt: at(2, 21) },
      { reviewer: 'ben', state: 'approved', submittedAt: at(3, 8) },
    ],
  }),
  // Open, with a status history of its own (a pull request's moves are not anyone's activity here).
  pullRequest(2, { createdAt: at(5, 7), author: 'cy', assignees: ['ana'], transitions: moves }),
  // Without an author: its opening is no one's; its review is cy's.
  pullRequest(3, { createdAt: at(6, 1), author: undefined, reviews: [{ reviewer: 'cy', state: 'approved', submittedAt: at(6, 2) }] }),
  // Two assignees, two moves: four rows.
  issue(1, { createdAt: at(1), assignees: ['ana', 'ben'], transitions: moves }),
  // Moves without an assignee, an assignee without moves.
  issue(2, { createdAt: at(1), transitions: moves }),
  issue(3, { createdAt: at(1), assignees: ['cy'] }),
];

type Row = [item: string, source: string, seq: number, person: string, at: number, team: string | null, repository: string | null];

const row = (r: Record<string, unknown>): Row => [
  String(r.work_item_id),
  String(r.source),
  Number(r.seq),
  String(r.person_id),
  Number(r.at),
  r.team_id === null ? null : String(r.team_id),
  r.repository_id === null ? null : String(r.repository_id),
];

/** Each person's count of acts as person.after_hours reads them (every act counted: the window spans the data). */
async function counted(ts: TeamState): Promise<Record<string, number>> {
  await ts.signals.refresh({ full: true });
  const { rows } = await ts.store.execute(
    "SELECT subject_id, evidence FROM signals WHERE kind = 'person.after_hours' AND status = 'open' ORDER BY subject_id",
  );
  return Object.fromEntries(rows.map((r) => [String(r.subject_id), Number(JSON.parse(String(r.evidence)).activities)]));
}

/** Settings under which person.after_hours reports everyone with an act since the data began. */
const EVERY_ACT = { thresholds: { 'person.after_hours': { minActivities: 1, share: -1, days: 3650 } } };
/** A clock after every act of the fixtures. */
const clock = () => new Date(at(40));

/** A person's acts by their definition over the base rows. */
async function fromScratch(ts: TeamState): Promise<Row[]> {
  const { rows } = await ts.store.execute(`SELECT * FROM (
      SELECT id AS work_item_id, 'opened' AS source, 0 AS seq, author_id AS person_id, created_at AS at, NULL AS team_id, NULL AS repository_id
        FROM work_items WHERE kind = 'pull_request' AND author_id IS NOT NULL
      UNION ALL SELECT id, 'merged', 0, author_id, merged_at, NULL, NULL FROM work_items
        WHERE kind = 'pull_request' AND author_id IS NOT NULL AND merged_at IS NOT NULL
      UNION ALL SELECT r.work_item_id, 'review', r.seq, r.reviewer_id, r.submitted_at, i.team_id, i.repository_id FROM reviews r
        JOIN work_items i ON i.workspace = r.workspace AND i.id = r.work_item_id WHERE r.reviewer_id IS NOT i.author_id
      UNION ALL SELECT t.work_item_id, 'move', t.seq, a.person_id, t.at, NULL, NULL FROM transitions t
        JOIN work_items i ON i.workspace = t.workspace AND i.id = t.work_item_id
        JOIN work_item_assignees a ON a.workspace = t.workspace AND a.work_item_id = t.work_item_id
        WHERE i.kind <> 'pull_request')
    ORDER BY work_item_id, source, seq, person_id`);
  return rows.map(row);
}

/** What person.after_hours counts agrees with the definition, person by person, and no table keeps it; returns the rows. */
async function expectExact(ts: TeamState): Promise<Row[]> {
  const table = await ts.store.execute("SELECT name FROM sqlite_master WHERE name = 'person_activity'");
  expect(table.rows).toEqual([]);
  const expected = await fromScratch(ts);
  const byPerson: Record<string, number> = {};
  // An erased person's acts stay under the erased id, but there is no one to report on.
  for (const r of expected) if (!r[3].startsWith('erased-')) byPerson[r[3]] = (byPerson[r[3]] ?? 0) + 1;
  expect(await counted(ts)).toEqual(byPerson);
  return expected;
}

/** The rows of one person, as [item, source, at] (ISO). */
const of = (rows: Row[], person: string) =>
  rows
    .filter((r) => r[3] === person)
    .map(([item, source, , , time]): [string, string, string] => [item, source, new Date(time).toISOString()]);

const removals: Record<string, WebhookOutcome> = {
  'drop-items': { records: {}, remove: { workItems: ['PAY-1', 'pr-acme/api-2'] } },
};

describe("a person's activity, read from the base rows", () => {
  it('counts its definition after each kind of write', async () => {
    const sync = testConnector({
      id: 'sync',
      // A sync: PR 2 merged; PAY-2 gets ana as its assignee and a third move; PAY-3's assignee changes to ben.
      batches: [
        {
          workItems: [
            { ...items[1]!, mergedAt: at(7, 3), state: 'merged' },
            { ...items[4]!, assignees: ['ana'], transitions: [...moves, transition(at(8, 20), 'Done', 'To Do', 'done', 'todo')] },
            { ...items[5]!, assignees: ['ben'] },
          ],
        },
      ],
    });
    const ts = await createTeamState({
      database: ':memory:',
      clock,
      connectors: [webhookOutcomes(removals), sync],
      signals: builtinSignals,
      signalSettings: EVERY_ACT,
    });
    await ts.import({ ...org, workItems: items });
    const first = await expectExact(ts);
    expect(of(first, 'ana')).toEqual([
      ['PAY-1', 'move', at(3, 9)],
      ['PAY-1', 'move', at(4, 22)],
      ['pr-acme/api-1', 'merged', at(3, 23)],
      ['pr-acme/api-1', 'opened', at(2, 10)],
    ]);
    expect(of(first, 'ben')).toEqual([
      ['PAY-1', 'move', at(3, 9)],
      ['PAY-1', 'move', at(4, 22)],
      ['pr-acme/api-1', 'review', at(2, 20)],
      ['pr-acme/api-1', 'review', at(3, 8)],
    ]);
    expect(of(first, 'cy')).toEqual([
      ['pr-acme/api-2', 'opened', at(5, 7)],
      ['pr-acme/api-3', 'review', at(6, 2)],
    ]);

    // The same again writes nothing new; a title changed alone changes no row.
    await ts.import({ ...org, workItems: items.map((item) => ({ ...item, title: `${item.title} (renamed)` })) });
    expect(await expectExact(ts)).toEqual(first);

    // A review's item has its team and repository (review.load_imbalance counts by them): PR 1's are acme/api's with no
    // team of its own.
    const where = (rows: Row[], item: string) => [
      ...new Set(rows.filter((r) => r[0] === item).map((r) => (r[1] === 'review' ? `${r[5]} ${r[6]}` : `${r[1]}: ${r[5]} ${r[6]}`))),
    ];
    expect(where(first, 'pr-acme/api-1')).toEqual(['merged: null null', 'opened: null null', 'null acme/api']);
    expect(where(first, 'PAY-1')).toEqual(['move: null null']);
    // PR 1 moves to another repository and gets a team; PAY-1 moves to another team: their rows follow. Then back.
    const core = {
      teams: [...org.teams, { id: 'core', name: 'Core' }],
      repositories: [...org.repositories, { id: 'acme/web', team: 'core' }],
    };
    await ts.import({
      ...org,
      ...core,
      workItems: [
        { ...items[0]!, repository: 'acme/web', team: 'core' },
        { ...items[3]!, team: 'core' },
      ],
    });
    const elsewhere = await expectExact(ts);
    expect(where(elsewhere, 'pr-acme/api-1')).toEqual(['merged: null null', 'opened: null null', 'core acme/web']);
    expect(where(elsewhere, 'PAY-1')).toEqual(['move: null null']);
    expect(elsewhere.map((r) => r.slice(0, 5))).toEqual(first.map((r) => r.slice(0, 5)));
    await ts.import({ ...org, ...core, workItems: [items[0]!, items[3]!] });
    expect(await expectExact(ts)).toEqual(first);

    // PR 1's author becomes ben: his reviews of it are his own now, ana's is hers to count; a moved review time.
    const [pr1] = items;
    const reviews = pr1!.reviews!.map((review, i) => (i === 2 ? { ...review, submittedAt: at(3, 9) } : review));
    await ts.import({ ...org, workItems: [{ ...pr1!, author: 'ben', reviews }] });
    const swapped = await expectExact(ts);
    expect(of(swapped, 'ana').filter(([item]) => item === 'pr-acme/api-1')).toEqual([['pr-acme/api-1', 'review', at(2, 21)]]);
    expect(of(swapped, 'ben').filter(([item]) => item === 'pr-acme/api-1')).toEqual([
      ['pr-acme/api-1', 'merged', at(3, 23)],
      ['pr-acme/api-1', 'opened', at(2, 10)],
    ]);
    // A review taken away and a move retimed, assignees swapped: PAY-1 now cy's alone.
    await ts.import({
      ...org,
      workItems: [
        { ...pr1!, author: 'ben', reviews: reviews.slice(1) },
        { ...items[3]!, assignees: ['cy'], transitions: [moves[0]!, { ...moves[1]!, at: at(5, 23) }] },
      ],
    });
    const moved = await expectExact(ts);
    expect(of(moved, 'cy').filter(([item]) => item === 'PAY-1')).toEqual([
      ['PAY-1', 'move', at(3, 9)],
      ['PAY-1', 'move', at(5, 23)],
    ]);
    expect(of(moved, 'ana').filter(([item]) => item.startsWith('PAY'))).toEqual([]);

    // A connector sync.
    expect(await ts.sync({ only: ['sync'] })).toMatchObject({ ok: true });
    const synced = await expectExact(ts);
    expect(of(synced, 'cy')).toContainEqual(['pr-acme/api-2', 'merged', at(7, 3)]);
    expect(of(synced, 'ana').filter(([item]) => item === 'PAY-2')).toHaveLength(3);
    expect(of(synced, 'ben').filter(([item]) => item === 'PAY-3')).toEqual([]);

    // A review and two moves taken away: cy's review of PR 3, PAY-2's last two moves.
    await ts.import({
      ...org,
      workItems: [
        { ...items[2]!, reviews: [] },
        { ...items[4]!, assignees: ['ana'], transitions: moves.slice(0, 1) },
      ],
    });
    const fewer = await expectExact(ts);
    expect(of(fewer, 'cy').filter(([item]) => item === 'pr-acme/api-3')).toEqual([]);
    expect(of(fewer, 'ana').filter(([item]) => item === 'PAY-2')).toEqual([['PAY-2', 'move', at(3, 9)]]);

    // A webhook removes an issue and a pull request: their rows go with them.
    await deliverEvent(ts, 'drop-items');
    expect((await expectExact(ts)).filter(([item]) => item === 'PAY-1' || item === 'pr-acme/api-2')).toEqual([]);

    // A Jira account linked to ben after its issues were written under a person of its own: the rows follow.
    const [jiraBen] = await ts.resolvePeople([{ provider: 'jira', id: '5f00aa', login: 'Ben J.', name: 'Ben J.' }]);
    await ts.import({ ...org, workItems: [{ ...items[5]!, assignees: [jiraBen!], transitions: moves }] });
    expect(of(await expectExact(ts), jiraBen!)).toHaveLength(2);
    await ts.linkAccount({ provider: 'jira', id: '5f00aa' }, 'ben');
    const linked = await expectExact(ts);
    expect(of(linked, jiraBen!)).toEqual([]);
    expect(of(linked, 'ben').filter(([item]) => item === 'PAY-3')).toHaveLength(2);

    // Erasing a person leaves no row of theirs (their acts stay, under the erased id).
    await ts.people.erase('ben');
    const erased = await expectExact(ts);
    expect(erased.filter((row) => row[3] === 'ben')).toEqual([]);
    expect(erased.length).toBe(linked.length);
    await ts.close();
  });

  it('counts its definition after streamed imports into an empty store, its indexes built after the rows', async () => {
    const ts = await createTeamState({
      database: `file:${join(dir, 'streamed.db')}`,
      clock,
      signals: builtinSignals,
      signalSettings: EVERY_ACT,
    });
    const write = (name: string, bundle: object) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(bundle));
      return file;
    };
    await ts.importFile(write('all.json', { ...org, workItems: items }));
    expect(await expectExact(ts)).toHaveLength(10);
    // Items written after their reviews and moves (a second file with the items alone changes nothing).
    await ts.importFile(write('again.json', { ...org, workItems: items.map((item) => ({ ...item, state: 'changed' })) }));
    expect(await expectExact(ts)).toHaveLength(10);
    await ts.close();
  });

  it('an upgraded database loses person_activity after its open, and person.after_hours finds the same before and after', async () => {
    const database = join(dir, 'upgraded.db');
    const now = new Date(at(7, 12));
    const thresholds = { 'person.after_hours': { minActivities: 1, share: 0 } };
    const ts = await createTeamState({ database, clock: () => now, signals: builtinSignals, signalSettings: { thresholds } });
    await ts.import({ ...org, workItems: items });
    const detect = async (state: TeamState) => {
      await state.signals.refresh({ full: true });
      return (
        await state.store.execute("SELECT subject_id, evidence FROM signals WHERE kind = 'person.after_hours' ORDER BY subject_id")
      ).rows.map((row) => ({ ...row }));
    };
    const found = await detect(ts);
    expect(found.map((row) => row.subject_id)).toEqual(['ana', 'ben', 'cy']);
    // As an upgrade leaves it until its batches have run: the table with rows, some of them wrong (a review by the
    // item's own author, an act of someone else's, a stale time): no reader reads them.
    await ts.store.write(async (tx) => {
      await tx.execute(`CREATE TABLE person_activity (workspace text NOT NULL, work_item_id text NOT NULL, source text NOT NULL,
        seq integer NOT NULL, person_id text NOT NULL, at integer NOT NULL, team_id text, repository_id text,
        PRIMARY KEY (workspace, work_item_id, source, seq, person_id)) WITHOUT ROWID`);
      await tx.execute(`INSERT INTO person_activity VALUES ('default', 'pr-acme/api-1', 'review', 1, 'ana', ${Date.parse(at(2, 21))}, NULL, 'acme/api'),
        ('default', 'pr-acme/api-1', 'opened', 0, 'cy', ${Date.parse(at(2, 3))}, NULL, NULL),
        ('default', 'PAY-1', 'move', 0, 'ben', ${Date.parse(at(6, 23))}, NULL, NULL)`);
    });
    expect(await detect(ts)).toEqual(found);
    // Its migration not applied yet: the next open drops its rows and the table.
    await ts.store.execute("DELETE FROM __teamstate_migrations WHERE tag LIKE '%_person_activity_drop'");
    await ts.close();
    const upgraded = await createTeamState({ database, clock: () => now, signals: builtinSignals, signalSettings: { thresholds } });
    expect(await detect(upgraded)).toEqual(found);
    await upgraded.close();
    const again = await createTeamState({ database, clock: () => now });
    expect((await again.store.execute("SELECT name FROM sqlite_master WHERE name LIKE 'person_activity%'")).rows).toEqual([]);
    await again.close();
  });
});
