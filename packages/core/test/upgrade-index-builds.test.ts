import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MigrationPart } from '../src/kernel/store/migrate.js';
import { applyMigrations } from '../src/kernel/store/migrate.js';
import { migrateDatabase, openStore } from '../src/kernel/store/open-store.js';
import { writeOnThread } from '../src/kernel/store/write-thread.js';
import { migrations } from '../src/migrations.js';

// A migration that narrows an index (a new partial one built, then the old one dropped) marks both statements
// `-- after open:`: the migration only registers them, and they run after it, each in its own write transaction, behind
// the store's reads (or in the foreground in `teamstate migrate`). A database written by the previous schema, with more
// items than one batch, opens at once and reads right before the new index exists, and has it once the background is
// done; a new database builds it inside its migration.

const NOW = Date.parse('2026-11-21T10:00:00Z');
const ITEMS = 6_000;
const TAG = '9999_sprint_narrow';
const NARROW: MigrationPart = {
  tag: TAG,
  owner: 'records',
  statements: [
    '-- after open: SELECT count(*) FROM `work_items`\nCREATE INDEX IF NOT EXISTS `work_items_sprint_set_idx` ON `work_items` (`workspace`,`sprint_id`,`id`) WHERE sprint_id IS NOT NULL;',
    '-- after open: SELECT count(*) FROM `work_items`\nDROP INDEX IF EXISTS `work_items_sprint_idx`;',
    // An index a reader names with INDEXED BY is replaced under its own name, in one transaction.
    '-- after open: SELECT count(*) FROM `work_items`\nDROP INDEX IF EXISTS `work_items_key_idx`;\nCREATE INDEX IF NOT EXISTS `work_items_key_idx` ON `work_items` (`workspace`,`key`) WHERE sprint_id IS NOT NULL;',
  ],
};
const BY_KEY =
  "SELECT count(*) AS n FROM work_items INDEXED BY work_items_key_idx WHERE workspace = 'default' AND key >= 'PAY-' AND sprint_id IS NOT NULL";
const upgraded = [...migrations, NARROW];
/** The progress of this migration's statements (a new database's earlier batched rewrites are finished at once). */
const builds = <T extends { tag: string }>(report: { backfills: T[] }): T[] => report.backfills.filter((backfill) => backfill.tag === TAG);
const SPRINT_ITEMS = "SELECT count(*) AS n FROM work_items WHERE workspace = 'default' AND sprint_id = 's-1'";

let dir: string;
const raw = (file: string): Client => createClient({ url: `file:${file}`, intMode: 'number' });
const indexes = async (client: Pick<Client, 'execute'>) =>
  (await client.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'work_items_sprint%' ORDER BY name")).rows.map(
    (row) => String(row.name),
  );

/** A file with every migration of this version and ITEMS items, a third of them in sprint s-1. */
async function previousSchema(name: string): Promise<string> {
  const file = join(dir, name);
  const client = raw(file);
  await applyMigrations(client, migrations, NOW);
  await client.execute(`INSERT INTO work_items (workspace, id, source, kind, key, title, state, sprint_id, created_at)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ITEMS})
    SELECT 'default', 'i-' || i, 'jira', 'story', 'PAY-' || i, 'Item ' || i, 'open', CASE WHEN i % 3 = 0 THEN 's-1' END, ${NOW} - i FROM n`);
  client.close();
  return file;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-index-builds-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an index build marked to run after the first open', () => {
  it('is only registered by the migration: reads use the old index, and the status shows it pending', async () => {
    const file = await previousSchema('registered.db');
    const report = await migrateDatabase({ database: file, migrations: upgraded, maxBatches: 0, now: () => NOW });
    expect(report.applied).toEqual([TAG]);
    expect(builds(report)).toEqual([
      { tag: TAG, ordinal: 0, done: 0, total: ITEMS, finished: false },
      { tag: TAG, ordinal: 1, done: 0, total: ITEMS, finished: false },
      { tag: TAG, ordinal: 2, done: 0, total: ITEMS, finished: false },
    ]);
    const client = raw(file);
    expect(await indexes(client)).toEqual(['work_items_sprint_idx']);
    expect(Number((await client.execute(SPRINT_ITEMS)).rows[0]?.n)).toBe(ITEMS / 3);
    expect(Number((await client.execute(BY_KEY)).rows[0]?.n)).toBe(ITEMS / 3);
    client.close();
    const status = await migrateDatabase({ database: file, migrations: upgraded, dryRun: true });
    expect(status.pending).toEqual([]);
    expect(builds(status).map((backfill) => backfill.finished)).toEqual([false, false, false]);
  });

  it('opens a database written by the previous schema at once, reads right, and builds the index behind the reads', async () => {
    const file = await previousSchema('opened.db');
    const store = await openStore({ database: file, migrations: upgraded, now: () => NOW });
    try {
      // Whether the build has run yet or not, the read is right.
      expect(Number((await store.execute(SPRINT_ITEMS)).rows[0]?.n)).toBe(ITEMS / 3);
      await vi.waitFor(
        async () => {
          const { rows } = await store.execute('SELECT count(*) AS n FROM __teamstate_backfills WHERE finished_at IS NULL');
          expect(Number(rows[0]?.n)).toBe(0);
        },
        { timeout: 60_000, interval: 20 },
      );
      expect(await indexes(store)).toEqual(['work_items_sprint_set_idx']);
      const plan = await store.execute(`EXPLAIN QUERY PLAN ${SPRINT_ITEMS}`);
      expect(plan.rows.map((row) => String(row.detail)).join('\n')).toContain('work_items_sprint_set_idx');
      expect(Number((await store.execute(SPRINT_ITEMS)).rows[0]?.n)).toBe(ITEMS / 3);
      expect(Number((await store.execute(BY_KEY)).rows[0]?.n)).toBe(ITEMS / 3);
    } finally {
      await store.close();
    }
    const status = await migrateDatabase({ database: file, migrations: upgraded, dryRun: true });
    expect(builds(status)).toEqual([
      { tag: TAG, ordinal: 0, done: ITEMS, total: ITEMS, finished: true },
      { tag: TAG, ordinal: 1, done: ITEMS, total: ITEMS, finished: true },
      { tag: TAG, ordinal: 2, done: ITEMS, total: ITEMS, finished: true },
    ]);
  }, 90_000);

  it('runs in the foreground in `teamstate migrate`, and a second run finds nothing left', async () => {
    const file = await previousSchema('migrated.db');
    const first = await migrateDatabase({ database: file, migrations: upgraded, maxBatches: 1, now: () => NOW });
    expect(builds(first).map((backfill) => backfill.finished)).toEqual([true, false, false]);
    const client = raw(file);
    // Between the two steps both indexes exist: the new one is built, the old one not dropped yet.
    expect(await indexes(client)).toEqual(['work_items_sprint_idx', 'work_items_sprint_set_idx']);
    const second = await migrateDatabase({ database: file, migrations: upgraded, maxBatches: 1, now: () => NOW });
    expect(builds(second).map((backfill) => backfill.finished)).toEqual([true, true, false]);
    expect(await indexes(client)).toEqual(['work_items_sprint_set_idx']);
    const keyIndex = "SELECT sql FROM sqlite_master WHERE name = 'work_items_key_idx'";
    expect(String((await client.execute(keyIndex)).rows[0]?.sql)).not.toContain('WHERE');
    const rest = await migrateDatabase({ database: file, migrations: upgraded, now: () => NOW });
    expect(builds(rest).map((backfill) => backfill.finished)).toEqual([true, true, true]);
    expect(String((await client.execute(keyIndex)).rows[0]?.sql)).toContain('WHERE sprint_id IS NOT NULL');
    expect(Number((await client.execute(BY_KEY)).rows[0]?.n)).toBe(ITEMS / 3);
    client.close();
    const again = await migrateDatabase({ database: file, migrations: upgraded, now: () => NOW });
    expect([again.applied, builds(again).map((backfill) => backfill.done)]).toEqual([[], [ITEMS, ITEMS, ITEMS]]);
  });

  it('is built on a thread only while its record says it is unfinished: one another process built is left alone', async () => {
    const file = await previousSchema('guarded.db');
    await migrateDatabase({ database: file, migrations: upgraded, maxBatches: 0, now: () => NOW });
    const build = { sql: NARROW.statements[0]! };
    const unfinished = { sql: 'SELECT 1 FROM __teamstate_backfills WHERE tag = ? AND ordinal = ? AND finished_at IS NULL', args: [TAG, 0] };
    const client = raw(file);
    await client.execute({ sql: 'UPDATE __teamstate_backfills SET finished_at = ? WHERE tag = ? AND ordinal = 0', args: [NOW, TAG] });
    await writeOnThread(file, 5_000, [build], unfinished);
    expect(await indexes(client)).toEqual(['work_items_sprint_idx']);
    await client.execute({ sql: 'UPDATE __teamstate_backfills SET finished_at = NULL WHERE tag = ? AND ordinal = 0', args: [TAG] });
    await writeOnThread(file, 5_000, [build], unfinished);
    expect(await indexes(client)).toEqual(['work_items_sprint_idx', 'work_items_sprint_set_idx']);
    // A failing statement rolls the whole transaction back and rejects with its error.
    await expect(
      writeOnThread(file, 5_000, [{ sql: 'DROP INDEX work_items_sprint_set_idx' }, { sql: 'SELECT * FROM nowhere' }]),
    ).rejects.toThrow(/no such table: nowhere/);
    expect(await indexes(client)).toEqual(['work_items_sprint_idx', 'work_items_sprint_set_idx']);
    client.close();
  });

  it('is built inside the migration of a new database, which has no rows to read', async () => {
    const store = await openStore({ database: ':memory:', migrations: upgraded, now: () => NOW });
    try {
      expect(await indexes(store)).toEqual(['work_items_sprint_set_idx']);
      const { rows } = await store.execute('SELECT count(*) AS n FROM __teamstate_backfills WHERE finished_at IS NULL');
      expect(Number(rows[0]?.n)).toBe(0);
    } finally {
      await store.close();
    }
  });
});
