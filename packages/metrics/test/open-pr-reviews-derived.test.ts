// `open_pr_reviews` is derived on write (migration 0043): SQL triggers on reviews and work_items keep it equal to its
// definition, the reviews of the pull requests that are open now, whatever the writer: bundle import, streamed import
// into an empty store (filled after the rows), connector sync, webhook removals, a linked account, an erased person.
// The open-PR detectors (pr.awaiting_review, pr.stale, pr.changes_requested_idle, person.overloaded) read an open PR's
// reviews from it instead of from every review of every PR.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, type TeamState, type WebhookOutcome } from '@teamstate/core';
import { testConnector } from '@teamstate/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinSignals } from '../src/index.js';
import { at, issue, pullRequest } from './fixtures.js';
import { deliverEvent, webhookOutcomes } from './helpers/webhook-outcomes.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-open-pr-reviews-'));
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
const items = [
  // Merged: none of its reviews is an open PR's.
  pullRequest(1, {
    createdAt: at(2, 10),
    mergedAt: at(3, 23),
    reviews: [
      { reviewer: 'ben', state: 'commented', submittedAt: at(2, 20) },
      { reviewer: 'ben', state: 'approved', submittedAt: at(3, 8) },
    ],
  }),
  // Open, reviewed twice by ben (changes asked, then a comment) and once by its author.
  pullRequest(2, {
    createdAt: at(5, 7),
    author: 'cy',
    reviews: [
      { reviewer: 'ben', state: 'changes_requested', submittedAt: at(5, 9) },
      { reviewer: 'cy', state: 'commented', submittedAt: at(5, 10) },
      { reviewer: 'ben', state: 'commented', submittedAt: at(5, 12) },
    ],
  }),
  // Open, a draft, reviewed by ana.
  pullRequest(3, {
    createdAt: at(6, 1),
    author: 'ben',
    draft: true,
    reviews: [{ reviewer: 'ana', state: 'approved', submittedAt: at(6, 2) }],
  }),
  // Open, no review yet.
  pullRequest(4, { createdAt: at(6, 3) }),
  // Closed without a merge.
  pullRequest(5, { createdAt: at(1, 3), state: 'closed', reviews: [{ reviewer: 'cy', state: 'approved', submittedAt: at(1, 5) }] }),
  issue(1, { createdAt: at(1), assignees: ['ana'] }),
];

type Row = [workspace: string, item: string, seq: number, reviewer: string, state: string, submitted: number];

const row = (r: Record<string, unknown>): Row => [
  String(r.workspace),
  String(r.work_item_id),
  Number(r.seq),
  String(r.reviewer_id),
  String(r.state),
  Number(r.submitted_at),
];

/** The stored rows. */
async function stored(ts: TeamState): Promise<Row[]> {
  const { rows } = await ts.store.execute(
    'SELECT workspace, work_item_id, seq, reviewer_id, state, submitted_at FROM open_pr_reviews ORDER BY workspace, work_item_id, seq',
  );
  return rows.map(row);
}

/** The same rows from scratch, by the table's definition: every review of a pull request whose state is open. */
async function fromScratch(ts: TeamState): Promise<Row[]> {
  const { rows } = await ts.store.execute(`SELECT r.workspace, r.work_item_id, r.seq, r.reviewer_id, r.state, r.submitted_at
    FROM reviews r JOIN work_items w ON w.workspace = r.workspace AND w.id = r.work_item_id
    WHERE w.kind = 'pull_request' AND w.state = 'open' ORDER BY r.workspace, r.work_item_id, r.seq`);
  return rows.map(row);
}

/** Stored and from-scratch rows agree; returns them. */
async function expectExact(ts: TeamState): Promise<Row[]> {
  const expected = await fromScratch(ts);
  expect(await stored(ts)).toEqual(expected);
  return expected;
}

/** The rows as [item, reviewer, state]. */
const brief = (rows: Row[]) => rows.map(([, item, , reviewer, state]) => [item, reviewer, state]);

const removals: Record<string, WebhookOutcome> = { 'drop-pr': { records: {}, remove: { workItems: ['pr-acme/api-3'] } } };

describe('open_pr_reviews, derived on every write', () => {
  it('equals its definition after each kind of write', async () => {
    const sync = testConnector({
      id: 'sync',
      // A sync: PR 2 merged; PR 4 gets a review; PR 1 reopened.
      batches: [
        {
          workItems: [
            { ...items[1]!, mergedAt: at(7, 3), state: 'merged' },
            { ...items[3]!, reviews: [{ reviewer: 'cy', state: 'changes_requested', submittedAt: at(7, 4) }] },
            { ...items[0]!, mergedAt: undefined, state: 'open' },
          ],
        },
      ],
    });
    const ts = await createTeamState({ database: ':memory:', connectors: [webhookOutcomes(removals), sync] });
    await ts.import({ ...org, workItems: items });
    const first = await expectExact(ts);
    expect(brief(first)).toEqual([
      ['pr-acme/api-2', 'ben', 'changes_requested'],
      ['pr-acme/api-2', 'cy', 'commented'],
      ['pr-acme/api-2', 'ben', 'commented'],
      ['pr-acme/api-3', 'ana', 'approved'],
    ]);

    // The same again, renamed: no row changes.
    await ts.import({ ...org, workItems: items.map((item) => ({ ...item, title: `${item.title} (renamed)` })) });
    expect(await expectExact(ts)).toEqual(first);

    // PR 2 merged: its reviews go. Reopened: they come back.
    await ts.import({ ...org, workItems: [{ ...items[1]!, state: 'merged', mergedAt: at(6, 9) }] });
    expect(brief(await expectExact(ts))).toEqual([['pr-acme/api-3', 'ana', 'approved']]);
    await ts.import({ ...org, workItems: [items[1]!] });
    expect(await expectExact(ts)).toEqual(first);

    // A review's state and time changed, one taken away, one added: PR 2's reviews as now written.
    const [asked, , commented] = items[1]!.reviews!;
    await ts.import({
      ...org,
      workItems: [
        {
          ...items[1]!,
          reviews: [
            { ...asked!, state: 'approved', submittedAt: at(5, 11) },
            commented!,
            { reviewer: 'ana', state: 'commented', submittedAt: at(5, 13) },
          ],
        },
      ],
    });
    expect(brief((await expectExact(ts)).filter(([, item]) => item === 'pr-acme/api-2'))).toEqual([
      ['pr-acme/api-2', 'ben', 'approved'],
      ['pr-acme/api-2', 'ben', 'commented'],
      ['pr-acme/api-2', 'ana', 'commented'],
    ]);

    // A pull request that becomes something else (and back) takes its reviews with it.
    await ts.import({ ...org, workItems: [{ ...items[2]!, kind: 'story' }] });
    expect((await expectExact(ts)).filter(([, item]) => item === 'pr-acme/api-3')).toEqual([]);
    await ts.import({ ...org, workItems: [items[2]!] });
    expect((await expectExact(ts)).filter(([, item]) => item === 'pr-acme/api-3')).toHaveLength(1);

    // A connector sync: PR 2 merged, PR 4 reviewed, PR 1 reopened with its two reviews.
    expect(await ts.sync({ only: ['sync'] })).toMatchObject({ ok: true });
    expect(brief(await expectExact(ts))).toEqual([
      ['pr-acme/api-1', 'ben', 'commented'],
      ['pr-acme/api-1', 'ben', 'approved'],
      ['pr-acme/api-3', 'ana', 'approved'],
      ['pr-acme/api-4', 'cy', 'changes_requested'],
    ]);

    // A webhook removes an open pull request: its rows go with it.
    await deliverEvent(ts, 'drop-pr');
    expect((await expectExact(ts)).filter(([, item]) => item === 'pr-acme/api-3')).toEqual([]);

    // A GitHub account linked to ana after its review was written under a person of its own: the row follows.
    const [githubAna] = await ts.resolvePeople([{ provider: 'github', id: '4711', login: 'ana-gh', name: 'Ana G.' }]);
    await ts.import({
      ...org,
      workItems: [{ ...items[3]!, reviews: [{ reviewer: githubAna!, state: 'commented', submittedAt: at(8, 1) }] }],
    });
    expect(brief((await expectExact(ts)).filter(([, item]) => item === 'pr-acme/api-4'))).toEqual([
      ['pr-acme/api-4', githubAna!, 'commented'],
    ]);
    await ts.linkAccount({ provider: 'github', id: '4711' }, 'ana');
    expect(brief((await expectExact(ts)).filter(([, item]) => item === 'pr-acme/api-4'))).toEqual([['pr-acme/api-4', 'ana', 'commented']]);

    // Erasing a person leaves no row of theirs (their reviews stay, under the erased id).
    const before = await expectExact(ts);
    await ts.people.erase('ben');
    const erased = await expectExact(ts);
    expect(erased.filter((r) => r[3] === 'ben')).toEqual([]);
    expect(erased).toHaveLength(before.length);
    await ts.close();
  });

  it('equals its definition after streamed imports into an empty store, filled after the rows', async () => {
    const ts = await createTeamState({ database: `file:${join(dir, 'streamed.db')}` });
    const write = (name: string, bundle: object) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(bundle));
      return file;
    };
    await ts.importFile(write('all.json', { ...org, workItems: items }));
    expect(await expectExact(ts)).toHaveLength(4);
    const { rows } = await ts.store.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'open_pr_reviews_%'");
    expect(rows).toHaveLength(6);
    // The pull requests written again after their reviews, every one merged: nothing is left.
    await ts.importFile(
      write('merged.json', {
        ...org,
        workItems: items.map((item) => (item.kind === 'pull_request' ? { ...item, state: 'merged', mergedAt: at(9) } : item)),
      }),
    );
    expect(await expectExact(ts)).toEqual([]);
    await ts.close();
  });

  it('a database migrated from before 0043 gets its rows backfilled, and the open-PR detectors find the same', async () => {
    const database = join(dir, 'migrated.db');
    const now = new Date(at(9, 12));
    const ts = await createTeamState({ database, clock: () => now, signals: builtinSignals });
    // And one whose latest review asks for changes, left so since.
    const asked = pullRequest(6, {
      createdAt: at(6, 4),
      reviews: [{ reviewer: 'ben', state: 'changes_requested', submittedAt: at(6, 5) }],
    });
    await ts.import({ ...org, workItems: [...items, asked] });
    const rows = await expectExact(ts);
    const kinds = ['pr.awaiting_review', 'pr.stale', 'pr.changes_requested_idle', 'person.overloaded'];
    const thresholds = {
      'person.overloaded': { limit: 0 },
      'pr.awaiting_review': { hours: 0 },
      'pr.stale': { days: 0 },
      'pr.changes_requested_idle': { hours: 0 },
    };
    const detect = async () => {
      const state = await createTeamState({ database, clock: () => now, signals: builtinSignals, signalSettings: { thresholds } });
      await state.signals.refresh({ full: true });
      const { rows: found } = await state.store.execute(
        'SELECT kind, subject_id, title, evidence FROM signals WHERE kind IN (SELECT value FROM json_each(?)) ORDER BY kind, subject_id',
        [JSON.stringify(kinds)],
      );
      await state.close();
      return found.map((r) => ({ ...r }));
    };
    const found = await detect();
    // Each of the four finds something here, so that the same after the migration says something.
    expect(new Set(found.map((r) => r.kind))).toEqual(new Set(kinds));
    // Back to before the migration: no table, no triggers, the migration not applied.
    const { rows: triggers } = await ts.store.execute(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'open_pr_reviews_%'",
    );
    expect(triggers).toHaveLength(6);
    await ts.store.write(async (tx) => {
      for (const trigger of triggers) await tx.execute(`DROP TRIGGER ${String(trigger.name)}`);
      await tx.execute('DROP TABLE open_pr_reviews');
      await tx.execute(`DELETE FROM __teamstate_migrations WHERE tag = '0043_open_pr_reviews'`);
    });
    await ts.close();
    const migrated = await createTeamState({ database, clock: () => now });
    expect(await expectExact(migrated)).toEqual(rows);
    await migrated.close();
    expect(await detect()).toEqual(found);
  });
});
