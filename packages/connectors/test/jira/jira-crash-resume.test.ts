import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issuesCursor } from '@teamstate/connectors/jira';
import { createTeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeJira, type FakeJira } from './fake-jira.js';
import { NOW, openWorkspace, syncOk, testConnector } from './jira-test-setup.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const dirs: string[] = [];
let fake: FakeJira | undefined;
afterEach(() => {
  fake?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('jira sync killed mid-run', () => {
  it('keeps the pages stored before the crash and resumes from the cursor to the same rows as a clean sync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamstate-jira-crash-'));
    dirs.push(dir);
    const database = `file:${join(dir, 'crashed.db')}`;
    // The child syncs and is killed (SIGKILL, no cleanup) once three batches were stored: the sprints and
    // two pages of issues, while the third page is being fetched.
    const run = spawnSync(process.execPath, ['--import', 'tsx', child, database, '3'], { cwd: root, encoding: 'utf8' });
    expect(run.signal, run.stderr).toBe('SIGKILL');

    const crashed = await createTeamState({ database, clock: () => NOW });
    expect((await crashed.workItems.list({ limit: 500 })).items.map((i) => i.key).sort()).toEqual([
      'PAY-1',
      'PAY-2',
      'PAY-3',
      'PAY-4',
      'PAY-5',
      'PAY-6',
    ]);
    const cursor = await crashed.store.execute('SELECT value FROM sync_cursors WHERE key = ?', [issuesCursor('PAY')]);
    expect(Number(cursor.rows[0]!.value)).toBe(Date.parse('2026-03-22T09:00:00Z')); // PAY-6, the last issue stored
    await crashed.close();

    fake = createFakeJira();
    fake.listen();
    const resumed = await createTeamState({ database, connectors: [testConnector()], clock: () => NOW });
    await syncOk(resumed);
    // It resumed from the cursor (minus the overlap), not from the start.
    expect(fake.received.find((r) => r.path === '/rest/api/3/search/jql')!.body.jql).toBe(
      `project in ("PAY") AND updated >= ${Date.parse('2026-03-22T08:55:00Z')} ORDER BY updated ASC`,
    );
    const afterResume = await resumed.export();
    await resumed.close();

    fake.close();
    fake = createFakeJira();
    fake.listen();
    const clean = await openWorkspace(testConnector());
    await syncOk(clean);
    expect(afterResume).toEqual(await clean.export());
    await clean.close();
  });
});
