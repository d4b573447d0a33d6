// What the scale bench's signals part and its first-refresh processes (scale-signals-child.ts) both do to the
// organisation's database.
import type { TeamState } from '@teamstate/core';

/** How long `fn` took, in ms. */
export const timeIt = async (fn: () => Promise<unknown>) => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

/** Empties the stored signals and detector runs, so that the next refresh is a first one, and empties the log. */
export async function emptySignals(ts: TeamState): Promise<void> {
  await ts.store.execute('DELETE FROM signals');
  await ts.store.execute('DELETE FROM signal_detector_runs');
  await ts.store.execute('PRAGMA wal_checkpoint(TRUNCATE)');
}

/** The raw scan of work_items (count, sum, max) the refresh is measured against: once untimed, then the median of 5, in ms. */
export async function rawScanMs(ts: TeamState): Promise<number> {
  const scan = () =>
    ts.store.execute('SELECT count(*), sum(COALESCE(additions, 0)), max(created_at) FROM work_items WHERE workspace = ?', ['default']);
  await scan();
  const scans: number[] = [];
  for (let i = 0; i < 5; i++) scans.push(await timeIt(scan));
  return scans.sort((a, b) => a - b)[2]!;
}
