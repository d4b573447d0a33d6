import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peekDatabase } from '../src/kernel/store/peek-database.js';
import { createTeamState } from '../src/team-state.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-peek-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('peekDatabase (teamstate mcp reads it before the rest loads)', () => {
  it('says whether the workspace has a team or a person, whether the demo was synced into the file, and whether it has a policy', async () => {
    const file = join(dir, 'team.db');
    const ts = await createTeamState({ database: file, clock: () => new Date('2026-03-10T12:00:00Z') });
    expect(await peekDatabase(file, 'default')).toEqual({ filled: false, demo: false, policy: false });
    await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'payments', name: 'Payments' }] });
    expect(await peekDatabase(file, 'default')).toEqual({ filled: true, demo: false, policy: false });
    expect(await peekDatabase(file, 'acme')).toEqual({ filled: false, demo: false, policy: false });
    await ts.store.execute(
      "INSERT INTO sync_cursors (workspace, connector, key, value, updated_at) VALUES ('default', 'demo', 'all', 'x', 0)",
    );
    expect(await peekDatabase(file, 'default')).toEqual({ filled: true, demo: true, policy: false });
    // An approved policy decides the modes propose_action lists: the quick start leaves such a workspace alone.
    await ts.store.execute(
      `INSERT INTO policy_versions (workspace, version, hash, text, proposed_by, approved_by, approval_id, at)
       VALUES ('default', 1, 'h', 'version: 1', 'dana', 'sam', 'apr_1', 0)`,
    );
    expect(await peekDatabase(file, 'default')).toEqual({ filled: true, demo: true, policy: true });
    expect(await peekDatabase(file, 'acme')).toEqual({ filled: false, demo: true, policy: false });
    await ts.close();
  });

  it('gives nothing for a file that is not a teamstate database, so the ordinary start says why', async () => {
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'not a database\n');
    expect(await peekDatabase(text, 'default')).toBeUndefined();
    // An empty file: SQLite opens it, but it has none of teamstate's tables.
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    expect(await peekDatabase(empty, 'default')).toBeUndefined();
  });
});
