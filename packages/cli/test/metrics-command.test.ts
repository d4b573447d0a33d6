// End to end: the built binary (run `pnpm build` first) imports a bundle into a database file and prints metrics.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsBundle } from './metrics-fixture.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teamstate-metrics-'));
const db = join(dir, 'teamstate.db');

const teamstate = (...args: string[]) => runCli(['--db', db, ...args]);

beforeAll(async () => {
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify(metricsBundle));
  expect((await teamstate('import', join(dir, 'bundle.json'))).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('teamstate metrics (built binary)', () => {
  it('prints one JSON object keyed by metric id whose values are metric results', async () => {
    const { code, stdout } = await teamstate(
      'metrics',
      'lead_time_for_changes',
      'deployment_frequency',
      '--from',
      '2026-03-01T00:00:00Z',
      '--to',
      '2026-04-01T00:00:00Z',
      '--json',
    );
    expect(code).toBe(0);
    const results = JSON.parse(stdout);
    expect(Object.keys(results)).toEqual(['lead_time_for_changes', 'deployment_frequency']);
    // first commit unknown: createdAt 2026-03-01T09:00Z → deployed 2026-03-03T09:00Z
    expect(results.lead_time_for_changes).toEqual({
      value: 48,
      unit: 'hours',
      p50: 48,
      p75: 48,
      p90: 48,
      count: 1,
      band: 'high',
      benchmarks: '2023',
    });
    expect(results.deployment_frequency).toMatchObject({ value: 1 / 31, unit: 'deployments/day', count: 1 });
  });

  it('computes the whole DORA and flow set without ids, over the 30 days before --now by default', async () => {
    const { stdout } = await teamstate('--now', '2026-03-20T00:00:00Z', 'metrics', '--team', 'payments', '--json');
    const results = JSON.parse(stdout);
    expect(Object.keys(results)).toEqual([
      'deployment_frequency',
      'lead_time_for_changes',
      'change_failure_rate',
      'failed_deployment_recovery_time',
      'time_to_restore_service',
      'rework_rate',
      'pr_cycle_time',
      'time_to_first_review',
      'pr_size',
      'throughput',
      'wip',
      'aging_wip',
      'flow_efficiency',
    ]);
    for (const result of Object.values(results) as { value: unknown; unit: unknown }[]) {
      expect(result.value === null || typeof result.value === 'number').toBe(true);
      expect(typeof result.unit).toBe('string');
    }
    expect(results.deployment_frequency).toMatchObject({ count: 1, windowDays: 30 });
    expect(results.pr_cycle_time.value).toBe(24);
  });

  it('fails with a message naming the bad argument', async () => {
    const result = await teamstate('metrics', '--from', '2026-04-01T00:00:00Z', '--to', '2026-03-01T00:00:00Z');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: from: must be before to/);
  });
});
