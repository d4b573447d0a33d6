import { createTeamState } from '@teamstate/core';
import { builtinSignals } from '@teamstate/metrics';
import { largeDemo, median, NOW } from './large-demo.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const RUNS = 5;
const MINUTE = 60_000;

/**
 * signals.refresh() on the large demo next to a raw full scan of the work items in the same run: a full refresh
 * (every detector), then the incremental one a minute later after a small change (one PR reviewed), the refresh a
 * reader such as list_signals makes.
 */
export async function run(report: BenchReport): Promise<void> {
  const path = await largeDemo();
  let now = NOW.getTime();
  const ts = await createTeamState({ database: `file:${path}`, signals: builtinSignals, clock: () => new Date(now), workspace: 'default' });
  const raw: number[] = [];
  const full: number[] = [];
  const incremental: number[] = [];
  const unchanged: number[] = [];
  let last = { open: 0 };
  let ran = 0;
  const [pr] = (
    await ts.store.execute("SELECT id FROM work_items WHERE workspace = ? AND kind = 'pull_request' AND state = 'open' LIMIT 1", [
      'default',
    ])
  ).rows;
  try {
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      await ts.store.execute('SELECT count(*), sum(COALESCE(additions, 0)), max(created_at) FROM work_items WHERE workspace = ?', [
        'default',
      ]);
      raw.push(performance.now() - t);
      t = performance.now();
      last = await ts.signals.refresh({ full: true });
      full.push(performance.now() - t);
      // A small change a minute later: one review of one open PR.
      now += MINUTE;
      await ts.store.execute(
        'INSERT INTO reviews (workspace, work_item_id, seq, reviewer_id, state, submitted_at) VALUES (?, ?, ?, ?, ?, ?)',
        ['default', String(pr!.id), 1_000_000 + i, 'bench-reviewer', 'commented', now - MINUTE / 2],
      );
      t = performance.now();
      const after = await ts.signals.refresh();
      incremental.push(performance.now() - t);
      ran = builtinSignals.length - after.skipped.length;
      // Nothing changed, same now (e.g. a second reader at once).
      t = performance.now();
      await ts.signals.refresh();
      unchanged.push(performance.now() - t);
    }
  } finally {
    await ts.store.execute("DELETE FROM reviews WHERE workspace = ? AND reviewer_id = 'bench-reviewer'", ['default']);
    await ts.close();
  }
  const items = await (async () => {
    const again = await createTeamState({ database: `file:${path}`, workspace: 'default' });
    const n = Number((await again.store.execute('SELECT count(*) AS n FROM work_items')).rows[0]!.n);
    await again.close();
    return n;
  })();
  report.section(
    `signals: large demo (${items.toLocaleString('en-US')} work items, ${builtinSignals.length} detectors), median of ${RUNS}`,
  );
  report.figure('signals.refresh({ full: true })', median(full), 'ms', `${last.open} open signals`);
  report.figure('raw full scan of work_items (count, sum, max)', median(raw), 'ms');
  report.figure('ratio full refresh / raw scan', median(full) / median(raw), 'x', 'target ≤ 3×');
  report.figure(
    'incremental: a minute later, one review added',
    median(incremental),
    'ms',
    `${ran} of ${builtinSignals.length} detectors ran`,
  );
  report.figure('ratio incremental refresh / raw scan', median(incremental) / median(raw), 'x');
  report.figure('incremental: nothing changed, same now', median(unchanged), 'ms');
}
