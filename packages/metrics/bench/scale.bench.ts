// `pnpm bench scale`: the 10,000-engineer organisation of issue 23 (400 teams, one year: ~1.5 million PRs, 2 million
// issues, 50,000 deployments, 2.5 million daily reports) on one machine, every figure next to a raw baseline measured
// in the same run. TEAMSTATE_SCALE=0.1 generates a tenth of the teams (a quicker run); the default is the full size.
// The bundle is generated once per seed, size and day into the temp directory and reused.
// TEAMSTATE_SCALE_DATABASE=<file> skips the import and measures a copy of a database it made before (a quicker loop
// while working on the queries); TEAMSTATE_SCALE_PARTS=metrics,signals,mcp,sync runs only those parts. `sync` (last,
// as it writes) syncs a day of GitHub and Jira activity from mock servers into the database with the real connectors
// against a raw INSERT of the same rows (../../connectors/bench/scale-sync.ts says what counts).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { freemem, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCompanyBundle } from '@teamstate/connectors/demo';
import { createTeamState, type SignalContext, type SignalDetector, type TeamState } from '@teamstate/core';
import { createStoreReader } from '@teamstate/core/store';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';
import { NOW } from './large-demo.js';
import { perMetric } from './metrics.bench.js';
import { emptySignals, rawScanMs } from './scale-signals.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const DAY = 86_400_000;
const SEED = 42;

interface ImportSide {
  seconds: number;
  /** CPU seconds (user + system) of the side's own process over its timed part. */
  cpuSeconds: number;
  rows: number;
  maxRssMb: number;
}

// `typeStripping`: run the script with Node's own type stripping instead of tsx, whose loader thread (a second V8 heap)
// would count in the peak RSS of a process measured as `teamstate import` runs.
/** What scale-signals-child.ts measured: one process's raw scan (median of 5) and first refresh, in ms. */
interface FirstRefresh {
  rawScan: number;
  first: number;
  open: number;
  cpuMs: number;
  faults: number;
}

/** How many server processes' first refreshes the signals part times (their median is the figure): an odd number. */
const FIRST_REFRESHES = oddCount('TEAMSTATE_SCALE_FIRST_REFRESHES', process.env.TEAMSTATE_SCALE_FIRST_REFRESHES ?? '5');

function oddCount(name: string, value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count % 2 === 0)
    throw new Error(`${name}: expected an odd whole number of processes (1, 3, 5…) so that the median is one of them, got "${value}"`);
  return count;
}

function child(script: string, args: string[], typeStripping = false): string {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const result = spawnSync(process.execPath, [...(typeStripping ? [] : ['--import', 'tsx']), path, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * What the generator writes now, in short: the sha256 of one team of the organisation (a fraction of a second to
 * make), so that a bundle cached by an older generator is not measured as this one's.
 */
function generatorFingerprint(): string {
  const probe = join(tmpdir(), `teamstate-scale-probe-${process.pid}.json`);
  try {
    writeCompanyBundle(probe, { now: NOW, seed: SEED, fraction: 1 / 400 });
    return createHash('sha256').update(readFileSync(probe)).digest('hex').slice(0, 12);
  } finally {
    rmSync(probe, { force: true });
  }
}

/** The organisation's bundle file, generated once per generator, seed, fraction and day. */
function bundleFile(fraction: number, report: BenchReport): string {
  const day = NOW.toISOString().slice(0, 10);
  const file = join(tmpdir(), `teamstate-scale-${SEED}-${fraction}-${day}-${generatorFingerprint()}.json`);
  if (existsSync(file)) return file;
  const started = performance.now();
  const building = `${file}.${process.pid}.tmp`;
  writeCompanyBundle(building, { now: NOW, seed: SEED, fraction });
  renameSync(building, file);
  report.figure('generate the bundle (once, then cached)', (performance.now() - started) / 1000, 's', file);
  return file;
}

/** The middle value (of an odd number of them). */
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const timeIt = async (fn: () => Promise<unknown>) => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

/**
 * The deployment mapping's cost after writes: its first build, and the first metric read after a one-PR import
 * (which rebuilds only that PR's repository) against the same read with nothing to rebuild.
 */
async function mappingRefresh(
  report: BenchReport,
  ts: TeamState,
  first: { firstRead: number; build: number },
  allTime: { from: string; to: string },
) {
  const repository = String((await ts.store.execute('SELECT id FROM repositories ORDER BY id LIMIT 1')).rows[0]!.id);
  const read = () => ts.metrics.compute(['lead_time_for_changes'], allTime);
  const samples: number[] = [];
  for (let n = 1; n <= 5; n++) {
    const merged = new Date(NOW.getTime() - n * 3_600_000).toISOString();
    await ts.import({
      format: 'teamstate.bundle/v1',
      workItems: [
        {
          id: `bench-mapping-pr-${n}`,
          source: 'github',
          kind: 'pull_request',
          key: `${repository}#bench-${n}`,
          title: `Bench change ${n}`,
          state: 'merged',
          repository,
          createdAt: new Date(NOW.getTime() - 48 * 3_600_000).toISOString(),
          mergedAt: merged,
        },
      ],
    });
    samples.push(await timeIt(read));
  }
  const current = await timeIt(read);
  samples.sort((a, b) => a - b);
  // A day's sync as the mapping sees it: a merged PR and a production deployment after it in every repository, the
  // deployment listing the PR where the repository's latest deployment has a list.
  const { rows: latest } = await ts.store.execute(
    `SELECT r.id, (SELECT d.has_pull_request_list FROM deployments d WHERE d.workspace = r.workspace AND d.repository_id = r.id
      ORDER BY d.finished_at DESC LIMIT 1) AS listed FROM repositories r ORDER BY r.id`,
  );
  const repositories = latest.map((row) => String(row.id));
  const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();
  await ts.import({
    format: 'teamstate.bundle/v1',
    workItems: repositories.map((id, n) => ({
      id: `bench-day-pr-${n}`,
      source: 'github' as const,
      kind: 'pull_request' as const,
      key: `${id}#bench-day`,
      title: 'Bench day change',
      state: 'merged' as const,
      repository: id,
      createdAt: hoursAgo(30),
      mergedAt: hoursAgo(6),
    })),
    deployments: repositories.map((id, n) => ({
      id: `bench-day-deploy-${n}`,
      repository: id,
      environment: 'production',
      status: 'success' as const,
      finishedAt: hoursAgo(2),
      ...(latest[n]!.listed === 1 ? { pullRequests: [`bench-day-pr-${n}`] } : {}),
    })),
  });
  const day = await timeIt(read);
  report.section(`deployment mapping after writes (load average ${loadavg()[0]!.toFixed(1)})`);
  report.figure(
    'first lead_time_for_changes read, all time',
    first.firstRead,
    'ms',
    'the mapping built by the import, unless it came from an older one',
  );
  report.figure('first build for new settings (productionEnvironments reordered)', first.build, 'ms', 'once per database and settings');
  report.figure('first lead_time_for_changes read after a one-PR import', samples[2]!, 'ms', `median of 5; rebuilds ${repository} only`);
  report.figure(
    "first read after a day's PR and deployment in every repository",
    day,
    'ms',
    `${repositories.length} repositories, each rebuilt from the merges the writes can change`,
  );
  report.figure('the same read with nothing to rebuild', current, 'ms');
}

/**
 * What a 4 KB page of memory new to the process costs on this machine, in ms: 64 MB touched once, a page at a time.
 * The kernel maps each such page on first touch, and a virtual machine may have to get it from its host first (22 µs
 * a page on the 2-core machine of stop 41): a process's first refresh grows its heaps (V8's young generation to its
 * full size, the readers' allocations), a later one reuses them.
 */
function freshPageMs(bytes = 64 * 1024 ** 2): number {
  const memory = Buffer.allocUnsafeSlow(bytes);
  const start = performance.now();
  for (let i = 0; i < bytes; i += 4096) memory[i] = 1;
  return (performance.now() - start) / (bytes / 4096);
}

/**
 * Lets the operating system drop a file this run reads no more from its cache (GNU dd's `nocache`: no root needed):
 * the source of TEAMSTATE_SCALE_DATABASE's copy, the bundle once imported. Held, they leave the machine without free
 * memory (an 11 GB source beside its 11 GB copy on 24 GB), and a page new to a process may wait for the kernel to
 * reclaim one (64 MB touched right after such a copy: 12.3 µs a page, then 1.8 µs). A server's machine caches its own
 * file, not a copy's source. Whether it moves the first refresh is not shown: a page new to a process cost 1.8–13.4 µs
 * between runs with 11–12 GB free (stop 44), and a second copy in the cache made no clear difference in stop 43.
 * Returns whether it could (no GNU dd: the figures below say how much memory was free).
 */
function letGo(path: string): boolean {
  const dd = spawnSync('dd', [`if=${path}`, 'iflag=nocache', 'count=0', 'status=none'], { stdio: 'ignore' });
  return dd.status === 0;
}

/** The machine's free memory in MB: Linux's MemFree (Node's `freemem()` is MemAvailable, which counts the OS cache). */
function freeMemoryMb(): number {
  const meminfo = existsSync('/proc/meminfo') ? readFileSync('/proc/meminfo', 'utf8') : '';
  const kib = /^MemFree:\s+(\d+) kB/m.exec(meminfo)?.[1];
  return kib === undefined ? freemem() / 1e6 : (Number(kib) * 1024) / 1e6;
}

/**
 * Puts the database file on disk and reads it through once, so that what is timed next reads the pages from the
 * operating system's cache, as the raw scan does (its first run is not counted). Otherwise gigabytes just written (an
 * import's checkpoint, a copy) still being written back compete with every read, and the first refresh reads from
 * the disk the indexes the scan never touched: it measured the disk, not the code (10.2× against 5–6× with the file
 * cached, stop 37). In a process of its own: closing a descriptor of the file drops every POSIX lock this process holds
 * on it, SQLite's included (https://sqlite.org/howtocorrupt.html#posix_advisory_locks_canceled_by_a_separate_thread_doing_close_),
 * and the next process to close its connection then took itself for the last one and reset the write-ahead log under
 * this one's open connections (SQLITE_IOERR_SHORT_READ, stop 44). Returns the time it took.
 */
function settle(path: string): number {
  const started = performance.now();
  const reading = `const fs = require('node:fs');
    const file = fs.openSync(process.argv[1], 'r+');
    fs.fsyncSync(file);
    const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
    while (fs.readSync(file, chunk, 0, chunk.length, null) > 0);`;
  const result = spawnSync(process.execPath, ['-e', reading, path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`settling ${path} failed: ${result.stderr}`);
  return performance.now() - started;
}

export async function run(report: BenchReport): Promise<void> {
  const fraction = Number(process.env.TEAMSTATE_SCALE ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-scale-'));
  try {
    report.section(`scale: the 10,000-engineer organisation × ${fraction} (seed ${SEED}, ${NOW.toISOString().slice(0, 10)})`);
    const parts = new Set((process.env.TEAMSTATE_SCALE_PARTS ?? 'import,metrics,signals,mcp,sync').split(','));
    const database = join(dir, 'teamstate.db');
    const given = process.env.TEAMSTATE_SCALE_DATABASE;
    if (given) {
      copyFileSync(given, database);
      report.figure(
        'database copied from TEAMSTATE_SCALE_DATABASE (no import)',
        statSync(database).size / 1e6,
        'MB',
        `${given}; ${letGo(given) ? 'its source dropped from the OS cache' : 'its source still in the OS cache (no GNU dd)'}, see letGo()`,
      );
    } else {
      const file = bundleFile(fraction, report);
      report.figure('bundle file', statSync(file).size / 1e6, 'MB');
      // --- import, each side in its own process (peak RSS is the process's own)
      const ours = JSON.parse(child('../../connectors/bench/scale-import-child.ts', ['teamstate', file, database], true)) as ImportSide;
      const raw = JSON.parse(
        child('../../connectors/bench/scale-import-child.ts', ['raw', database, join(dir, 'raw.db')], true),
      ) as ImportSide;
      rmSync(join(dir, 'raw.db'), { force: true });
      rmSync(join(dir, 'raw.db-wal'), { force: true });
      letGo(file);
      report.section(`import: ${ours.rows.toLocaleString('en-US')} rows, temp file, WAL (load average ${loadavg()[0]!.toFixed(1)})`);
      report.figure(
        'teamstate import <file> (stream, validate, refs, upsert)',
        ours.rows / ours.seconds,
        'rows/s',
        `${ours.seconds.toFixed(1)} s`,
      );
      report.figure('raw @libsql/client multi-row INSERT, same rows', raw.rows / raw.seconds, 'rows/s', `${raw.seconds.toFixed(1)} s`);
      report.figure('ratio teamstate / raw', raw.seconds / ours.seconds, 'x', 'target >= 0.5x');
      // The two sides run one after the other: under a changing load their wall-clock times follow the machine, their
      // CPU times (each process's own, over its timed part) much less.
      report.figure(
        'ratio teamstate / raw by CPU time',
        raw.cpuSeconds / ours.cpuSeconds,
        'x',
        `${ours.cpuSeconds.toFixed(1)} against ${raw.cpuSeconds.toFixed(1)} CPU s; target >= 0.5x`,
      );
      report.figure('peak RSS of the importing process', ours.maxRssMb, 'MB', 'target <= 512 MB');
      report.figure('peak RSS of the raw baseline process', raw.maxRssMb, 'MB', 'flat in rows: statements freed as it goes');
    }

    const ts = await createTeamState({ database: `file:${database}`, clock: () => NOW, metrics: builtinMetrics, signals: builtinSignals });
    // The process a refresh of the organisation runs in is a server (`teamstate serve`, `teamstate mcp`): it starts the
    // detectors' reader threads as it opens the file, as this does.
    ts.store.warmReadAside();
    let open = 0;
    let closed = false;
    try {
      // A database made before may hold the signals of an earlier run: the first refresh starts from none.
      await emptySignals(ts);
      report.figure('database file written back and read once before anything is timed', settle(database), 'ms', 'see settle()');
      report.figure('memory free on the machine then', freeMemoryMb(), 'MB', 'a page new to a process costs more without it: see letGo()');
      const count = async (sql: string) => Number((await ts.store.execute(sql)).rows[0]!.n);
      const prs = await count("SELECT count(*) AS n FROM work_items WHERE kind = 'pull_request'");
      const issues = await count("SELECT count(*) AS n FROM work_items WHERE source = 'jira'");
      const bytes = statSync(database).size;
      report.section(
        `database: ${prs.toLocaleString('en-US')} PRs, ${issues.toLocaleString('en-US')} issues, ${(await count('SELECT count(*) AS n FROM deployments')).toLocaleString('en-US')} deployments, ${(await count('SELECT count(*) AS n FROM reports')).toLocaleString('en-US')} reports`,
      );
      report.figure('database file', bytes / 1e6, 'MB');
      report.figure('database size per 100,000 PRs', ((bytes / prs) * 100_000) / 1e6, 'MB', 'the whole workspace divided by its PRs');

      // --- the 15 delivery metrics (AI share is not one of them)
      const delivery = builtinMetrics.filter((metric) => metric.id !== 'ai_assisted_share');
      const end = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate());
      const ninetyDays = { from: new Date(end - 90 * DAY).toISOString(), to: new Date(end).toISOString() };
      const [team] = await ts.teams.list();
      const oneTeam = { ...ninetyDays, team: team!.id };
      if (parts.has('metrics')) {
        const allTime = { from: '2000-01-01T00:00:00.000Z', to: ninetyDays.to };
        // The derived deployment mapping (pull_request_deployments, deployment_rework): built by the bulk import for
        // the configured settings (else by the first read that needs it), then rebuilt only for the repositories a write
        // touches. The first read, then a first build for another set of settings (the same patterns in another
        // order: another key), as after a change of productionEnvironments.
        const firstRead = await timeIt(() => ts.metrics.compute(['lead_time_for_changes'], allTime));
        const other = await createTeamState({
          database: `file:${database}`,
          clock: () => NOW,
          metrics: builtinMetrics,
          metricSettings: { productionEnvironments: ['prod', 'production'] },
        });
        const build = await timeIt(() => other.metrics.compute(['lead_time_for_changes'], allTime)).finally(() => other.close());
        await perMetric(report, ts, `one team (${team!.id}), 90 days`, oneTeam, 3, delivery);
        await perMetric(report, ts, 'whole organisation, all time', allTime, 10, delivery);
        await mappingRefresh(report, ts, { firstRead, build }, allTime);
      }

      // --- signals: the first refresh, then a second one with nothing changed (incremental where it can be)
      if (parts.has('signals')) {
        // The metrics part wrote (a second mapping, a day's writes in every repository): written back and read once
        // again first, as before anything is timed, so that the refresh does not compete with that write-back.
        if (parts.has('metrics')) {
          await ts.store.execute('PRAGMA wal_checkpoint(TRUNCATE)');
          report.figure("database file written back and read once again after the metrics part's writes", settle(database), 'ms');
        }
        // A first refresh happens once per server process: several of them, each a process of its own timed next to the
        // raw scan it ran just before, and their median (one sample on a shared machine measures the machine).
        const firsts = Array.from(
          { length: FIRST_REFRESHES },
          () => JSON.parse(child('scale-signals-child.ts', [database], true)) as FirstRefresh,
        );
        const ratios = firsts.map((run) => run.first / run.rawScan).sort((a, b) => a - b);
        // This process's own first refresh starts from none too (the last of them stored theirs).
        await emptySignals(ts);
        const rawScan = await rawScanMs(ts);
        const cpu = process.cpuUsage();
        const faults = process.resourceUsage().minorPageFault;
        const first = await timeIt(async () => {
          open = (await ts.signals.refresh()).open;
        });
        const { user, system } = process.cpuUsage(cpu);
        const firstFaults = process.resourceUsage().minorPageFault - faults;
        const second = await timeIt(() => ts.signals.refresh());
        // Every detector again over warm pages, the signals already stored: what is left beyond the detectors is
        // diffing and writing the rows (none changed).
        const again = await timeIt(() => ts.signals.refresh({ full: true }));
        // The first refresh again as the scan is timed: the process warm (its connections, threads and compiled code),
        // every row written into an empty signals table. Both read the file from the operating system's cache (settle()).
        await ts.store.execute('DELETE FROM signals');
        await ts.store.execute('DELETE FROM signal_detector_runs');
        const warmFaults = process.resourceUsage().minorPageFault;
        const warm = await timeIt(() => ts.signals.refresh());
        const warmFaulted = process.resourceUsage().minorPageFault - warmFaults;
        const pageMs = freshPageMs();
        report.section(
          `signals.refresh() for the organisation (${builtinSignals.length} detectors, ${open} open signals; load average ${loadavg()[0]!.toFixed(1)})`,
        );
        report.figure('raw full scan of work_items (count, sum, max)', rawScan, 'ms', 'median of 5, this process');
        report.figure(
          `first refresh of a server process, median of ${FIRST_REFRESHES} processes`,
          median(firsts.map((run) => run.first)),
          'ms',
          `each next to its own raw scan (median ${median(firsts.map((run) => run.rawScan)).toFixed(0)} ms): ${median(ratios).toFixed(2)}x raw, target <= 3x; in the order they ran: ${firsts.map((run) => `${(run.first / run.rawScan).toFixed(2)}x (${run.cpuMs.toFixed(0)} ms CPU)`).join(', ')}`,
        );
        report.figure('first refresh in this process (one sample)', first, 'ms', `${(first / rawScan).toFixed(1)}x raw`);
        report.figure(
          'first refresh in this process, CPU time',
          (user + system) / 1000,
          'ms',
          `${((user + system) / 1000 / first).toFixed(1)} cores busy on average: the detectors read side by side`,
        );
        report.figure(
          'first refresh again, warm (signals emptied)',
          warm,
          'ms',
          `${(warm / rawScan).toFixed(1)}x raw, as the scan is timed`,
        );
        report.figure(
          'first refresh in this process, pages of memory new to it (page faults)',
          firstFaults,
          '',
          `${warmFaulted} for the warm one; at ${(pageMs * 1000).toFixed(1)} µs a page here, ${Math.round((firstFaults - warmFaulted) * pageMs)} ms of difference`,
        );
        report.figure(
          "this machine's cost of a page of memory new to a process",
          pageMs * 1000,
          'µs',
          '64 MB touched once, a page at a time: the first refresh grows its heaps, a later one reuses them',
        );
        report.figure('second refresh, nothing changed', second, 'ms', `${(second / rawScan).toFixed(1)}x raw`);
        report.figure('full refresh again (every detector, warm, nothing to write)', again, 'ms', `${(again / rawScan).toFixed(1)}x raw`);
        // Where the first refresh goes: each detector's queries and code alone on the store's own connection (median of 3,
        // its default settings), and the refresh's own writing and diffing of the signals rows (replayed, below).
        report.section(`signals: each detector's detect() alone vs the raw scan (load average ${loadavg()[0]!.toFixed(1)})`);
        const reader = createStoreReader(ts.store, ts.workspace);
        const workingHours = { start: 9, end: 17, days: [1, 2, 3, 4, 5], timeZone: 'UTC' };
        let detecting = 0;
        // What each detector found, for the write-path figures below.
        const replays: SignalDetector[] = [];
        for (const detector of builtinSignals) {
          const ctx: SignalContext = { workspace: ts.workspace, now: NOW, settings: () => ({ ...detector.defaults }), workingHours };
          let found = 0;
          const runs: number[] = [];
          for (let i = 0; i < 3; i++)
            runs.push(
              await timeIt(async () => {
                const signals = await detector.detect(reader, ctx);
                found = signals.length;
                replays[builtinSignals.indexOf(detector)] = { ...detector, detect: async () => signals };
              }),
            );
          const ms = runs.sort((a, b) => a - b)[1]!;
          detecting += ms;
          report.figure(detector.kind, ms, 'ms', `${(ms / rawScan).toFixed(2)}x raw, ${found} found`);
        }
        // One after the other: a refresh runs them side by side, so its time is not this sum plus its writes.
        report.figure('all detectors, one after the other', detecting, 'ms', `${(detecting / rawScan).toFixed(1)}x raw`);
        // The refresh's own cost, without the detectors' (each returns what it found above): every row written into
        // an empty signals table, then the same rows diffed with nothing to write. Median of 3 each, warm pages.
        const replay = await createTeamState({ database: `file:${database}`, clock: () => NOW, signals: replays });
        try {
          const writes: number[] = [];
          const diffs: number[] = [];
          for (let i = 0; i < 3; i++) {
            await replay.store.execute('DELETE FROM signals');
            await replay.store.execute('DELETE FROM signal_detector_runs');
            writes.push(await timeIt(() => replay.signals.refresh()));
            diffs.push(await timeIt(() => replay.signals.refresh({ full: true })));
          }
          report.figure(
            `refresh writing all ${open} rows (detectors replayed)`,
            median(writes),
            'ms',
            `${(median(writes) / rawScan).toFixed(2)}x raw`,
          );
          report.figure(
            'refresh diffing them, nothing to write (replayed)',
            median(diffs),
            'ms',
            `${(median(diffs) / rawScan).toFixed(2)}x raw`,
          );
        } finally {
          await replay.close();
        }
      }

      // --- MCP over stdio (the built CLI), one team's view, with this process's connection closed
      await ts.close();
      closed = true;
      if (parts.has('mcp')) {
        const mcp = JSON.parse(
          child('../../mcp-server/bench/scale-mcp-child.ts', [database, team!.id, ninetyDays.from, ninetyDays.to]),
        ) as Record<string, { p50: number; p99: number; calls: number }>;
        report.section(`MCP over stdio on this workspace (team ${team!.id}; load average ${loadavg()[0]!.toFixed(1)})`);
        for (const [tool, { p50, p99, calls }] of Object.entries(mcp)) {
          report.figure(`${tool} p99`, p99, 'ms', `p50 ${p50.toFixed(1)} ms, ${calls} calls; target < 250 ms`);
        }
      }
    } finally {
      if (!closed) await ts.close();
    }

    // --- sync ingest: a day of GitHub and Jira activity into this database (last: it adds rows)
    if (parts.has('sync')) {
      const { measureScaleSync } = await import('../../connectors/bench/scale-sync.js');
      await measureScaleSync(report, fraction, database, NOW);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
