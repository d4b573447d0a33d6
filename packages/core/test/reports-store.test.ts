import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/kernel/store/open-store.js';
import { migrations } from '../src/migrations.js';

// The reports tables (issue 18): a report per person and day, the earlier texts of a re-submitted day, and an
// FTS5 index kept in step with `reports` by triggers, so every write path (submit, import, retention) updates it.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-reports-store-'));
let store: Store;
beforeAll(async () => {
  store = await openStore({ database: join(dir, 'teamstate.db'), now: () => 0, migrations });
  await store.execute("INSERT INTO people (workspace, id, name) VALUES ('w', 'ana', 'Ana')");
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (id: string, docId: number, day: string, text: string, blockers: string | null) =>
  store.execute(
    `INSERT INTO reports (workspace, id, doc_id, person_id, day, text, blockers, source, created_at, updated_at)
     VALUES ('w', ?, ?, 'ana', ?, ?, ?, 'api', 1, 1)`,
    [id, docId, day, text, blockers],
  );
const search = async (match: string) =>
  (
    await store.execute(
      `SELECT r.id FROM reports_fts JOIN reports r ON r.doc_id = reports_fts.rowid
       WHERE reports_fts MATCH ? AND r.workspace = 'w' ORDER BY bm25(reports_fts), r.id`,
      [match],
    )
  ).rows.map((row) => String(row.id));

describe('reports store (issue 18)', () => {
  it('has a time zone per person, reports unique per person and day, and revisions', async () => {
    await store.execute("UPDATE people SET time_zone = 'Europe/Berlin' WHERE workspace = 'w' AND id = 'ana'");
    await insert('rep_1', 1, '2026-03-02', 'Fixed the retry_backoff bug; deploying payments tomorrow', 'waiting on the vendor sandbox');
    await expect(insert('rep_2', 2, '2026-03-02', 'again', null)).rejects.toThrow(/UNIQUE/);
    await store.execute(
      `INSERT INTO report_revisions (workspace, report_id, seq, text, blockers, source, created_at, replaced_at)
       VALUES ('w', 'rep_1', 1, 'first draft', NULL, 'cli', 1, 2)`,
    );
    expect((await store.execute("SELECT time_zone FROM people WHERE id = 'ana'")).rows[0]!.time_zone).toBe('Europe/Berlin');
  });

  it('indexes text and blockers for full-text search, snake_case identifiers whole, English words stemmed', async () => {
    await insert('rep_3', 3, '2026-03-03', 'Reviewed the ledger PRs', null);
    expect(await search('"retry_backoff"')).toEqual(['rep_1']);
    expect(await search('"deploy"')).toEqual(['rep_1']);
    expect(await search('"vendor" "sandbox"')).toEqual(['rep_1']);
    expect(await search('"review"')).toEqual(['rep_3']);
  });

  it('keeps the index in step when a report is updated or deleted', async () => {
    await store.execute("UPDATE reports SET text = 'Paired on the flaky_test runner', blockers = NULL WHERE id = 'rep_1'");
    expect(await search('"retry_backoff"')).toEqual([]);
    expect(await search('"sandbox"')).toEqual([]);
    expect(await search('"flaky_test"')).toEqual(['rep_1']);
    await store.execute("DELETE FROM reports WHERE id = 'rep_1'");
    expect(await search('"flaky_test"')).toEqual([]);
    expect(await search('"review"')).toEqual(['rep_3']);
  });
});
