import { createTeamState } from '@teamstate/core';
import { builtinSignals } from '@teamstate/metrics';
import { largeDemo, median, NOW } from './large-demo.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

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
