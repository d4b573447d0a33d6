import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, TeamStateError } from '../src/index.js';
import { backupStore } from '../src/kernel/store/backup-store.js';
import { createTestConnector, createTestWorld, mergeProposal, teamBundle, testPolicy } from './fixtures/test-connector.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-backup-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

async function filled(database: string) {
  const ts = await createTeamState({ database, connectors: [createTestConnector(createTestWorld())], policy: testPolicy });
  await ts.import(teamBundle);
  const proposed = await ts.actions.propose(mergeProposal(7));
  await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' });
  await ts.approvals.execute(proposed.id);
  return ts;
}

describe('backupStore (VACUUM INTO)', () => {
  it('copies what is committed while another connection holds an open write, and the copy restores with the same data', async () => {
    const database = join(folder, 'teamstate.db');
    const ts = await filled(database);
    // Another process in the middle of a write: its rows are not committed, so they are not in the copy.
    const other = createClient({ url: `file:${database}` });
    const tx = await other.transaction('write');
    await tx.execute("INSERT INTO teams (workspace, id, name) VALUES ('default', 'half', 'Half written')");
    const copy = join(folder, 'copy.db');
    const result = await backupStore(ts.store, copy);
    await tx.commit();
    other.close();
    expect(result).toEqual({ file: copy, bytes: statSync(copy).size });
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    const restored = await createTeamState({ database: copy });
    expect((await restored.teams.list()).map((t) => t.id)).toEqual(['leads', 'payments']);
    expect(await restored.people.list()).toEqual(await ts.people.list());
    expect(await restored.approvals.list()).toEqual(await ts.approvals.list());
    const verified = await restored.audit.verify();
    expect(verified.ok).toBe(true);
    expect(verified.entries).toBe((await ts.audit.verify()).entries);
    await restored.close();
    await ts.close();
  });

  it('refuses to replace an existing file unless told to, and leaves it as it was', async () => {
    const ts = await filled(join(folder, 'teamstate.db'));
    const copy = join(folder, 'copy.db');
    writeFileSync(copy, 'an older copy');
    const error = await backupStore(ts.store, copy).catch((e: unknown) => e);
    expect(TeamStateError.isInstance(error) && error.message).toBe(
      `backup: ${copy} already exists; choose another file, or pass --force to replace it`,
    );
    expect(readFileSync(copy, 'utf8')).toBe('an older copy');
    await backupStore(ts.store, copy, { overwrite: true });
    const restored = await createTeamState({ database: copy });
    expect(await restored.teams.list()).toHaveLength(2);
    await restored.close();
    const missing = await backupStore(ts.store, join(folder, 'no', 'such', 'dir.db')).catch((e: unknown) => e);
    expect((missing as Error).message).toBe(`backup: the folder ${join(folder, 'no', 'such')} does not exist`);
    // No partial file is left behind by any of these.
    expect(existsSync(join(folder, 'no'))).toBe(false);
    await ts.close();
  });
});
