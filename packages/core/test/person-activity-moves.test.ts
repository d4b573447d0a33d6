// ts.allocation() reads each person's moves from transitions and work_item_assignees (no person_activity table is
// kept), and reads none of the rows an upgraded database holds until they are deleted. An upgrade deletes them in
// batches after the open, each its own transaction, and reports how far it has got; then the table goes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import { createTeamState, migrateDatabase } from '../src/index.js';
import { applyMigrations } from '../src/kernel/store/migrate.js';
import { migrations } from '../src/migrations.js';
import { FROM, plantedEffort, TEAM, TO } from './fixtures/planted-effort.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const MOVES = '0070_person_activity_moves';
const STORED_MOVES = `INSERT INTO person_activity (workspace, work_item_id, source, seq, person_id, at)
  SELECT t.workspace, t.work_item_id, 'move', t.seq, a.person_id, t.at FROM transitions t
    JOIN work_items i ON i.workspace = t.workspace AND i.id = t.work_item_id
    JOIN work_item_assignees a ON a.workspace = t.workspace AND a.work_item_id = t.work_item_id
  WHERE i.kind <> 'pull_request'`;

const dir = mkdtempSync(join(tmpdir(), 'teamstate-activity-moves-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const count = async (client: Pick<Client, 'execute'>, sql: string) => Number((await client.execute(sql)).rows[0]?.[0]);

describe('moves of issues, read from transitions and assignees instead of person_activity', () => {
  it('stores no activity table, and ts.allocation() answers the same with or without the rows an upgrade leaves', async () => {
    const planted = plantedEffort(7, 6, 0.8);
    const ts = await createTeamState({ database: ':memory:', clock: () => new Date(NOW) });
    await ts.import(planted.bundle);
    expect(await count(ts.store, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'person_activity%'")).toBe(0);
    const answer = await ts.allocation({ team: TEAM, from: FROM, to: TO, by: 'week' });
    // The planted days are mostly moves of issues: every one counted.
    expect(Math.abs(answer.teams[0]!.fte - planted.activeDays / planted.weekdays) / (planted.activeDays / planted.weekdays)).toBeLessThan(
      0.05,
    );

    await ts.store.execute(`CREATE TABLE person_activity (workspace text NOT NULL, work_item_id text NOT NULL, source text NOT NULL,
      seq integer NOT NULL, person_id text NOT NULL, at integer NOT NULL, PRIMARY KEY (workspace, work_item_id, source, seq, person_id))`);
    await ts.store.execute(STORED_MOVES);
    expect(await count(ts.store, "SELECT count(*) FROM person_activity WHERE source = 'move'")).toBeGreaterThan(100);
    expect(await ts.allocation({ team: TEAM, from: FROM, to: TO, by: 'week' })).toEqual(answer);
    await ts.close();
  });

  it('deletes the stored moves of an upgraded database in batches, readable and writable between them', async () => {
    const file = join(dir, 'before.db');
    const client = createClient({ url: `file:${file}`, intMode: 'number' });
    await applyMigrations(
      client,
      migrations.filter((part) => part.tag < MOVES),
      NOW,
    );
    // 300 issues assigned to ana with 4 moves each: their triggers store 1,200 move rows in this schema.
    await client.execute(`INSERT INTO work_items (workspace, id, source, kind, key, title, state, team_id, created_at)
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
      SELECT 'default', 'PAY-' || i, 'jira', 'story', 'PAY-' || i, 'Story ' || i, 'Done', 'payments', ${NOW} - i * 60000 FROM n`);
    await client.execute(
      "INSERT INTO work_item_assignees (workspace, work_item_id, person_id) SELECT workspace, id, 'ana' FROM work_items",
    );
    await client.execute(`INSERT INTO transitions (workspace, work_item_id, seq, at, to_status, to_category)
      WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 3)
      SELECT w.workspace, w.id, s.k, w.created_at + s.k * 1000, 'Step', 'in_progress' FROM work_items w CROSS JOIN s`);
    const moves = "SELECT count(*) FROM person_activity WHERE source = 'move'";
    expect(await count(client, moves)).toBe(1_200);

    const first = await migrateDatabase({ database: file, batchRows: 500, maxBatches: 1, now: () => NOW });
    expect(first.applied).toContain(MOVES);
    expect(first.backfills.find((b) => b.tag === MOVES)).toEqual({ tag: MOVES, ordinal: 0, done: 500, total: 1_200, finished: false });
    expect(await count(client, moves)).toBe(700);
    // Between batches a new move is written: nothing is stored for it.
    await client.execute(
      `INSERT INTO transitions (workspace, work_item_id, seq, at, to_status, to_category) VALUES ('default', 'PAY-1', 4, ${NOW}, 'Done', 'done')`,
    );
    expect(await count(client, moves)).toBe(700);

    const last = await migrateDatabase({ database: file, batchRows: 500, now: () => NOW });
    expect(last.backfills.find((b) => b.tag === MOVES)).toEqual({ tag: MOVES, ordinal: 0, done: 1_200, total: 1_200, finished: true });
    expect(await count(client, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'person_activity%'")).toBe(0);
    expect(await count(client, 'SELECT count(*) FROM transitions')).toBe(1_201);
    client.close();
  });
});
