import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createTeamState, defaultMetricIds, metricWindow, type TeamState } from '@teamstate/core';
import { builtinMetrics, builtinSignals, standupDigest } from '@teamstate/metrics';
import { createMcpServer } from '../dist/index.js';

interface BenchReport {
  section(title: string): void;
  figure(name: string, value: number, unit: string, note?: string): void;
}

const BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
const STARTS = 10;
const CALLS = 200;
const WARMUP = 10;
/** Calls of the readers whose SQL is slow at this scale: enough to show it, not to hold the run up. */
const SLOW_CALLS = 5;

/** Linear interpolation between closest ranks (numpy's default), like the metrics. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export async function timed(calls: number, call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await call();
  const durations: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call();
    durations.push(performance.now() - started);
  }
  return durations;
}

export async function stdioClient(database: string): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--db', database], stderr: 'ignore' }));
  return client;
}

async function inMemoryClient(ts: TeamState): Promise<Client> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ts).connect(serverTransport);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(clientTransport);
  return client;
}

/** One tool measured three ways: over stdio (the spawned CLI), over MCP in process, and the facade call it wraps. */
interface Case {
  tool: string;
  args: Record<string, unknown>;
  direct(ts: TeamState): Promise<unknown>;
}

async function measure(report: BenchReport, stdio: Client, memory: Client, ts: TeamState, { tool, args, direct }: Case): Promise<void> {
  const overStdio = await timed(CALLS, () => stdio.callTool({ name: tool, arguments: args }));
  const inProcess = await timed(CALLS, () => memory.callTool({ name: tool, arguments: args }));
  const facade = await timed(CALLS, () => direct(ts));
  const p50 = (values: number[]) => percentile(values, 50);
  report.section(`${tool} ${JSON.stringify(args)}: ${CALLS} calls each way`);
  report.figure('over stdio p50', p50(overStdio), 'ms');
  report.figure('over stdio p99', percentile(overStdio, 99), 'ms', 'target < 250 ms');
  report.figure('the facade call alone, in process, p50', p50(facade), 'ms');
  report.figure('overhead: p50 stdio − p50 facade in process', p50(overStdio) - p50(facade), 'ms', 'target ≤ 5 ms');
  // In process the server competes with the client for this process; over stdio it has its own.
  report.figure('for reference: MCP in process (InMemoryTransport) p50', p50(inProcess), 'ms');
}

/**
 * The MCP server on the large demo workspace (50 teams, 1,000 people, a year): spawn → initialize →
 * tools/list of the built CLI, then per tool (get_metrics first: the default set for one team over 30
 * days; list_signals, standup_digest, list_people, list_work_items by team and by person) p50/p99 over 200 calls
 * over stdio, the same call over
 * MCP in process (InMemoryTransport) and the facade call alone, so the transport's share is measured
 * in the same run on the same machine. `TEAMSTATE_BENCH_DB=<file>` reuses a large demo database
 * instead of building one (about a minute and a half).
 */
export async function run(report: BenchReport): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-bench-mcp-'));
  const database = process.env.TEAMSTATE_BENCH_DB ?? join(dir, 'teamstate.db');
  try {
    const built = performance.now();
    if (!process.env.TEAMSTATE_BENCH_DB) {
      const demo = spawnSync(process.execPath, [BIN, '--db', database, 'demo', '--scale', 'large'], { encoding: 'utf8' });
      if (demo.status !== 0) throw new Error(`teamstate demo --scale large failed: ${demo.stderr}`);
    }
    const origin = process.env.TEAMSTATE_BENCH_DB ? `reused ${database}` : `built in ${((performance.now() - built) / 1000).toFixed(0)} s`;

    // --- start-up: what a client waits for before it can call a tool
    const starts: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const started = performance.now();
      const client = await stdioClient(database);
      await client.listTools();
      starts.push(performance.now() - started);
      await client.close();
    }
    const bare: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const started = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      bare.push(performance.now() - started);
    }
    report.section(`MCP server start-up over stdio: large demo workspace (${origin}), load average ${loadavg()[0]!.toFixed(1)}`);
    report.figure('spawn → initialize → tools/list, median', percentile(starts, 50), 'ms', `target < 500 ms; ${STARTS} starts`);
    report.figure('spawn → initialize → tools/list, max', Math.max(...starts), 'ms');
    report.figure('baseline: spawn of `node -e 0`, median', percentile(bare, 50), 'ms', 'the floor on this machine now');

    // --- per call: stdio vs in process
    const ts = await createTeamState({ database: `file:${database}`, metrics: builtinMetrics, signals: builtinSignals });
    const stdio = await stdioClient(database);
    const memory = await inMemoryClient(ts);
    try {
      const [team] = await ts.teams.list();
      const teamId = team!.id;
      // The 30 days up to the latest deployment: the demo may have been built on another day.
      const [latest] = await ts.deployments.list({ limit: 1 });
      const window = metricWindow({ to: latest!.finishedAt }, ts.now());
      await measure(report, stdio, memory, ts, {
        tool: 'get_metrics',
        args: { team: teamId, ...window },
        direct: (t) => t.metrics.compute(defaultMetricIds(t.metrics.list()), { ...window, team: teamId }),
      });
      // The two that refresh the signals first (incrementally, accepting ages up to a minute old) on a 1,000-person org.
      await measure(report, stdio, memory, ts, {
        tool: 'list_signals',
        args: { team: teamId, limit: 50 },
        direct: async (t) => {
          await t.signals.refresh({ maxAgeMs: 60_000 });
          return t.signals.list({ team: teamId, limit: 50, viewer: null });
        },
      });
      await measure(report, stdio, memory, ts, {
        tool: 'standup_digest',
        args: { team: teamId },
        direct: (t) => standupDigest(t, { team: teamId }),
      });
      await measure(report, stdio, memory, ts, {
        tool: 'list_people',
        args: { team: teamId, limit: 50 },
        direct: (t) => t.people.list({ team: teamId }),
      });
      await measure(report, stdio, memory, ts, {
        tool: 'list_work_items',
        args: { team: teamId, limit: 25 },
        direct: (t) => t.workItems.list({ team: teamId, limit: 25 }),
      });
      // One person's items (the filter that once took minutes on this workspace).
      const [member] = await ts.people.list({ team: teamId });
      await measure(report, stdio, memory, ts, {
        tool: 'list_work_items',
        args: { person: member!.id, limit: 25 },
        direct: (t) => t.workItems.list({ person: member!.id, limit: 25 }),
      });

      // Readers whose SQL does not use an index at this scale (core, not MCP): what team_overview,
      // get_work_item and an "open PRs of a team" list_work_items wait for.
      const { items } = await ts.workItems.list({ team: teamId, limit: 1 });
      const key = items[0]!.key;
      report.section(`slow readers on the large workspace, facade calls, ${SLOW_CALLS} each (load average ${loadavg()[0]!.toFixed(1)})`);
      const slow: [string, () => Promise<unknown>][] = [
        ['ts.overview({ team }) (team_overview)', () => ts.overview({ team: teamId })],
        ['ts.workItems.get(key) (get_work_item)', () => ts.workItems.get(key)],
        [
          "ts.workItems.list({ team, kind: 'pull_request', state: 'open' })",
          () => ts.workItems.list({ team: teamId, kind: 'pull_request', state: 'open' }),
        ],
      ];
      for (const [name, call] of slow) {
        const durations: number[] = [];
        for (let i = 0; i < SLOW_CALLS; i++) {
          const started = performance.now();
          await call();
          durations.push(performance.now() - started);
        }
        report.figure(`${name} p50`, percentile(durations, 50), 'ms');
      }
    } finally {
      await stdio.close();
      await memory.close();
      await ts.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
