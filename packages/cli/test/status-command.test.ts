import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDatabase, runCli } from './run-cli.js';

// `teamstate status [--json]` (docs/hub.md#freshness-and-status): per source, the last sync and its outcome, the last webhook and
// the lag, as a table or as `{ "sources": [...] }`.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-status-'));
const db = join(dir, 'teamstate.db');
const cli = (args: string[]) => runCli(['--db', db, ...args], { env: { TEAMSTATE_TOKEN: undefined, XDG_CONFIG_HOME: dir } });

beforeAll(async () => {
  const demo = await demoDatabase(db);
  expect(demo.code, demo.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('teamstate status', () => {
  it('prints each source as JSON { sources: [{ source, lastSync, lastSyncOk, lastWebhook, lagSeconds }] }', async () => {
    const result = await cli(['status', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { sources } = JSON.parse(result.stdout) as { sources: Record<string, unknown>[] };
    expect(sources).toEqual([
      {
        source: 'demo',
        lastSync: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        lastSyncOk: true,
        lastWebhook: null,
        lagSeconds: expect.any(Number),
      },
    ]);
  });

  it('prints a table with the outcome of each source’s last sync', async () => {
    const result = await cli(['status']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^SOURCE\s+LAST SYNC\s+OK\s+LAST WEBHOOK\s+LAG\n/);
    expect(result.stdout).toMatch(/^demo\s+\S+Z\s+ok\s+-\s+/m);
  });

  it('refuses a database that does not exist, creating nothing', async () => {
    const missing = join(dir, 'missing.db');
    const result = await runCli(['--db', missing, 'status'], { env: { TEAMSTATE_TOKEN: undefined, XDG_CONFIG_HOME: dir } });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/missing\.db/);
  });
});
