import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { builtinSignals } from '@teamstate/metrics';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const NOW = new Date('2026-11-21T10:00:00Z');

/** The large demo in a database file, built once per machine and reused (the import takes a while). */
async function largeDemo(): Promise<string> {
  const path = join(tmpdir(), `teamstate-bench-large-${NOW.toISOString().slice(0, 10)}-v2.db`);
  if (existsSync(path)) return path;
  const building = `${path}.${process.pid}.tmp`;
  const ts = await createTeamState({ database: `file:${building}`, clock: () => NOW });
  await ts.import(demoBundle({ now: NOW, scale: 'large' }));
  await ts.close();
  for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  renameSync(building, path);
  return path;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** signals.refresh() on the large demo next to a raw full scan of the work items in the same run. */
export async function run(report: BenchReport): Promise<void> {
  const path = await largeDemo();
  const ts = await createTeamState({ database: `file:${path}`, signals: builtinSignals, clock: () => NOW, workspace: 'default' });
  const raw: number[] = [];
  const refresh: number[] = [];
  let last = { open: 0 };
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    await ts.store.execute('SELECT count(*), sum(COALESCE(additions, 0)), max(created_at) FROM work_items WHERE workspace = ?', [
      'default',
    ]);
    raw.push(performance.now() - t);
    t = performance.now();
    last = await ts.signals.refresh();
    refresh.push(performance.now() - t);
  }
  const items = Number((await ts.store.execute('SELECT count(*) AS n FROM work_items')).rows[0]!.n);
  report.section(`signals: large demo (${items.toLocaleString('en-US')} work items, ${builtinSignals.length} detectors), median of 5`);
  report.figure('signals.refresh()', median(refresh), 'ms', `target < 2,000 ms; ${last.open} open signals`);
  report.figure('raw full scan of work_items (count, sum, max)', median(raw), 'ms');
  report.figure('ratio refresh / raw scan', median(refresh) / median(raw), 'x');
  await ts.close();
}
