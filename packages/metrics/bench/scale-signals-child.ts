// `pnpm bench scale`'s first refresh: one server process's first `signals.refresh()` of the organisation, next to the
// raw scan of work_items timed in the same process just before it. A first refresh happens once per process, so the
// bench runs several of these one after the other and takes the median (one sample on a shared machine measures the
// machine). Like a server (`teamstate serve`, `teamstate mcp`), it starts the detectors' reader threads as it opens the
// file, and they are ready before anything is timed. Prints one JSON document.
import { createTeamState } from '@teamstate/core';
import { builtinSignals } from '@teamstate/metrics';

// Loaded by URL, so that Node's type stripping runs it too.
const { emptySignals, rawScanMs, timeIt } = (await import(
  new URL('./scale-signals.ts', import.meta.url).href
)) as typeof import('./scale-signals.js');

const [database] = process.argv.slice(2) as [string];
const NOW = new Date('2026-11-21T10:00:00Z');

const ts = await createTeamState({ database: `file:${database}`, clock: () => NOW, signals: builtinSignals });
try {
  ts.store.warmReadAside();
  // A first refresh starts from no signals (a run before this one stored them).
  await emptySignals(ts);
  // Both threads answer once they are up.
  await Promise.all([ts.store.readAside('SELECT 1'), ts.store.readAside('SELECT 2')]);
  const rawScan = await rawScanMs(ts);
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
