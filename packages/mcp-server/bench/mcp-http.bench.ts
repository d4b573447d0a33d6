// `pnpm bench mcp-http`: the MCP server over Streamable HTTP under a company's load, and its stdio start-up.
//
// 1. `teamstate mcp --http` on the 10,000-engineer organisation (the bundle of `pnpm bench scale`, imported with
//    `teamstate import`): 50 sessions at once, each calling get_metrics 20 times in a row (the default metrics of one
//    team over 30 days, a different team per session); errors and p50/p99 of every call. Half the sessions speak
//    2025-11-25 (the v1 SDK client), half 2026-07-28 (the v2 SDK client). TEAMSTATE_MCP_HTTP_SCALE=<fraction> (or
//    TEAMSTATE_SCALE) sizes the organisation (default 1: 400 teams; 0.05 is 20 teams, 500 engineers, minutes instead
//    of an hour to build); TEAMSTATE_SCALE_DATABASE=<file> measures a copy of a database made before instead. Before
//    the server starts, the bench computes the sessions' queries once in its own process, so that the pages they read
//    are in the OS cache as a running server's file is (the server's own caches start empty). The first 50 sessions
//    meet the server just started, TEAMSTATE_MCP_HTTP_STARTS times (default 3, a fresh server each time), and that
//    p99's target (< 250 ms) is on the median of the starts. Then the sessions run
//    TEAMSTATE_MCP_HTTP_ROUNDS times (default 3) against the running server, each round for 50 teams no call asked
//    for before (each session's first call computes its team's metrics from the store), and the p99's target is on
//    the median of those rounds. Then one session of each protocol calls the last one 200 times one call after
//    another: a call's latency without load.
// 2. Start-up over stdio as a whole client + server process (spawn → initialize → tools/list → exit) against the same
//    with a minimal SDK server that has one tool: paired runs, one of each in turn, and the median of their ratios. On
//    the demo workspace (`teamstate demo`), what a user first points an assistant at, and after part 1 on the
//    organisation too. TEAMSTATE_MCP_HTTP_PARTS=startup measures the demo workspace alone, in a minute.
//    Figures, not pass/fail: no timing is asserted.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpTransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { writeCompanyBundle } from '@teamstate/connectors/demo';
import { createTeamState, metricWindow } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { percentile } from './mcp.bench.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
const SESSIONS = 50;
/** A count from the environment variable `name`, or `fallback` when it is not set; anything but a whole number ≥ 1 is refused. */
function countFrom(name: string, fallback: number): number {
  const given = process.env[name];
  if (given === undefined) return fallback;
  const count = Number(given);
  if (!Number.isInteger(count) || count < 1) throw new Error(`${name}: expected a whole number of at least 1, got "${given}"`);
  return count;
}

const CALLS_PER_SESSION = countFrom('TEAMSTATE_MCP_HTTP_CALLS', 20);
/**
 * Rounds of the sessions at once against the running server, each for teams no call asked for before: one round's p99
 * moves by tens of percent with the machine's load, so the target is judged on their median.
 */
const ROUNDS = countFrom('TEAMSTATE_MCP_HTTP_ROUNDS', 3);
/** Fresh starts of the server, each met by one round of the sessions at once: the just-started p99 is their median. */
const STARTS = countFrom('TEAMSTATE_MCP_HTTP_STARTS', 3);
/** Calls of {@link oneAfterAnother}'s sessions. */
const SEQUENTIAL_CALLS = 200;
/** Paired start-up runs (odd: the median is one of them). */
const PAIRS = countFrom('TEAMSTATE_MCP_HTTP_PAIRS', 21);
const NOW = new Date('2026-03-10T12:00:00Z');

const median = (values: number[]) => percentile(values, 50);

/** The organisation's database: a copy made before, or the bundle of the given fraction generated and imported. */
function database(dir: string, report: BenchReport): { file: string; origin: string } {
  const given = process.env.TEAMSTATE_SCALE_DATABASE;
  const file = join(dir, 'teamstate.db');
  // A copy: the server writes (its derived tables, the log), and the database given may be shared by other benches.
  if (given) {
    const started = performance.now();
    copyFileSync(given, file);
    report.figure('database copied', (performance.now() - started) / 1000, 's', given);
    return { file, origin: `a copy of ${given}` };
  }
  const name = process.env.TEAMSTATE_MCP_HTTP_SCALE !== undefined ? 'TEAMSTATE_MCP_HTTP_SCALE' : 'TEAMSTATE_SCALE';
  const scale = process.env[name];
  const fraction = scale === undefined ? 1 : Number(scale);
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`${name}: expected a fraction of the organisation in (0, 1], got "${scale}"`);
  const bundle = join(dir, 'bundle.json');
  const started = performance.now();
  writeCompanyBundle(bundle, { now: NOW, seed: 42, fraction });
  const imported = spawnSync(process.execPath, [BIN, '--db', file, 'import', bundle], { encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`teamstate import failed: ${imported.stderr}`);
  rmSync(bundle, { force: true });
  const seconds = (performance.now() - started) / 1000;
  report.figure('organisation generated and imported', seconds, 's', `fraction ${fraction} of 400 teams`);
  return { file, origin: `the 10,000-engineer organisation × ${fraction}` };
}

/**
 * `teamstate mcp --http` on a free port; resolves once it says where it listens, with how long that took (its warm-up
 * included). `stop()` resolves once it has exited.
 */
function startHttpServer(file: string, token: string): Promise<{ stop(): Promise<void>; url: URL; startMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const server = spawn(process.execPath, [BIN, 'mcp', '--http', '--port', '0', '--db', file], {
      env: { ...process.env, TEAMSTATE_MCP_TOKEN: token },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    server.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const listening = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr)?.[1];
      if (listening) {
        const exited = new Promise<void>((done) => server.once('close', () => done()));
        const stop = () => {
          server.kill();
          return exited;
        };
        resolve({ url: new URL(listening), stop, startMs: performance.now() - started });
      }
    });
    server.on('close', (code) => reject(new Error(`teamstate mcp --http exited with ${code}: ${stderr}`)));
  });
}

interface Caller {
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}

async function session(url: URL, token: string, modern: boolean): Promise<Caller> {
  const requestInit = { headers: { authorization: `Bearer ${token}` } };
  if (modern) {
    const client = new ClientV2({ name: 'bench', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(new HttpTransportV2(url, { requestInit }));
    return client;
  }
  const client = new ClientV1({ name: 'bench', version: '1' });
  await client.connect(new HttpTransportV1(url, { requestInit }));
  return client;
}

/** An error of a call, with its cause (a socket error's code) and the protocol of the session. */
function describe(error: unknown, modern: boolean): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return `${modern ? '2026-07-28' : '2025-11-25'}: ${message}${cause ? ` (${cause.code ?? cause.message})` : ''}`;
}

/**
 * Computes each session's query once in this process, whose caches end with it: the pages the queries read are then in
 * the OS cache, as a running server's file is. Reading the whole file through did not do that on a machine that pages
 * out what was not touched for a minute: 13.6 GB took minutes to read, and its first gigabytes were out again before
 * the last were in, so the server's first computations read from disk.
 */
async function warmOsCache(file: string, teams: string[], window: { from: string; to: string }): Promise<number> {
  const started = performance.now();
  const ts = await createTeamState({ database: `file:${file}`, clock: () => NOW, metrics: builtinMetrics });
  try {
    for (const team of teams) await ts.metrics.compute(undefined, { team, ...window });
  } finally {
    await ts.close();
  }
  return (performance.now() - started) / 1000;
}

async function concurrentSessions(report: BenchReport, file: string, origin: string): Promise<void> {
  const ts = await createTeamState({ database: `file:${file}`, clock: () => NOW });
  const teams = (await ts.teams.list()).map((team) => team.id);
  const [latest] = await ts.deployments.list({ limit: 1 });
  const window = metricWindow({ to: latest?.finishedAt ?? NOW.toISOString() }, NOW);
  await ts.close();
  // Round 0 meets the server just started; each round after it asks for 50 other teams (the organisation's 400 teams
  // cover round 0 and 7 more; a smaller one repeats its teams, whose answers then come from the last result).
  const roundTeams = (round: number) => Array.from({ length: SESSIONS }, (_, i) => teams[(round * SESSIONS + i) % teams.length]!);
  const allTeams = [...new Set(Array.from({ length: ROUNDS + 1 }, (_, round) => roundTeams(round)).flat())];
  report.figure("the sessions' queries computed once (their pages into the OS cache)", await warmOsCache(file, allTeams, window), 's');
  const token = randomBytes(32).toString('base64url');
  // The first round after a start, on a fresh server each time (its own caches empty, V8's compile cache as a restart
  // finds it): the last one stays up for the rounds against the running server.
  const justStarted: number[] = [];
  let server = await startHttpServer(file, token);
  for (let start = 1; ; start++) {
    report.section(
      `get_metrics over Streamable HTTP, start ${start} of ${STARTS}, the server just started: ${SESSIONS} sessions × ${CALLS_PER_SESSION} calls, ${origin}, ${teams.length} teams (load average ${loadavg()[0]!.toFixed(1)})`,
    );
    report.figure('the server started: spawn → listening, its warm-up included', server.startMs, 'ms');
    const p99 = await sessionsAtOnce(report, server.url, token, roundTeams(0), window, false);
    if (p99 !== undefined) justStarted.push(p99);
    if (start >= STARTS) break;
    await server.stop();
    server = await startHttpServer(file, token);
  }
  try {
    const p99s: number[] = [];
    const asked = new Set(roundTeams(0));
    for (let round = 1; round <= ROUNDS; round++) {
      const fresh = [...new Set(roundTeams(round))].filter((team) => !asked.has(team)).length;
      for (const team of roundTeams(round)) asked.add(team);
      const whose =
        fresh === SESSIONS
          ? `${SESSIONS} teams not asked for before`
          : `${fresh} teams not asked for before (the organisation has ${teams.length})`;
      report.section(
        `get_metrics over Streamable HTTP, round ${round} of ${ROUNDS} against the running server, ${whose}: ${SESSIONS} sessions × ${CALLS_PER_SESSION} calls (load average ${loadavg()[0]!.toFixed(1)})`,
      );
      const p99 = await sessionsAtOnce(report, server.url, token, roundTeams(round), window, true);
      if (p99 !== undefined) p99s.push(p99);
    }
    await oneAfterAnother(report, server.url, token, { team: teams[0]!, from: window.from, to: window.to });
    report.section(`get_metrics over Streamable HTTP: the ${ROUNDS} rounds against the running server`);
    if (justStarted.length > 0)
      report.figure(
        'get_metrics p99 in the first round after a start, median of the starts',
        median(justStarted),
        'ms',
        `target < 250 ms; each: ${justStarted.map((p99) => p99.toFixed(0)).join(', ')} ms`,
      );
    if (p99s.length > 0)
      report.figure(
        'get_metrics p99, median of the rounds',
        median(p99s),
        'ms',
        `target < 250 ms; each: ${p99s.map((p99) => p99.toFixed(0)).join(', ')} ms`,
      );
  } finally {
    await server.stop();
  }
}

/** The sessions at once, each for its team of `sessionTeams`; the p99 of their calls, if any answered (`judged`: on the target). */
async function sessionsAtOnce(
  report: BenchReport,
  url: URL,
  token: string,
  sessionTeams: string[],
  window: { from: string; to: string },
  judged: boolean,
): Promise<number | undefined> {
  const durations: number[] = [];
  // Each session's first call: the one no earlier call of the same query answered.
  const firstCalls: number[] = [];
  let errors = 0;
  const firstErrors: string[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SESSIONS }, async (_, i) => {
      let client: Caller | undefined;
      try {
        client = await session(url, token, i % 2 === 1);
        const args = { team: sessionTeams[i]!, from: window.from, to: window.to };
        for (let call = 0; call < CALLS_PER_SESSION; call++) {
          const before = performance.now();
          try {
            const result = (await client.callTool({ name: 'get_metrics', arguments: args })) as { isError?: boolean; content?: unknown };
            if (result.isError) throw new Error(JSON.stringify(result.content).slice(0, 200));
            durations.push(performance.now() - before);
            if (call === 0) firstCalls.push(performance.now() - before);
          } catch (error) {
            errors++;
            if (firstErrors.length < 3) firstErrors.push(describe(error, i % 2 === 1));
          }
        }
      } catch (error) {
        errors += CALLS_PER_SESSION;
        if (firstErrors.length < 3) firstErrors.push(describe(error, i % 2 === 1));
      } finally {
        await client?.close();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  report.figure('errors', errors, 'calls', firstErrors.length > 0 ? firstErrors.join(' | ') : 'target 0');
  report.figure('calls answered', durations.length, 'calls', `in ${seconds.toFixed(1)} s`);
  if (durations.length === 0) return undefined;
  const p99 = percentile(durations, 99);
  report.figure('get_metrics p50', median(durations), 'ms');
  report.figure('get_metrics p99', p99, 'ms', judged ? 'the target is on the median of the rounds' : 'reported, not judged');
  report.figure('first call of a session, p50', median(firstCalls), 'ms');
  report.figure('first call of a session, max', Math.max(...firstCalls), 'ms');
  report.figure('throughput', durations.length / seconds, 'calls/s');
  return p99;
}

/**
 * One session of each protocol calling get_metrics one call after another, on the server that has just answered the
 * sessions (the query answered from its last result): what a call costs without load, HTTP and the SDK included. A
 * stall in the path shows here, where the concurrent figures hide it (a session waiting is load the others do not meet).
 */
async function oneAfterAnother(report: BenchReport, url: URL, token: string, args: Record<string, unknown>): Promise<void> {
  report.section(`get_metrics one call after another: ${SEQUENTIAL_CALLS} calls of one session per protocol`);
  for (const modern of [false, true]) {
    const client = await session(url, token, modern);
    try {
      const each: number[] = [];
      for (let call = 0; call < SEQUENTIAL_CALLS; call++) {
        const before = performance.now();
        const result = (await client.callTool({ name: 'get_metrics', arguments: args })) as { isError?: boolean; content?: unknown };
        if (result.isError) throw new Error(JSON.stringify(result.content).slice(0, 200));
        each.push(performance.now() - before);
      }
      const protocol = modern ? '2026-07-28' : '2025-11-25';
      report.figure(`${protocol} p50`, median(each), 'ms');
      report.figure(`${protocol} p99`, percentile(each, 99), 'ms');
    } finally {
      await client.close();
    }
  }
}

/** Runs one start-up sample: the client process spawning `server`; returns its wall-clock time in ms. */
function startOnce(server: string[]): number {
  const started = performance.now();
  const child = fileURLToPath(new URL('./stdio-start-child.ts', import.meta.url));
  const result = spawnSync(process.execPath, [child, process.execPath, ...server], { encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`start-up sample failed: ${result.stderr}`);
  return elapsed;
}

/**
 * Paired start-up runs of `teamstate mcp --db <file>` against the minimal server: the median of each, and of the pairs'
 * ratios.
 */
function startUpOn(report: BenchReport, file: string, what: string): void {
  const teamstate = [BIN, 'mcp', '--db', file];
  const minimal = [fileURLToPath(new URL('./minimal-server.ts', import.meta.url))];
  // Warm the OS cache for both before counting.
  startOnce(teamstate);
  startOnce(minimal);
  const ours: number[] = [];
  const theirs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    // Alternate which goes first, so a drift in the machine's load weighs on both alike.
    let mine: number;
    let baseline: number;
    if (i % 2 === 0) {
      mine = startOnce(teamstate);
      baseline = startOnce(minimal);
    } else {
      baseline = startOnce(minimal);
      mine = startOnce(teamstate);
    }
    ours.push(mine);
    theirs.push(baseline);
    ratios.push(mine / baseline);
  }
  report.section(
    `stdio start-up as a whole client + server process, ${what}: ${PAIRS} paired runs (load average ${loadavg()[0]!.toFixed(1)})`,
  );
  report.figure('teamstate mcp: spawn → initialize → tools/list → exit, median', median(ours), 'ms');
  report.figure('minimal SDK server with one tool, median', median(theirs), 'ms');
  report.figure('ratio teamstate / minimal, median of pairs', median(ratios), 'x', 'target ≤ 1.3x');
}

/**
 * The start-up a user meets first: `teamstate demo`, then an assistant spawning `teamstate mcp --db` on it (a demo
 * workspace lists the demo connector's actions in propose_action, which a workspace imported from a bundle does not);
 * then, when the organisation was measured, on its database too.
 */
function startUp(report: BenchReport, dir: string, organisation: string | undefined): void {
  const demo = join(dir, 'demo.db');
  const made = spawnSync(process.execPath, [BIN, 'demo', '--db', demo], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`teamstate demo failed: ${made.stderr}`);
  startUpOn(report, demo, 'the demo workspace (teamstate demo)');
  if (organisation) startUpOn(report, organisation, 'the organisation imported from its bundle');
}

export async function run(report: BenchReport): Promise<void> {
  // Both parts by default; TEAMSTATE_MCP_HTTP_PARTS=http or =startup runs one. Refused before the database is made.
  const parts = new Set((process.env.TEAMSTATE_MCP_HTTP_PARTS ?? 'http,startup').split(','));
  const unknown = [...parts].filter((part) => part !== 'http' && part !== 'startup');
  if (unknown.length > 0)
    throw new Error(`TEAMSTATE_MCP_HTTP_PARTS: expected http, startup or both (comma-separated), got "${unknown.join(',')}"`);
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-mcp-http-'));
  try {
    // The start-up alone needs no organisation: it measures the demo workspace.
    let organisation: string | undefined;
    if (parts.has('http')) {
      const { file, origin } = database(dir, report);
      if (!existsSync(file)) throw new Error(`no database at ${file}`);
      await concurrentSessions(report, file, origin);
      organisation = file;
    }
    if (parts.has('startup')) startUp(report, dir, organisation);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
