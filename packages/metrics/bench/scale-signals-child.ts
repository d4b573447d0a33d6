// `pnpm bench scale`'s first refresh: one server process's first `signals.refresh()` of the organisation, next to the
// raw scan of work_items timed in the same process just before it. A first refresh happens once per process, so the
// bench runs several of these one after the other and takes the median (one sample on a shared machine measures the
// machine). Like a server (`teamstate serve`, `teamstate mcp`), it starts the detectors' reader threads as it opens the
// file, and they are ready before anything is timed. Prints one JSON document.
import { createTeamState } from '@teamstate/core';
import { builtinSignals } from '@teamstate/metrics';

const [database] = process.argv.slice(2) as [string];
const NOW = new Date('2026-11-21T10:00:00Z');
const timeIt = async (fn: () => Promise<unknown>) => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

const ts = await createTeamState({ database: `file:${database}`, clock: () => NOW, signals: builtinSignals });
try {
  ts.store.warmReadAside();
  // A first refresh starts from no signals (a run before this one stored them).
  await ts.store.execute('DELETE FROM signals');
  await ts.store.execute('DELETE FROM signal_detector_runs');
  await ts.store.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  // Both threads answer once they are up.
  await Promise.all([ts.store.readAside('SELECT 1'), ts.store.readAside('SELECT 2')]);
  const scan = () =>
    ts.store.execute('SELECT count(*), sum(COALESCE(additions, 0)), max(created_at) FROM work_items WHERE workspace = ?', ['default']);
  await scan();
  const scans: number[] = [];
  for (let i = 0; i < 5; i++) scans.push(await timeIt(scan));
  const rawScan = scans.sort((a, b) => a - b)[2]!; // median of 5
  const cpu = process.cpuUsage();
  const faults = process.resourceUsage().minorPageFault;
  let open = 0;
  const first = await timeIt(async () => {
    open = (await ts.signals.refresh()).open;
  });
  const { user, system } = process.cpuUsage(cpu);
  process.stdout.write(
    JSON.stringify({ rawScan, first, open, cpuMs: (user + system) / 1000, faults: process.resourceUsage().minorPageFault - faults }),
  );
} finally {
  await ts.close();
}
