import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BundleInput, createTeamState, type MetricCalculator } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { openIncidents } from '../../core/test/fixtures/open-incidents-metric.js';
import { main } from '../src/main.js';
import type { Io } from '../src/runtime.js';
import { metricsBundle } from './metrics-fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database file holding the metrics test workspace. */
async function database(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'teamstate-cli-'));
  dirs.push(dir);
  const db = join(dir, 'teamstate.db');
  const ts = await createTeamState({ database: db });
  await ts.import(metricsBundle);
  await ts.close();
  return db;
}

async function cli(args: string[], options: { metrics?: MetricCalculator[] } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: { COLUMNS: '250' }, isTTY: false, cwd: tmpdir() };
  const code = await main(args, io, options);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const window = ['--from', '2026-03-01T00:00:00Z', '--to', '2026-04-01T00:00:00Z'];

describe('teamstate metrics', () => {
  it('prints an aligned table with units and bands', async () => {
    const db = await database();
    const { code, stdout } = await cli([
      '--db',
      db,
      'metrics',
      'lead_time_for_changes',
      'change_failure_rate',
      'throughput',
      'wip',
      ...window,
    ]);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'Metrics for 2026-03-01 00:00 to 2026-04-01 00:00 UTC',
      '',
      'metric                 value  band   details',
      'lead_time_for_changes   48 h  high   p50 48 · p75 48 · p90 48 · count 1',
      'change_failure_rate    0.0 %  elite  failed 0 · total 1',
      'throughput                 2         pullRequests 2 · issues 0',
      'wip                        —         pullRequests 0 · issues 0',
      '',
    ]);
  });

  it('explains the rows behind each number and the data-quality warnings', async () => {
    const db = await database();
    const { stdout } = await cli(['--db', db, 'metrics', 'lead_time_for_changes', '--explain', ...window]);
    expect(stdout).toContain('lead_time_for_changes: 1 row(s)');
    expect(stdout).toMatch(/acme\/api#1\s+d-1\s+heuristic/);
    expect(stdout).toContain('warning: 1 pull request(s) merged in the window were never deployed to production: acme/api#2');

    const json = JSON.parse((await cli(['--db', db, '--json', 'metrics', 'lead_time_for_changes', '--explain', ...window])).stdout);
    expect(json.lead_time_for_changes).toMatchObject({
      value: 48,
      rows: [{ pullRequest: 'acme/api#1', leadTimeHours: 48 }],
      warnings: [expect.any(String)],
    });
  });

  it('computes ai_assisted_share from the evidence on merged pull requests (--json)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teamstate-cli-'));
    dirs.push(dir);
    const db = join(dir, 'teamstate.db');
    const ts = await createTeamState({ database: db });
    const bundle = structuredClone(metricsBundle) as unknown as BundleInput;
    const first = bundle.workItems!.find((item) => item.kind === 'pull_request' && item.mergedAt)!;
    first.labels = [...(first.labels ?? []), 'ai-copilot'];
    await ts.import(bundle);
    await ts.close();
    const { code, stdout } = await cli(['--db', db, '--json', 'metrics', 'ai_assisted_share', ...window]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).ai_assisted_share).toMatchObject({ value: 0.5, unit: 'ratio', assisted: 1, total: 2, unknown: 1 });
    const human = await cli(['--db', db, 'metrics', 'ai_assisted_share', ...window]);
    expect(human.stdout).toMatch(/ai_assisted_share\s+50\.0 %/);
  });

  it('takes bare dates, and defaults --from to 30 days before --to', async () => {
    const db = await database();
    const { stdout } = await cli(['--db', db, '--json', 'metrics', 'throughput', '--explain', '--to', '2026-03-31']);
    expect(JSON.parse(stdout).throughput).toMatchObject({ value: 2, rows: [{ key: 'acme/api#1' }, { key: 'acme/api#2' }] });
    const human = await cli(['--db', db, 'metrics', 'throughput', '--to', '2026-03-31']);
    expect(human.stdout).toContain('Metrics for 2026-03-01 00:00 to 2026-03-31 00:00 UTC');
  });

  it('adds weekly series with --granularity week', async () => {
    const db = await database();
    const { stdout } = await cli(['--db', db, '--json', 'metrics', 'throughput', '--granularity', 'week', ...window]);
    const { throughput } = JSON.parse(stdout);
    expect(throughput.series.map((point: { from: string; value: number | null }) => [point.from, point.value])).toEqual([
      ['2026-03-01T00:00:00.000Z', null],
      ['2026-03-02T00:00:00.000Z', 2],
      ['2026-03-09T00:00:00.000Z', null],
      ['2026-03-16T00:00:00.000Z', null],
      ['2026-03-23T00:00:00.000Z', null],
      ['2026-03-30T00:00:00.000Z', null],
    ]);
  });

  it('shows the weekly series and the comparison with the previous window in the table too', async () => {
    const db = await database();
    const args = ['--db', db, 'metrics', 'throughput', 'lead_time_for_changes', ...window];
    const { code, stdout } = await cli([...args, '--granularity', 'week', '--compare', 'previous']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    // The comparison: the previous window's value, the change and its direction.
    expect(lines).toContain('Compared with 2026-01-29 00:00 to 2026-03-01 00:00 UTC');
    expect(lines.find((line) => line.startsWith('metric'))).toMatch(/^metric\s+value\s+previous\s+change\s+band\s+details$/);
    expect(lines.find((line) => line.startsWith('throughput'))).toMatch(/^throughput\s+2\s+—\s+—\s+pullRequests 2/);
    // The series: one column per week (its Monday), one row per metric.
    const weekly = lines.slice(lines.indexOf('Weekly (weeks start on Monday, UTC)'));
    // 2026-03-01 is a Sunday: the window cuts its week, and the last week too.
    expect(weekly[1]).toMatch(/^metric\s+03-01 \(partial\)\s+03-02\s+03-09\s+03-16\s+03-23\s+03-30 \(partial\)$/);
    expect(weekly.find((line) => line.startsWith('throughput'))).toMatch(/^throughput\s+—\s+2\s+—\s+—\s+—\s+—$/);
    // One merged PR in [03-04, 03-07) and one in the three days before: unchanged.
    const narrow = await cli(['--db', db, 'metrics', 'throughput', '--from', '2026-03-04', '--to', '2026-03-07', '--compare', 'previous']);
    expect(narrow.stdout.split('\n').find((line) => line.startsWith('throughput'))).toMatch(
      /^throughput\s+1\s+1\s+0 \(unchanged\)\s+pullRequests 1/,
    );
    const json = JSON.parse((await cli(['--json', ...args, '--compare', 'previous'])).stdout);
    expect(json.throughput).toMatchObject({ value: 2, previous: { value: null }, delta: null });
    const bad = await cli([...args, '--compare', 'last-year']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: --compare: expected "previous", got "last-year"\n');
  });

  it('offers a custom metric passed by the embedding app, in --list and by id', async () => {
    const db = await database();
    const metrics = [...builtinMetrics, openIncidents];
    expect((await cli(['--db', db, 'metrics', '--list'], { metrics })).stdout).toMatch(/open_incidents\s+count\s+custom\s+Open incidents/);
    const { stdout } = await cli(['--db', db, '--json', 'metrics', 'open_incidents', ...window], { metrics });
    expect(JSON.parse(stdout)).toEqual({ open_incidents: { value: 1, unit: 'count' } });
  });

  it('reports bad input with the argument it concerns', async () => {
    const db = await database();
    const unknown = await cli(['--db', db, 'metrics', 'deploy_frequency', ...window]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^error: ids\[0\]: unknown metric "deploy_frequency" \(did you mean "deployment_frequency"\?\); valid ids: deployment_frequency, /,
    );
    expect((await cli(['--db', db, 'metrics', '--from', 'March', '--to', '2026-04-01T00:00:00Z'])).stderr).toMatch(
      /^error: from: invalid ISO timestamp "March"/,
    );
    expect((await cli(['--db', db, 'metrics', '--team', 'paymnts', ...window])).stderr).toMatch(
      /^error: team: unknown team "paymnts" \(did you mean "payments"\?\)/,
    );
    const granularity = await cli(['--db', db, 'metrics', '--granularity', 'day', ...window]);
    expect(granularity.code).toBe(2);
    expect(granularity.stderr).toBe('error: --granularity: expected "week", got "day"\n');
  });
});
