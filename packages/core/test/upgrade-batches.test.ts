import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamState, migrateDatabase } from '../src/index.js';
import { applyMigrations } from '../src/kernel/store/migrate.js';
import { migrations } from '../src/migrations.js';

// A database written by the teamstate before the storage diet (every migration up to 0062_pulse_alerts), large enough
// that the diet's backfill takes several batches: it upgrades a batch at a time, each batch its own transaction, the
// database answers reads and takes writes between them, and the migration report says how far it has got.

const BEFORE = '0062_pulse_alerts';
const NOW = Date.parse('2026-11-21T10:00:00Z');
const PULL_REQUESTS = 1_500;
const OLD_KEY = JSON.stringify([
  ['production', 'prod'],
  ['hotfix', 'revert', 'incident'],
]);

let dir: string;
let file: string;
const raw = (): Client => createClient({ url: `file:${file}`, intMode: 'number' });
const count = async (client: Client, sql: string) => Number((await client.execute(sql)).rows[0]?.[0]);
const NARROWED = '0064_person_activity_narrow';
/** The index builds of 0069, run after the rewrite (`-- after open:`). */
const INDEXES = '0069_work_items_narrow';
const of = <T extends { tag: string }>(tag: string, backfills: T[]) => backfills.filter((backfill) => backfill.tag === tag);
/** The deletion of stored moves (migration 0070): this database has no issues, so nothing to delete, finished at once. */
const NO_MOVES = { tag: '0070_person_activity_moves', ordinal: 0, done: 0, total: 0, finished: true };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-upgrade-batches-'));
  file = join(dir, 'before.db');
  const client = raw();
  await applyMigrations(
    client,
    migrations.filter((part) => part.tag <= BEFORE),
    NOW,
  );
  // Pull requests with their team and repository, opened and merged by one author: each writes two person_activity
  // rows (its triggers), which carry the team and repository in this schema; every tenth has a review by someone else.
  await client.execute(`INSERT INTO work_items (workspace, id, source, kind, key, title, state, team_id, repository_id, author_id, created_at, merged_at)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${PULL_REQUESTS})
    SELECT 'default', 'pr-' || i, 'github', 'pull_request', 'acme/api#' || i, 'Change ' || i, 'merged', 'payments', 'acme/api', 'ana',
      ${NOW} - i * 60000, ${NOW} - i * 30000 FROM n`);
  await client.execute(`INSERT INTO reviews (workspace, work_item_id, seq, reviewer_id, state, submitted_at)
    SELECT 'default', id, 0, 'ben', 'approved', created_at + 1000 FROM work_items WHERE CAST(substr(id, 4) AS INTEGER) % 10 = 0`);
  // Derived delivery rows under the settings' JSON, the key of that schema.
  await client.execute({
    sql: `INSERT INTO pull_request_deployments (workspace, settings, work_item_id, repository_id, deployment_id, finished_at, merged_at, started_at, listed)
      SELECT 'default', ?, id, 'acme/api', 'd-1', merged_at + 1, merged_at, created_at, 0 FROM work_items`,
    args: [OLD_KEY],
  });
  await client.execute({ sql: "INSERT INTO deployment_mapping_keys (workspace, settings) VALUES ('default', ?)", args: [OLD_KEY] });
  client.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('upgrading a database written before the storage diet', () => {
  it('rewrites person_activity in batches, readable and writable between them, and reports how far it has got', async () => {
    const client = raw();
    const teamed = "SELECT count(*) FROM person_activity WHERE source <> 'review' AND team_id IS NOT NULL";
    const rows = await count(client, teamed);
    expect(rows).toBe(PULL_REQUESTS * 2);

    const first = await migrateDatabase({ database: file, batchRows: 1_000, maxBatches: 1, now: () => NOW });
    // Later migrations (index drops, nothing to backfill) follow these two.
    expect(first.applied.slice(0, 2)).toEqual(['0063_delivery_settings_digest', NARROWED]);
    expect(of(NARROWED, first.backfills)).toEqual([{ tag: NARROWED, ordinal: 0, done: 1_000, total: rows, finished: false }]);
    expect(of(NO_MOVES.tag, first.backfills)).toEqual([NO_MOVES]);
    // The index builds wait for it, each 0 of the table's rows until built.
    expect(of(INDEXES, first.backfills).map((backfill) => [backfill.done, backfill.total, backfill.finished])).toEqual(
      Array(4).fill([0, PULL_REQUESTS, false]),
    );

    // Between batches another connection reads and writes: a new pull request writes no activity row (the upgrade
    // dropped the triggers: person_activity goes after the open, its readers read work_items and reviews).
    expect(await count(client, teamed)).toBe(rows - 1_000);
    await client.execute(`INSERT INTO work_items (workspace, id, source, kind, key, title, state, team_id, repository_id, author_id, created_at)
      VALUES ('default', 'pr-new', 'github', 'pull_request', 'acme/api#new', 'New', 'open', 'payments', 'acme/api', 'ana', ${NOW})`);
    expect(await count(client, "SELECT count(*) FROM person_activity WHERE work_item_id = 'pr-new'")).toBe(0);

    const status = await migrateDatabase({ database: file, dryRun: true });
    expect(status.pending).toEqual([]);
    expect(status.recorded).toEqual(expect.arrayContaining(['0063_delivery_settings_digest', NARROWED]));
    expect(of(NARROWED, status.backfills)).toEqual([{ tag: NARROWED, ordinal: 0, done: 1_000, total: rows, finished: false }]);

    const second = await migrateDatabase({ database: file, batchRows: 1_000, maxBatches: 1, now: () => NOW });
    expect(second.applied).toEqual([]);
    expect(second.backfills[0]).toMatchObject({ done: 2_000, finished: false });

    // Opened mid-way, the store answers at once (the rest is written behind it) and closes cleanly.
    const ts = await createTeamState({ database: file, clock: () => new Date(NOW) });
    expect((await ts.export()).workItems).toHaveLength(PULL_REQUESTS + 1);
    await ts.close();

    const last = await migrateDatabase({ database: file, now: () => NOW });
    expect(of(NARROWED, last.backfills)).toEqual([{ tag: NARROWED, ordinal: 0, done: rows, total: rows, finished: true }]);
    expect(of(NO_MOVES.tag, last.backfills)).toEqual([NO_MOVES]);
    expect(of(INDEXES, last.backfills).every((backfill) => backfill.finished && backfill.done === PULL_REQUESTS)).toBe(true);
    // Then person_activity's rows and the table itself go, after the rewrite.
    const dropped = last.backfills.filter((backfill) => backfill.tag.endsWith('_person_activity_drop'));
    expect(dropped.length).toBe(3);
    expect(dropped.every((backfill) => backfill.finished)).toBe(true);
    expect(await count(client, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'person_activity%'")).toBe(0);
    client.close();
  });

  it('drops the delivery rows kept under the settings JSON: the next metric read builds them under the short key', async () => {
    const client = raw();
    expect(await count(client, 'SELECT count(*) FROM pull_request_deployments')).toBe(0);
    expect(await count(client, 'SELECT count(*) FROM deployment_mapping_keys')).toBe(0);
    client.close();
  });
});
