import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamState, migrateDatabase } from '../src/index.js';
import { UPGRADE_NOW, upgradeFixture } from './fixtures/upgrade-world.js';
import { loadDump, rowCounts, schemaOf } from './helpers/sql-dump.js';

// A database written by an earlier teamstate (fixtures/teamstate-0057.sql, from fixtures/upgrade-world.ts) opened by
// this one: it must find nothing to apply that it had, lose no row, and read as it did.

const journalTags = (
  JSON.parse(readFileSync(new URL('../drizzle/meta/_journal.json', import.meta.url), 'utf8')) as { entries: { tag: string }[] }
).entries.map((entry) => entry.tag);

let dir: string;
let fixtureTags: string[];
let fixtureCounts: Record<string, number>;
let fixtureMoves: number;

/** A raw client on a database file of the test. */
const raw = (file: string): Client => createClient({ url: `file:${file}`, intMode: 'number' });

/** The fixture, loaded into a new file: its path. */
async function loadFixture(name: string): Promise<string> {
  const file = join(dir, name);
  const client = raw(file);
  await loadDump(client, readFileSync(upgradeFixture.dump, 'utf8'));
  client.close();
  return file;
}

const tagsOf = async (client: Client) =>
  (await client.execute('SELECT tag FROM __teamstate_migrations ORDER BY tag')).rows.map((row) => String(row.tag));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-upgrade-'));
  const client = raw(await loadFixture('fixture.db'));
  fixtureTags = await tagsOf(client);
  fixtureCounts = await rowCounts(client);
  fixtureMoves = Number((await client.execute("SELECT count(*) FROM person_activity WHERE source = 'move'")).rows[0]?.[0]);
  client.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a database written by an earlier teamstate', () => {
  it('holds migrations this version carries, in the journal order', () => {
    expect(fixtureTags.length).toBeGreaterThan(0);
    expect(journalTags.slice(0, fixtureTags.length)).toEqual(fixtureTags);
  });

  it('opens: nothing pending afterwards, every row still there, the ledger verifies, the same export', async () => {
    const file = await loadFixture('upgraded.db');
    const ts = await createTeamState({ database: file, clock: () => new Date(UPGRADE_NOW) });
    expect(await ts.audit.verify()).toMatchObject({ ok: true, entries: 4 });
    // The same export, plus the bundle sections added since the fixture was written, each empty.
    const exported: Record<string, unknown> = JSON.parse(JSON.stringify(await ts.export()));
    const before: Record<string, unknown> = JSON.parse(readFileSync(upgradeFixture.export, 'utf8'));
    const added = Object.keys(exported).filter((section) => !(section in before));
    expect(exported).toEqual({ ...before, ...Object.fromEntries(added.map((section) => [section, []])) });
    const [approval] = await ts.approvals.list();
    expect(approval).toMatchObject({ type: 'test.pr.merge', status: 'executed', decidedBy: 'ana', requestedBy: 'bot' });
    await ts.close();

    const report = await migrateDatabase({ database: file, dryRun: true });
    expect(report).toMatchObject({ database: `file:${file}`, applied: [], pending: [] });
    // A database this small has its batched rewrites done as it opens.
    expect(report.backfills.every((backfill) => backfill.finished)).toBe(true);
    const client = raw(file);
    expect(await tagsOf(client)).toEqual([...journalTags].sort());
    const counts = await rowCounts(client);
    // Every row is still there; the migrations table gains the rows of migrations newer than the fixture (checked above),
    // and person_activity is gone, rows, indexes and table (its readers read work_items and reviews instead).
    expect(fixtureMoves).toBeGreaterThan(0);
    for (const [table, count] of Object.entries(fixtureCounts))
      if (table !== '__teamstate_migrations')
        expect([table, counts[table]]).toEqual([table, table === 'person_activity' ? undefined : count]);
    const leftover = await client.execute(
      "SELECT name FROM sqlite_master WHERE name LIKE 'person_activity%' OR tbl_name = 'person_activity'",
    );
    expect(leftover.rows).toEqual([]);
    const { rows: items } = await client.execute('SELECT id, first_review_at, first_in_progress_at FROM work_items ORDER BY id');
    expect(items.map((row) => [row.id, row.first_review_at, row.first_in_progress_at])).toEqual([
      ['PAY-1', null, Date.parse('2026-03-02T09:00:00Z')],
      ['PAY-2', null, Date.parse('2026-03-06T09:00:00Z')],
      ['pr-1', Date.parse('2026-03-02T15:00:00Z'), null],
      ['pr-2', Date.parse('2026-03-05T12:00:00Z'), null],
    ]);
    const { rows: audit } = await client.execute('SELECT seq, type, actor FROM audit_events ORDER BY seq');
    expect(audit.map((row) => [row.seq, row.type, row.actor])).toEqual([
      [1, 'approval.proposed', 'bot'],
      [2, 'approval.decided', 'ana'],
      [3, 'approval.executing', 'system'],
      [4, 'approval.executed', 'system'],
    ]);
    const { rows: found } = await client.execute(
      "SELECT r.id FROM reports_fts JOIN reports r ON r.doc_id = reports_fts.rowid WHERE reports_fts MATCH 'finance'",
    );
    expect(found.map((row) => row.id)).toEqual(['r-2']);
    client.close();
  });

  it('has the schema a new database gets, and the same migration tags', async () => {
    const upgraded = await loadFixture('compared.db');
    const fresh = join(dir, 'fresh.db');
    for (const database of [upgraded, fresh]) await (await createTeamState({ database, clock: () => new Date(UPGRADE_NOW) })).close();
    const [a, b] = [raw(upgraded), raw(fresh)];
    expect(await schemaOf(b)).toEqual(await schemaOf(a));
    expect(await tagsOf(b)).toEqual(await tagsOf(a));
    expect(await tagsOf(b)).toEqual([...journalTags].sort());
    a.close();
    b.close();
  });
});
