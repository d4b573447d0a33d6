import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { serveWhile } from './serve-while.js';

// serve --metrics exports the gauges the Grafana dashboards read: each team's metrics (teamstate_metric{metric, team},
// 30-day window), the lag of each source, the webhook deliveries and approvals waiting.
const dir = mkdtempSync(join(tmpdir(), 'teamstate-gauges-'));
const database = join(dir, 'demo.db');
beforeAll(async () => {
  const built = await runCli(['--db', database, 'demo']);
  expect(built.code, built.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The samples of a Prometheus text exposition: `name{labels} value`, by name. */
export function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line)!;
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

describe('serve --metrics gauges', () => {
  it('exports teamstate_metric per team and metric, source lag, webhooks and approvals pending', { timeout: 120_000 }, async () => {
    const pending = JSON.parse((await runCli(['--db', database, '--json', 'approvals', 'list', '--status', 'pending'])).stdout) as {
      approvals: unknown[];
    };
    const sources = (JSON.parse((await runCli(['--db', database, '--json', 'status'])).stdout) as { sources: { source: string }[] })
      .sources;
    await serveWhile({ cwd: dir, env: process.env, args: ['--db', database, '--metrics'] }, async (base) => {
      const scrape = async () => samples(await (await fetch(`${base}/metrics`)).text());
      // The gauges are computed once serve started; scraped until they are there.
      let seen = await scrape();
      for (let tries = 0; !seen.some((s) => s.name === 'teamstate_metric') && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen = await scrape();
      }
      const metric = seen.filter((s) => s.name === 'teamstate_metric');
      expect(new Set(metric.map((s) => s.labels.team))).toEqual(new Set(['payments', 'growth', 'platform']));
      expect(metric.map((s) => s.labels.metric)).toContain('deployment_frequency');
      expect(seen.find((s) => s.name === 'teamstate_approvals_pending')?.value).toBe(pending.approvals.length);
      expect(seen.find((s) => s.name === 'teamstate_webhooks_pending')?.value).toBe(0);
      expect(seen.some((s) => s.name === 'teamstate_source_lag_seconds') || sources.length === 0).toBe(true);
    });
  });
});
