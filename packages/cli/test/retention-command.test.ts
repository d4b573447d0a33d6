import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.js';

// teamstate retention run|restore (docs/daily-reports.md#retention, issue 18), the built CLI as a subprocess. Retention runs on the
// real clock (it refuses --now), so the reports are dated relative to today.
const root = mkdtempSync(join(tmpdir(), 'teamstate-retention-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DAY_MS = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString().slice(0, 10);
const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'pay', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana', teams: ['pay'] },
    { id: 'ben', name: 'Ben', teams: ['pay'] },
  ],
  reports: [
    { id: 'r-old', person: 'ana', day: daysAgo(400), text: 'Retired the quokka cluster' },
    { id: 'r-older', person: 'ben', day: daysAgo(500), text: 'Planned the quokka retirement', blockers: 'Budget sign-off' },
    { id: 'r-new', person: 'ana', day: daysAgo(3), text: 'Quokka dashboards cleaned up' },
  ],
};

let n = 0;
let dir: string;
let db: string;
beforeEach(async () => {
  dir = join(root, `case-${++n}`);
  db = join(dir, 'data', 'team.db');
  const bundleFile = join(root, 'team.bundle.json');
  writeFileSync(bundleFile, JSON.stringify(bundle));
  // The archive folder is relative to the config file, wherever the command runs.
  writeFileSync(
    join(root, `teamstate-${n}.config.yaml`),
    `database: case-${n}/data/team.db\nretention:\n  reports: 365d\n  webhookDeliveries: 30d\n  archive: case-${n}/archive\n`,
  );
  expect((await runCli(['--db', db, 'import', bundleFile])).code).toBe(0);
});
const cli = (args: string[]) => runCli(['--config', join(root, `teamstate-${n}.config.yaml`), ...args], { cwd: tmpdir() });
const searchIds = async () =>
  JSON.parse((await cli(['report', 'search', 'quokka', '--json'])).stdout)
    .reports.map((hit: { report: { id: string } }) => hit.report.id)
    .sort();

describe('teamstate retention run', () => {
  it('--dry-run counts what would go and writes nothing', async () => {
    const result = await cli(['retention', 'run', '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      'Would archive and delete 2 reports (0 earlier revisions), 0 webhook deliveries and 0 resolved signals (a dry run: nothing was written).\n',
    );
    expect(readdirSync(dir)).toEqual(['data']);
    expect(await searchIds()).toEqual(['r-new', 'r-old', 'r-older']);
  });

  it("archives under the config's retention.archive, deletes, audits with the OS user, and a second run is a no-op", async () => {
    const result = await cli(['retention', 'run', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout);
    expect(run).toMatchObject({
      dryRun: false,
      counts: { reports: 2, reportRevisions: 0, webhookDeliveries: 0, resolvedSignals: 0 },
      cutoffs: { reports: daysAgo(365) },
    });
    expect(dirname(run.folder)).toBe(join(dir, 'archive', 'default'));
    expect(readdirSync(run.folder).sort()).toEqual(['manifest.json', 'reports.jsonl.gz']);
    const archived = gunzipSync(readFileSync(join(run.folder, 'reports.jsonl.gz')))
      .toString('utf8')
      .trim()
      .split('\n');
    expect(archived.map((line) => JSON.parse(line).id).sort()).toEqual(['r-old', 'r-older']);
    expect(await searchIds()).toEqual(['r-new']);

    const ts = await createTeamState({ database: `file:${db}` });
    try {
      expect(await ts.audit.list({ type: 'retention.run' })).toEqual([
        expect.objectContaining({ actor: userInfo().username, data: expect.objectContaining({ folder: run.folder }) }),
      ]);
    } finally {
      await ts.close();
    }

    const again = await cli(['retention', 'run']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing has expired \(reports of days before \d{4}-\d\d-\d\d, .*\); nothing was written\.\n$/);
    expect(readdirSync(join(dir, 'archive', 'default'))).toHaveLength(1);
  });

  it('refuses --now: what it records happens at the real time', async () => {
    for (const args of [
      ['retention', 'run'],
      ['retention', 'restore', 'manifest.json'],
    ]) {
      const result = await cli([...args, '--now', '2026-01-01T00:00:00Z']);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(
        `--now: ${args.slice(0, 2).join(' ')} records what happens at the real time, so it does not take --now (which is for reading); leave it out`,
      );
    }
    expect(await searchIds()).toEqual(['r-new', 'r-old', 'r-older']);
  });

  it('names a retention setting of the config that is not a duration', async () => {
    writeFileSync(join(root, `teamstate-${n}.config.yaml`), `database: case-${n}/data/team.db\nretention:\n  reports: one year\n`);
    const result = await cli(['retention', 'run']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'retention.reports: expected a duration such as 365d (a whole number and s, m, h or d), got "one year"',
    );
  });
});

describe('teamstate retention restore', () => {
  it('brings the reports back, searchable again; a second restore leaves them alone', async () => {
    const { manifest } = JSON.parse((await cli(['retention', 'run', '--json'])).stdout);
    const restored = await cli(['retention', 'restore', manifest]);
    expect(restored.stderr).toBe('');
    expect(restored.stdout).toBe(
      `Restored 2 reports (0 earlier revisions), 0 webhook deliveries and 0 resolved signals from ${manifest}.\n`,
    );
    expect(await searchIds()).toEqual(['r-new', 'r-old', 'r-older']);

    const again = JSON.parse((await cli(['retention', 'restore', manifest, '--json'])).stdout);
    expect(again).toEqual({
      manifest,
      restored: { reports: 0, reportRevisions: 0, webhookDeliveries: 0, resolvedSignals: 0 },
      skipped: { reports: 2, reportRevisions: 0, webhookDeliveries: 0, resolvedSignals: 0 },
    });
    expect(await searchIds()).toEqual(['r-new', 'r-old', 'r-older']);
  });

  it('refuses a data file whose sha256 does not match the manifest, naming it, and restores nothing', async () => {
    const { manifest, folder } = JSON.parse((await cli(['retention', 'run', '--json'])).stdout);
    const file = join(folder, 'reports.jsonl.gz');
    writeFileSync(file, gzipSync(gunzipSync(readFileSync(file)).toString('utf8').replace('quokka', 'wombat')));
    const result = await cli(['retention', 'restore', manifest]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /reports\.jsonl\.gz: sha256 [0-9a-f]{64} does not match the manifest's [0-9a-f]{64} .*; nothing was restored/,
    );
    expect(await searchIds()).toEqual(['r-new']);
  });
});

describe('teamstate serve', () => {
  it('runs retention when it starts (and then once a day), audited as system', async () => {
    const child = spawn(process.execPath, [BIN, '--config', join(root, `teamstate-${n}.config.yaml`), 'serve', '--port', '0'], {
      cwd: tmpdir(),
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const ts = await createTeamState({ database: `file:${db}` });
    try {
      for (let waited = 0; (await ts.audit.list({ type: 'retention.run' })).length === 0; waited += 100) {
        if (waited > 20_000 || child.exitCode !== null) throw new Error(`no retention run by serve; stderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await ts.audit.list({ type: 'retention.run' })).toEqual([
        expect.objectContaining({ actor: 'system', data: expect.objectContaining({ counts: expect.objectContaining({ reports: 2 }) }) }),
      ]);
      expect((await ts.reports.list()).items.map((r) => r.id)).toEqual(['r-new']);
    } finally {
      await ts.close();
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
