import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinFeatures } from '../src/features/index.js';
import {
  type Bundle,
  createTeamState,
  type RetentionManifest,
  type TeamState,
  TeamStateError,
  type TeamStateOptions,
} from '../src/index.js';
import { retentionParts } from '../src/records/retention.js';
import type { OpenFile } from '../src/services/retention/retention-archive.js';
import { resolveRetentionOptions } from '../src/services/retention/retention-options.js';
import { runRetention } from '../src/services/retention/run-retention.js';
import { detector, fillWorld, NOW, tableRows, tracker } from './fixtures/retention-world.js';
import { spawnChild } from './fixtures/spawn-child.js';

// Retention (docs/daily-reports.md#retention, issue 18) through the SDK, on a real libSQL file, with an injected clock.
let folder: string;
let ts: TeamState;
const now = { ms: NOW };

async function open(extra: Partial<TeamStateOptions> = {}): Promise<TeamState> {
  return createTeamState({
    database: `file:${join(folder, 'team.db')}`,
    connectors: [tracker],
    signals: [detector],
    webhooks: { maxAttempts: 1 },
    clock: () => new Date(now.ms),
    retention: { archive: join(folder, 'archive') },
    ...extra,
  });
}

async function refused(fn: () => Promise<unknown>): Promise<TeamStateError> {
  try {
    await fn();
  } catch (error) {
    if (TeamStateError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a TeamStateError');
}

const lines = (file: string) =>
  gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-retention-'));
  ts = await open();
  await fillWorld(ts, now);
  // An old delivery still being retried is work in progress, never archived.
  await ts.store.execute(
    "INSERT INTO webhook_deliveries (workspace, provider, delivery_id, event, received_at, status, attempts, next_attempt_at) VALUES (?, 'tracker', 'd-old-retrying', 'issue_updated', ?, 'retrying', 1, ?)",
    [ts.workspace, NOW - 60 * 86_400_000, NOW + 60_000],
  );
});

afterEach(async () => {
  await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('ts.retention.run', () => {
  it('archives the expired rows to gzip JSON Lines with a manifest (counts, time range, sha256), then deletes exactly them', async () => {
    const before = await tableRows(ts);
    const result = await ts.retention.run({ by: 'ops' });
    expect(result).toMatchObject({
      dryRun: false,
      counts: { reports: 2, reportRevisions: 1, webhookDeliveries: 2, resolvedSignals: 1 },
      cutoffs: { reports: '2025-11-20', webhookDeliveries: '2026-10-21T12:00:00.000Z', resolvedSignals: '2026-05-24T12:00:00.000Z' },
    });
    expect(dirname(result.folder!)).toBe(join(folder, 'archive', 'default'));
    expect(result.manifest).toBe(join(result.folder!, 'manifest.json'));
    expect(readdirSync(result.folder!).sort()).toEqual([
      'manifest.json',
      'reports.jsonl.gz',
      'resolved-signals.jsonl.gz',
      'webhook-deliveries.jsonl.gz',
    ]);

    const manifest = JSON.parse(readFileSync(result.manifest!, 'utf8'));
    expect(manifest).toMatchObject({
      format: 'teamstate.retention/v1',
      workspace: 'default',
      createdAt: '2026-11-20T12:00:00.000Z',
      counts: result.counts,
      cutoffs: result.cutoffs,
    });
    const { createHash } = await import('node:crypto');
    for (const file of manifest.files) {
      const bytes = readFileSync(join(result.folder!, file.path));
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(file.bytes).toBe(bytes.length);
    }
    expect(manifest.files.find((f: { table: string }) => f.table === 'reports')).toMatchObject({
      rows: 2,
      timeRange: { field: 'day', from: '2025-10-01', to: '2025-11-19' },
    });
    expect(manifest.files.find((f: { table: string }) => f.table === 'webhookDeliveries')).toMatchObject({
      rows: 2,
      timeRange: { field: 'receivedAt', from: '2026-10-11T12:00:00.000Z', to: '2026-10-11T12:00:00.000Z' },
    });
    expect(manifest.files.find((f: { table: string }) => f.table === 'resolvedSignals')).toMatchObject({
      rows: 1,
      timeRange: { field: 'resolvedAt', from: '2026-05-14T12:00:00.000Z', to: '2026-05-14T12:00:00.000Z' },
    });

    // The archived lines are the removed rows, a report carrying its revision.
    const archivedReports = lines(join(result.folder!, 'reports.jsonl.gz'));
    expect(archivedReports.map((r) => r.id).sort()).toEqual(['r-old-1', 'r-old-2']);
    expect(archivedReports.find((r) => r.id === 'r-old-1')).toMatchObject({
      personId: 'ana',
      text: 'Migrated the ledger to zebrafish storage (all shards)',
      revisions: [{ seq: 1, text: 'Migrated the ledger to zebrafish storage' }],
    });
    expect(lines(join(result.folder!, 'webhook-deliveries.jsonl.gz')).map((d) => [d.deliveryId, d.status])).toEqual([
      ['d-old', 'processed'],
      ['d-old-failed', 'failed'],
    ]);

    const after = await tableRows(ts);
    expect(after.reports.map((r) => r.id)).toEqual(['r-edge', 'r-new']);
    expect(after.reportRevisions).toEqual([]);
    expect(after.webhookDeliveries.map((d) => d.delivery_id)).toEqual(['d-new', 'd-old-retrying']);
    expect(after.signals).toHaveLength(before.signals.length - 1);
    // The FTS index lost the deleted reports' entries in the same transaction.
    expect((await ts.reports.search('zebrafish')).map((hit) => hit.report.id)).toEqual(['r-new']);
    const fts = await ts.store.execute("SELECT count(*) AS n FROM reports_fts WHERE reports_fts MATCH 'zebrafish'");
    expect(fts.rows[0]!.n).toBe(1);
  });

  it('records one audit event per run, never purges the ledger, and a second run over the same range is a no-op', async () => {
    const ledgerBefore = await ts.audit.list();
    const first = await ts.retention.run({ by: 'ops' });
    const events = await ts.audit.list({ type: 'retention.run' });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'retention.run',
        actor: 'ops',
        data: { folder: first.folder, cutoffs: first.cutoffs, counts: first.counts },
      }),
    ]);
    expect((await ts.audit.list()).slice(0, ledgerBefore.length)).toEqual(ledgerBefore);
    const rows = await tableRows(ts);

    const second = await ts.retention.run();
    expect(second).toEqual({
      dryRun: false,
      counts: { reports: 0, reportRevisions: 0, webhookDeliveries: 0, resolvedSignals: 0 },
      cutoffs: first.cutoffs,
    });
    expect(readdirSync(join(folder, 'archive', 'default'))).toHaveLength(1);
    expect(await ts.audit.list({ type: 'retention.run' })).toHaveLength(1);
    expect(await tableRows(ts)).toEqual(rows);
    expect(await ts.audit.verify()).toMatchObject({ ok: true });
  });

  it('--dry-run counts what would go and writes nothing', async () => {
    const before = await tableRows(ts);
    const result = await ts.retention.run({ dryRun: true });
    expect(result).toEqual({
      dryRun: true,
      counts: { reports: 2, reportRevisions: 1, webhookDeliveries: 2, resolvedSignals: 1 },
      cutoffs: expect.any(Object),
    });
    expect(existsSync(join(folder, 'archive'))).toBe(false);
    expect(await tableRows(ts)).toEqual(before);
    expect(await ts.audit.list({ type: 'retention.run' })).toEqual([]);
  });

  it('takes its periods and archive folder from the retention option', async () => {
    const custom = await open({
      retention: { reports: '30d', webhookDeliveries: '1d', resolvedSignals: '5d', archive: join(folder, 'elsewhere') },
    });
    try {
      const result = await custom.retention.run({ dryRun: true });
      expect(result.counts).toEqual({ reports: 3, reportRevisions: 1, webhookDeliveries: 3, resolvedSignals: 2 });
      expect(result.cutoffs.reports).toBe('2026-10-21');
      expect((await custom.retention.run()).folder).toMatch(new RegExp(`^${join(folder, 'elsewhere', 'default')}`));
    } finally {
      await custom.close();
    }
  });

  it('names the archive folder when it cannot be written, and deletes nothing', async () => {
    writeFileSync(join(folder, 'a-file'), '');
    const blocked = await open({ retention: { archive: join(folder, 'a-file') } });
    try {
      const before = await tableRows(blocked);
      const error = await refused(() => blocked.retention.run());
      expect(error.code).toBe('archive_failed');
      expect(error.message).toMatch(
        /^retention\.archive: could not write the archive .*a-file\/default\/2026-11-20T12-00-00-000Z-[0-9a-f]{6}: not a directory \(ENOTDIR\); nothing was deleted, and nothing of the archive is left: check the folder and the free space, or set retention\.archive$/,
      );
      expect(await tableRows(blocked)).toEqual(before);
      expect(await blocked.audit.list({ type: 'retention.run' })).toEqual([]);
    } finally {
      await blocked.close();
    }
  });

  it('leaves nothing of the archive when the disk fills up midway, names the folder and the cause, and deletes nothing', async () => {
    const before = await tableRows(ts);
    // The first file is written whole; the disk is full when the second one is written to.
    let writes = 0;
    const fullDisk: OpenFile = async (path, flags, mode) => {
      const handle = await openFile(path, flags, mode);
      const write = handle.write.bind(handle);
      return Object.assign(handle, {
        write: (async (...args: Parameters<typeof write>) => {
          if (++writes === 2)
            throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
          return write(...args);
        }) as typeof handle.write,
      });
    };
    const deps = { store: ts.store, workspace: ts.workspace, clock: () => new Date(now.ms), parts: retentionParts(builtinFeatures()) };
    const options = resolveRetentionOptions({ archive: join(folder, 'archive') }, ':memory:');
    const error = await refused(() => runRetention({ ...deps, options }, {}, { open: fullDisk }));
    expect(writes).toBe(2);
    expect(error.code).toBe('archive_failed');
    expect(error.message).toMatch(
      /^retention\.archive: could not write the archive .*\/archive\/default\/2026-11-20T12-00-00-000Z-[0-9a-f]{6}: no space left on device \(ENOSPC\); nothing was deleted, and nothing of the archive is left: check the folder and the free space, or set retention\.archive$/,
    );
    expect(readdirSync(join(folder, 'archive', 'default'))).toEqual([]);
    expect(await tableRows(ts)).toEqual(before);
    expect(await ts.audit.list({ type: 'retention.run' })).toEqual([]);
  });

  it('removes what a run stopped while writing left behind, but not a folder another live process is writing', async () => {
    const parent = join(folder, 'archive', 'default');
    // A dead process's (no process has pid 2^31 - 2) and a live one's (this test's parent process).
    const stopped = join(parent, `.2026-11-19T12-00-00-000Z-aaaaaa.${2 ** 31 - 2}.partial`);
    const live = join(parent, `.2026-11-20T11-59-00-000Z-bbbbbb.${process.ppid}.partial`);
    for (const partial of [stopped, live]) {
      mkdirSync(partial, { recursive: true });
      writeFileSync(join(partial, 'reports.jsonl.gz'), gzipSync('{"person":"ana","text":"Migrated the ledger"}\n'));
    }
    const run = await ts.retention.run();
    expect(readdirSync(parent).sort()).toEqual([basename(live), basename(run.folder!)].sort());
  });

  it('refuses a retention option that is not a duration, naming the field', async () => {
    await expect(open({ retention: { reports: 'a year' } })).rejects.toThrow(
      'retention.reports: expected a duration such as 365d (a whole number and s, m, h or d), got "a year"',
    );
    await expect(open({ retention: { report: '30d' } as never })).rejects.toThrow(
      'retention.report: unknown key (did you mean "reports"?)',
    );
    expect((await refused(() => ts.retention.run({ dryRun: 'yes' as never }))).message).toBe('dryRun: expected true or false, got "yes"');
  });
});

describe('ts.retention.restore', () => {
  it('brings back exactly the rows a run removed, reports searchable again, and restoring twice changes nothing', async () => {
    const before = await tableRows(ts);
    const run = await ts.retention.run();
    const restored = await ts.retention.restore(run.manifest!, { by: 'ops' });
    expect(restored).toEqual({
      manifest: run.manifest,
      restored: { reports: 2, reportRevisions: 1, webhookDeliveries: 2, resolvedSignals: 1 },
      skipped: { reports: 0, reportRevisions: 0, webhookDeliveries: 0, resolvedSignals: 0 },
    });
    expect(await tableRows(ts)).toEqual(before);
    expect((await ts.reports.search('zebrafish')).map((hit) => hit.report.id).sort()).toEqual(['r-new', 'r-old-1', 'r-old-2']);
    expect(await ts.audit.list({ type: 'retention.restored' })).toEqual([
      expect.objectContaining({ actor: 'ops', data: expect.objectContaining({ restored: restored.restored }) }),
    ]);

    const again = await ts.retention.restore(run.manifest!);
    expect(again.restored).toEqual({ reports: 0, reportRevisions: 0, webhookDeliveries: 0, resolvedSignals: 0 });
    expect(again.skipped).toEqual({ reports: 2, reportRevisions: 1, webhookDeliveries: 2, resolvedSignals: 1 });
    expect(await tableRows(ts)).toEqual(before);
    expect(await ts.audit.list({ type: 'retention.restored' })).toHaveLength(1);
    expect(await ts.audit.verify()).toMatchObject({ ok: true });
  });

  it('does not bring back the reports of a person erased since the run (the erasure holds)', async () => {
    const run = await ts.retention.run();
    await ts.people.erase('ben', { by: 'dpo' });
    const restored = await ts.retention.restore(run.manifest!);
    expect(restored.restored.reports).toBe(1);
    expect(restored.skipped.reports).toBe(1);
    expect((await ts.reports.list()).items.map((r) => r.person)).not.toContain('ben');
  });

  it('is listed by an erasure: the archives written before it that still hold the person, under any archive folder', async () => {
    const first = await ts.retention.run();
    // The archive folder moves, and an old report of his is archived there too: the ledger still names the first.
    await ts.close();
    ts = await open({ retention: { archive: join(folder, 'moved') } });
    await ts.import({
      format: 'teamstate.bundle/v1',
      reports: [{ id: 'r-old-3', person: 'ben', day: '2025-06-01', text: 'Old notes', createdAt: '2025-06-01T17:00:00Z' }],
    } as unknown as Bundle);
    const second = await ts.retention.run();
    expect(dirname(dirname(dirname(second.manifest!)))).toBe(join(folder, 'moved'));
    // What a run stopped while writing left (its process gone) holds his report too: removed, never needed.
    const stopped = join(folder, 'moved', 'default', `.2026-11-20T11-00-00-000Z-cccccc.${2 ** 31 - 2}.partial`);
    mkdirSync(stopped);
    writeFileSync(join(stopped, 'reports.jsonl.gz'), gzipSync('{"id":"r-old-3","person":"ben"}\n'));
    const erased = await ts.people.erase('ben', { by: 'dpo' });
    expect(existsSync(stopped)).toBe(false);
    expect(erased.archives).toEqual([
      { manifest: first.manifest, files: ['reports.jsonl.gz'] },
      { manifest: second.manifest, files: ['reports.jsonl.gz'] },
    ]);
    // One that cannot be read is listed too: nothing says it does not hold her.
    writeFileSync(join(dirname(second.manifest!), 'reports.jsonl.gz'), 'not gzip');
    expect((await ts.people.erase('ana', { by: 'dpo' })).archives).toEqual([
      { manifest: first.manifest, files: ['reports.jsonl.gz'] },
      { manifest: second.manifest, files: ['reports.jsonl.gz'] },
    ]);
  });

  describe('refuses a damaged or malformed archive with one message naming the field or file, writing nothing', () => {
    let manifestPath: string;
    let snapshot: Awaited<ReturnType<typeof tableRows>>;
    let ledger: number;
    beforeEach(async () => {
      manifestPath = (await ts.retention.run()).manifest!;
      snapshot = await tableRows(ts);
      ledger = (await ts.audit.list()).length;
    });
    const expectNothingWritten = async () => {
      expect(await tableRows(ts)).toEqual(snapshot);
      expect(await ts.audit.list()).toHaveLength(ledger);
    };
    const editManifest = (edit: (manifest: RetentionManifest) => void) => {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      edit(manifest);
      writeFileSync(manifestPath, JSON.stringify(manifest));
    };

    it('a data file whose sha256 does not match', async () => {
      const file = join(dirname(manifestPath), 'reports.jsonl.gz');
      const changed = lines(file).map((r) => ({ ...r, text: `${r.text} (edited)` }));
      writeFileSync(file, gzipSync(`${changed.map((r) => JSON.stringify(r)).join('\n')}\n`));
      const error = await refused(() => ts.retention.restore(manifestPath));
      expect(error.code).toBe('invalid_archive');
      expect(error.message).toMatch(
        /^reports\.jsonl\.gz: sha256 [0-9a-f]{64} does not match the manifest's [0-9a-f]{64} \(the file was changed or damaged since the run\); nothing was restored$/,
      );
      await expectNothingWritten();
    });

    it('a manifest field of the wrong shape', async () => {
      editManifest((m) => {
        m.files[0]!.sha256 = 'not-a-hash';
      });
      expect((await refused(() => ts.retention.restore(manifestPath))).message).toBe(
        `${manifestPath}: files[0].sha256: expected 64 lower-case hex characters; nothing was restored`,
      );
      editManifest((m) => {
        m.files[0]!.sha256 = '0'.repeat(64);
        m.files[0]!.path = '../../team.db';
      });
      expect((await refused(() => ts.retention.restore(manifestPath))).message).toBe(
        `${manifestPath}: files[0].path: expected a file name in the manifest's folder, such as "reports.jsonl.gz"; nothing was restored`,
      );
      await expectNothingWritten();
    });

    it('a manifest that is not JSON, of another format, or whose counts do not match its files', async () => {
      editManifest((m) => {
        m.counts.reports = 5;
      });
      expect((await refused(() => ts.retention.restore(manifestPath))).message).toBe(
        `${manifestPath}: counts.reports: 5, but the files list 2 rows of reports; nothing was restored`,
      );
      editManifest((m) => {
        (m as { format: string }).format = 'teamstate.bundle/v1';
      });
      expect((await refused(() => ts.retention.restore(manifestPath))).message).toBe(
        `${manifestPath}: format: expected "teamstate.retention/v1"; nothing was restored`,
      );
      writeFileSync(manifestPath, '{ not json');
      expect((await refused(() => ts.retention.restore(manifestPath))).message).toMatch(
        new RegExp(`^${manifestPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`),
      );
      expect((await refused(() => ts.retention.restore(join(folder, 'nope.json')))).message).toBe(
        `${join(folder, 'nope.json')}: cannot be read (no such file); give the manifest.json of a retention run's folder`,
      );
      await expectNothingWritten();
    });

    it('a line that is not a row, in a file whose sha256 was updated to match (nothing half-restored)', async () => {
      const file = join(dirname(manifestPath), 'reports.jsonl.gz');
      const [first, second] = lines(file);
      const bytes = gzipSync(`${JSON.stringify(first)}\n${JSON.stringify({ ...second, day: 'yesterday' })}\n`);
      writeFileSync(file, bytes);
      const { createHash } = await import('node:crypto');
      editManifest((m) => {
        const entry = m.files.find((f) => f.table === 'reports')!;
        entry.sha256 = createHash('sha256').update(bytes).digest('hex');
        entry.bytes = bytes.length;
      });
      const error = await refused(() => ts.retention.restore(manifestPath));
      expect(error.message).toMatch(/^reports\.jsonl\.gz line 2: day: .*; nothing was restored$/);
      await expectNothingWritten();
    });

    it('an archive of another workspace', async () => {
      editManifest((m) => {
        m.workspace = 'acme';
      });
      expect((await refused(() => ts.retention.restore(manifestPath))).message).toBe(
        `${manifestPath}: workspace: the archive is of workspace "acme", this is "default" (open that workspace to restore it); nothing was restored`,
      );
      await expectNothingWritten();
    });
  });
});

describe('rows that change between the archive and the delete', () => {
  it('roll the delete back: nothing is deleted, nothing audited, and the next run archives what is then expired', async () => {
    const hooks = {
      async afterArchive() {
        // Another process re-imports an old day while this run is between its archive and its delete.
        await ts.import({
          format: 'teamstate.bundle/v1',
          reports: [
            { id: 'r-old-2', person: 'ben', day: '2025-11-19', text: 'Rewritten after the archive', updatedAt: '2026-11-20T11:00:00Z' },
          ],
        } as unknown as Bundle);
      },
    };
    const deps = { store: ts.store, workspace: ts.workspace, clock: () => new Date(now.ms), parts: retentionParts(builtinFeatures()) };
    const options = resolveRetentionOptions({ archive: join(folder, 'archive') }, ':memory:');
    const error = await refused(() => runRetention({ ...deps, options }, {}, hooks));
    expect(error.code).toBe('retention_conflict');
    expect(error.message).toMatch(
      /^retention: reportRevisions changed while they were being archived \(1 archived, 2 expired now\); nothing was deleted, and the archive .* was removed: run again$/,
    );
    // Not needed, and it holds people's data: gone.
    expect(readdirSync(join(folder, 'archive', 'default'))).toEqual([]);
    const rows = await tableRows(ts);
    expect(rows.reports.map((r) => r.id)).toEqual(['r-edge', 'r-new', 'r-old-1', 'r-old-2']);
    expect(await ts.audit.list({ type: 'retention.run' })).toEqual([]);
    const next = await ts.retention.run();
    expect(next.counts.reports).toBe(2);
    expect(lines(join(next.folder!, 'reports.jsonl.gz')).find((r) => r.id === 'r-old-2').text).toBe('Rewritten after the archive');
  });
});

describe('a process killed between the archive and the delete', () => {
  it('leaves every row in place, and the next run writes a fresh archive and deletes them', async () => {
    const before = await tableRows(ts);
    await ts.close();
    const database = `file:${join(folder, 'team.db')}`;
    const child = spawnChild([database, join(folder, 'archive'), new Date(NOW).toISOString()], 'retention-child.ts');
    try {
      const { manifest } = (await child.next('archived')) as unknown as { manifest: string };
      // The archive is on disk, whole, before the delete starts.
      expect(JSON.parse(readFileSync(manifest, 'utf8')).counts).toEqual({
        reports: 2,
        reportRevisions: 1,
        webhookDeliveries: 2,
        resolvedSignals: 1,
      });
      child.process.kill('SIGKILL');
      expect(await child.exited).toBeNull();

      ts = await open();
      expect(await tableRows(ts)).toEqual(before);
      expect(await ts.audit.list({ type: 'retention.run' })).toEqual([]);

      const rerun = await ts.retention.run();
      expect(rerun.counts).toEqual({ reports: 2, reportRevisions: 1, webhookDeliveries: 2, resolvedSignals: 1 });
      expect(rerun.folder).not.toBe(dirname(manifest));
      expect(readdirSync(join(folder, 'archive', 'default'))).toHaveLength(2);
      expect((await tableRows(ts)).reports.map((r) => r.id)).toEqual(['r-edge', 'r-new']);
      // Either archive is a whole copy of the same rows: restoring one brings them back once, the other then adds nothing.
      expect((await ts.retention.restore(manifest)).restored.reports).toBe(2);
      expect((await ts.retention.restore(rerun.manifest!)).restored.reports).toBe(0);
      expect(await tableRows(ts)).toEqual(before);
    } finally {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
      await child.exited;
    }
  });
});
